// Package train fits an mlp.Model with mini-batch SGD. It is separate from
// package mlp so that programs that only load a model and classify (an
// embedded classifier) link no training code.
//
// Every step goes through the kernels package: a dense layer's forward pass
// is BroadcastRows of the bias then Sgemm with beta 1, hidden layers apply
// Relu, the output SoftmaxCrossEntropy; the backward pass computes weight
// gradients with Sgemm, bias gradients with ColumnSums, input gradients
// (not for the first layer) with Sgemm and ReluGrad; one SGD call updates
// all parameters. The same model, data, Config and seeds therefore give
// bit-identical parameters on every architecture, kernel variant and
// thread count.
package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/simdkern/simdkern/kernels"
	"github.com/simdkern/simdkern/mlp"
)

// Dataset is a labelled set of examples: exactly one of Pixels and Inputs
// holds them, n rows of the model's Inputs() values one after another.
type Dataset struct {
	// Pixels are uint8 values, divided by 255 as each batch is gathered
	// (mnist.Set.Images).
	Pixels []uint8
	// Inputs are float32 values used as they are.
	Inputs []float32
	// Labels are the classes, 0 to Classes()−1, one per example.
	Labels []int32
}

// Images returns the Dataset of uint8 pixels and uint8 labels, the layout
// of mnist.Set.
func Images(pixels, labels []uint8) Dataset {
	d := Dataset{Pixels: pixels, Labels: make([]int32, len(labels))}
	for i, l := range labels {
		d.Labels[i] = int32(l)
	}
	return d
}

// Len returns the number of examples.
func (d *Dataset) Len() int { return len(d.Labels) }

// check reports whether d fits a model of the given shape.
func (d *Dataset) check(inputs, classes int) error {
	n := len(d.Labels)
	switch {
	case n == 0:
		return errors.New("train: the dataset is empty")
	case (d.Pixels == nil) == (d.Inputs == nil):
		return errors.New("train: a dataset needs exactly one of Pixels and Inputs")
	case len(d.Pixels)+len(d.Inputs) != n*inputs:
		return fmt.Errorf("train: %d input values for %d labels, want %d (%d per example)",
			len(d.Pixels)+len(d.Inputs), n, n*inputs, inputs)
	}
	for i, l := range d.Labels {
		if l < 0 || int(l) >= classes {
			return fmt.Errorf("train: label %d is %d, want 0 to %d", i, l, classes-1)
		}
	}
	return nil
}

// Config is a training run. The zero value is not usable: start from
// Recipe or set at least Epochs, BatchSize and LearningRate.
type Config struct {
	Epochs    int
	BatchSize int
	// LearningRate, Momentum (0 for plain SGD) and WeightDecay (an L2
	// penalty applied to weights and biases alike) follow PyTorch's
	// torch.optim.SGD without dampening or Nesterov.
	LearningRate, Momentum, WeightDecay float32
	// Seed drives the shuffle of the examples before each epoch.
	Seed uint64
	// Threads bounds the goroutines of each GEMM; 0 means GOMAXPROCS.
	// Results do not depend on it.
	Threads int

	// Validation, when not nil, is classified after each epoch for
	// Epoch.ValAccuracy.
	Validation *Dataset
	// OnEpoch, when not nil, is called after each epoch.
	OnEpoch func(Epoch)
	// OnBatch, when not nil, is called after each step, for progress
	// within an epoch.
	OnBatch func(Batch)
}

// Recipe returns the seed recipe's configuration: 15 epochs of plain SGD
// with learning rate 0.01 on batches of 256 (to be used with a 784-256-10
// model initialised with Normal).
func Recipe() Config {
	return Config{Epochs: 15, BatchSize: 256, LearningRate: 0.01}
}

func (c *Config) check() error {
	switch {
	case c.Epochs < 1:
		return fmt.Errorf("train: Epochs is %d, want at least 1", c.Epochs)
	case c.BatchSize < 1:
		return fmt.Errorf("train: BatchSize is %d, want at least 1", c.BatchSize)
	case !(c.LearningRate > 0) || math.IsInf(float64(c.LearningRate), 0):
		return fmt.Errorf("train: LearningRate is %v, want a finite value > 0", c.LearningRate)
	case !(c.Momentum >= 0 && c.Momentum < 1):
		return fmt.Errorf("train: Momentum is %v, want 0 ≤ momentum < 1", c.Momentum)
	case !(c.WeightDecay >= 0) || math.IsInf(float64(c.WeightDecay), 0):
		return fmt.Errorf("train: WeightDecay is %v, want a finite value ≥ 0", c.WeightDecay)
	}
	return nil
}

// Epoch reports one finished epoch.
type Epoch struct {
	Epoch int // 1-based
	// Loss is the mean cross-entropy and Accuracy the fraction classified
	// correctly over the epoch's examples, each measured by the forward
	// pass of its step (with the weights of that moment, as the usual
	// training loop reports them).
	Loss     float64
	Accuracy float64
	// ValAccuracy is the accuracy on Config.Validation after the epoch;
	// Validated says whether there was one.
	ValAccuracy float64
	Validated   bool
}

// Batch reports one finished step.
type Batch struct {
	Epoch, Epochs   int     // 1-based epoch, of Epochs
	Batch, Batches  int     // 1-based step within the epoch, of Batches
	Loss            float32 // the batch's mean loss
	Correct, Images int     // correctly classified of the batch's examples
}

// Train runs cfg on m with the examples of data. Before each epoch the
// examples are shuffled (Fisher–Yates from cfg.Seed); they are then taken
// BatchSize at a time. When BatchSize does not divide the number of
// examples, the last batch of each epoch is smaller and its gradient is
// the mean over its own examples (scale 1/rows), as PyTorch's DataLoader
// does by default; no example is dropped.
//
// Train checks ctx before each step and returns the epochs finished with
// ctx.Err() when it is done; m then holds the weights of the last step.
// Steps allocate nothing once Train has set up its buffers.
func Train(ctx context.Context, m *mlp.Model, data Dataset, cfg Config) ([]Epoch, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if err := data.check(m.Inputs(), m.Classes()); err != nil {
		return nil, err
	}
	if v := cfg.Validation; v != nil {
		if err := v.check(m.Inputs(), m.Classes()); err != nil {
			return nil, fmt.Errorf("validation: %w", err)
		}
	}
	t := newTrainer(m, cfg)
	src := rand.NewPCG(cfg.Seed, shuffleStream)
	n := data.Len()
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	batches := (n + cfg.BatchSize - 1) / cfg.BatchSize
	var history []Epoch
	for e := 1; e <= cfg.Epochs; e++ {
		shuffle(src, order)
		var lossSum float64
		correct := 0
		for b := range batches {
			if err := ctx.Err(); err != nil {
				return history, err
			}
			idx := order[b*cfg.BatchSize : min((b+1)*cfg.BatchSize, n)]
			loss, ok := t.step(&data, idx)
			lossSum += float64(loss) * float64(len(idx))
			correct += ok
			if cfg.OnBatch != nil {
				cfg.OnBatch(Batch{Epoch: e, Epochs: cfg.Epochs, Batch: b + 1, Batches: batches,
					Loss: loss, Correct: ok, Images: len(idx)})
			}
		}
		ep := Epoch{Epoch: e, Loss: lossSum / float64(n), Accuracy: float64(correct) / float64(n)}
		if cfg.Validation != nil {
			ep.ValAccuracy, ep.Validated = Accuracy(m, *cfg.Validation), true
		}
		history = append(history, ep)
		if cfg.OnEpoch != nil {
			cfg.OnEpoch(ep)
		}
	}
	return history, nil
}

// Accuracy returns the fraction of data that m classifies correctly.
func Accuracy(m *mlp.Model, data Dataset) float64 {
	classes := make([]int, data.Len())
	if data.Pixels != nil {
		m.PredictPixelsBatch(data.Pixels, classes, nil)
	} else {
		m.PredictBatch(data.Inputs, classes, nil)
	}
	correct := 0
	for i, c := range classes {
		if c == int(data.Labels[i]) {
			correct++
		}
	}
	return float64(correct) / float64(len(classes))
}

// trainer holds the buffers of the steps of one Train call.
type trainer struct {
	m        *mlp.Model
	sizes    []int
	cfg      Config
	threads  kernels.Threads
	grads    []float32   // the layout of m.Params()
	velocity []float32   // nil without momentum
	gw, gb   [][]float32 // per layer views of grads
	x        []float32   // batch inputs
	labels   []int32
	loss     []float32
	acts     [][]float32 // per layer outputs, after ReLU for hidden layers
	deltas   [][]float32 // per hidden layer, the loss gradient of its output
}

func newTrainer(m *mlp.Model, cfg Config) *trainer {
	sizes := m.Sizes()
	rows := cfg.BatchSize
	t := &trainer{
		m: m, sizes: sizes, cfg: cfg, threads: kernels.Threads(cfg.Threads),
		grads:  make([]float32, len(m.Params())),
		x:      make([]float32, rows*sizes[0]),
		labels: make([]int32, rows),
		loss:   make([]float32, rows),
	}
	if cfg.Momentum != 0 {
		t.velocity = make([]float32, len(t.grads))
	}
	off := 0
	for l := range m.Layers() {
		in, out := sizes[l], sizes[l+1]
		t.gw = append(t.gw, t.grads[off:off+in*out])
		t.gb = append(t.gb, t.grads[off+in*out:off+in*out+out])
		off += in*out + out
		t.acts = append(t.acts, make([]float32, rows*out))
		if l < m.Layers()-1 {
			t.deltas = append(t.deltas, make([]float32, rows*out))
		}
	}
	return t
}

// step trains on the examples idx and returns their mean loss and how many
// the forward pass classified correctly.
func (t *trainer) step(data *Dataset, idx []int32) (loss float32, correct int) {
	rows := len(idx)
	sizes := t.sizes
	in, classes, last := sizes[0], sizes[len(sizes)-1], t.m.Layers()-1
	x := t.x[:rows*in]
	if data.Pixels != nil {
		t.threads.GatherUint8ToFloat32(x, data.Pixels, in, idx, 255)
	} else {
		for r, i := range idx {
			copy(x[r*in:(r+1)*in], data.Inputs[int(i)*in:][:in])
		}
	}
	for r, i := range idx {
		t.labels[r] = data.Labels[i]
	}
	labels := t.labels[:rows]

	src := x
	for l := range t.m.Layers() {
		w, b := t.m.Layer(l)
		out := len(b)
		dst := t.acts[l][:rows*out]
		kernels.BroadcastRows(rows, b, dst, out)
		t.threads.Sgemm(false, false, rows, out, sizes[l], 1, src, sizes[l], w, out, 1, dst, out)
		if l < last {
			kernels.Relu(dst, dst)
		}
		src = dst
	}

	logits := t.acts[last][:rows*classes]
	for r, y := range labels {
		if mlp.Argmax(logits[r*classes:(r+1)*classes]) == int(y) {
			correct++
		}
	}
	// The gradient of the mean loss replaces the logits.
	loss = kernels.SoftmaxCrossEntropy(rows, classes, logits, classes, labels, t.loss, logits, classes, 1/float32(rows))

	delta := logits
	for l := last; l >= 0; l-- {
		fanIn, out := sizes[l], sizes[l+1]
		input := x
		if l > 0 {
			input = t.acts[l-1][:rows*fanIn]
		}
		t.threads.Sgemm(true, false, fanIn, out, rows, 1, input, fanIn, delta, out, 0, t.gw[l], out)
		kernels.ColumnSums(rows, out, delta, out, t.gb[l])
		if l > 0 {
			w, _ := t.m.Layer(l)
			prev := t.deltas[l-1][:rows*fanIn]
			t.threads.Sgemm(false, true, rows, fanIn, out, 1, delta, out, w, out, 0, prev, fanIn)
			kernels.ReluGrad(prev, input, prev) // input is ReLU's output: positive where its input was
			delta = prev
		}
	}
	t.threads.SGD(t.m.Params(), t.grads, t.velocity, t.cfg.LearningRate, t.cfg.Momentum, t.cfg.WeightDecay)
	return loss, correct
}
