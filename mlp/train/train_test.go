package train

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/simdkern/simdkern/internal/testutil"
	"github.com/simdkern/simdkern/mlp"
)

// synthetic returns n examples of dim pixels in classes classes: each class
// has a random prototype and each example adds noise to its class's. Only
// integer arithmetic, so the data are the same everywhere.
func synthetic(n, dim, classes int, seed uint64) Dataset {
	src := rand.NewPCG(seed, 0)
	protos := make([]uint8, classes*dim)
	for i := range protos {
		protos[i] = uint8(src.Uint64() >> 56)
	}
	d := Dataset{Pixels: make([]uint8, n*dim), Labels: make([]int32, n)}
	for i := range n {
		c := int(intN(src, uint64(classes)))
		d.Labels[i] = int32(c)
		for j := range dim {
			v := int(protos[c*dim+j]) + int(src.Uint64()>>56) - 128
			d.Pixels[i*dim+j] = uint8(min(max(v, 0), 255))
		}
	}
	return d
}

// asFloats returns d with its pixels as float32 Inputs (value/255).
func asFloats(d Dataset) Dataset {
	f := Dataset{Inputs: make([]float32, len(d.Pixels)), Labels: d.Labels}
	for i, p := range d.Pixels {
		f.Inputs[i] = float32(p) / 255
	}
	return f
}

func modelHash(t testing.TB, m *mlp.Model) string {
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:])
}

// wantHash is the SHA-256 of the model file detRun trains. It must be the
// same on every architecture (amd64, arm64, s390x), kernel variant, thread
// count and with -tags purego.
const wantHash = "59ae1f6942855cda62b5857563c2bea6c2bbf1fbc7d90de138fd085f194130e8"

// detRun trains 20 epochs of 11 steps (the last of 32 examples, not 48)
// with momentum and weight decay through two hidden layers: small, as the
// generic kernels and qemu are slow.
func detRun(t *testing.T, data Dataset, threads int) string {
	t.Helper()
	m, err := NewModel([]int{32, 24, 16, 10}, He, 1)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Epochs: 20, BatchSize: 48, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 1e-4, Seed: 7, Threads: threads}
	hist, err := Train(context.Background(), m, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if acc := hist[len(hist)-1].Accuracy; acc < 0.9 {
		t.Errorf("training accuracy %.3f after %d epochs, want ≥ 0.9", acc, len(hist))
	}
	return modelHash(t, m)
}

func TestDeterminism(t *testing.T) {
	data := synthetic(512, 32, 10, 3)
	testutil.ForEachVariant(t, func(t *testing.T) {
		for _, threads := range []int{1, 2} {
			if got := detRun(t, data, threads); got != wantHash {
				t.Errorf("threads %d: model hash %s, want %s", threads, got, wantHash)
			}
		}
	})
}

// Float32 inputs equal to the pixels/255 train the same model.
func TestFloatInputs(t *testing.T) {
	if got := detRun(t, asFloats(synthetic(512, 32, 10, 3)), 0); got != wantHash {
		t.Errorf("model hash %s, want %s", got, wantHash)
	}
}

func TestStepAllocs(t *testing.T) {
	data := synthetic(512, 64, 10, 3)
	m, err := NewModel([]int{64, 32, 16, 10}, Normal, 1)
	if err != nil {
		t.Fatal(err)
	}
	tr := newTrainer(m, Config{BatchSize: 64, LearningRate: 0.01, Momentum: 0.9, WeightDecay: 1e-4})
	idx := make([]int32, 64)
	for i := range idx {
		idx[i] = int32(i * 7)
	}
	if n := testing.AllocsPerRun(20, func() { tr.step(&data, idx) }); n != 0 {
		t.Errorf("a training step allocates %v times, want 0", n)
	}
}

func TestBatches(t *testing.T) {
	data := synthetic(100, 8, 3, 1)
	m, err := NewModel([]int{8, 3}, Normal, 1)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	var epochs []Epoch
	cfg := Config{Epochs: 2, BatchSize: 32, LearningRate: 0.1, Validation: &data,
		OnBatch: func(b Batch) { sizes = append(sizes, b.Images) },
		OnEpoch: func(e Epoch) { epochs = append(epochs, e) }}
	hist, err := Train(context.Background(), m, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sizes) != "[32 32 32 4 32 32 32 4]" {
		t.Errorf("batch sizes %v, want 32 32 32 4 per epoch", sizes)
	}
	if fmt.Sprint(hist) != fmt.Sprint(epochs) || len(hist) != 2 || !hist[1].Validated || hist[1].ValAccuracy != Accuracy(m, data) {
		t.Errorf("history %v, callbacks %v: want 2 validated epochs", hist, epochs)
	}
}

func TestCancel(t *testing.T) {
	data := synthetic(100, 8, 3, 1)
	m, err := NewModel([]int{8, 3}, Normal, 1)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	steps := 0
	cfg := Config{Epochs: 5, BatchSize: 10, LearningRate: 0.1, OnBatch: func(b Batch) {
		steps++
		if b.Epoch == 2 && b.Batch == 3 {
			cancel()
		}
	}}
	hist, err := Train(ctx, m, data, cfg)
	if !errors.Is(err, context.Canceled) || len(hist) != 1 || steps != 13 {
		t.Errorf("got %d epochs, %d steps, error %v; want 1, 13, context.Canceled", len(hist), steps, err)
	}
}

func TestInvalid(t *testing.T) {
	m, err := NewModel([]int{4, 2}, Normal, 1)
	if err != nil {
		t.Fatal(err)
	}
	good := Dataset{Pixels: make([]uint8, 8), Labels: []int32{0, 1}}
	ok := Config{Epochs: 1, BatchSize: 1, LearningRate: 0.1}
	for _, tc := range []struct {
		name string
		data Dataset
		edit func(*Config)
	}{
		{"no epochs", good, func(c *Config) { c.Epochs = 0 }},
		{"no batch", good, func(c *Config) { c.BatchSize = 0 }},
		{"zero rate", good, func(c *Config) { c.LearningRate = 0 }},
		{"momentum 1", good, func(c *Config) { c.Momentum = 1 }},
		{"negative decay", good, func(c *Config) { c.WeightDecay = -1 }},
		{"empty", Dataset{Pixels: []uint8{}}, nil},
		{"both inputs", Dataset{Pixels: make([]uint8, 8), Inputs: make([]float32, 8), Labels: []int32{0, 1}}, nil},
		{"short", Dataset{Pixels: make([]uint8, 7), Labels: []int32{0, 1}}, nil},
		{"label", Dataset{Pixels: make([]uint8, 8), Labels: []int32{0, 2}}, nil},
		{"validation", good, func(c *Config) { c.Validation = &Dataset{Inputs: make([]float32, 4), Labels: []int32{-1}} }},
	} {
		cfg := ok
		if tc.edit != nil {
			tc.edit(&cfg)
		}
		if _, err := Train(context.Background(), m, tc.data, cfg); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestImages(t *testing.T) {
	d := Images([]uint8{1, 2, 3, 4}, []uint8{9, 200})
	if fmt.Sprint(d.Labels) != "[9 200]" || d.Len() != 2 {
		t.Errorf("labels %v", d.Labels)
	}
}

func TestShuffle(t *testing.T) {
	src := rand.NewPCG(1, 2)
	counts := make([][]int, 5)
	for i := range counts {
		counts[i] = make([]int, 5)
	}
	const rounds = 20000
	for range rounds {
		order := []int32{0, 1, 2, 3, 4}
		shuffle(src, order)
		for pos, v := range order {
			counts[pos][v]++
		}
	}
	// Each value lands in each position with probability 1/5: 4000 ± 6σ.
	for pos, row := range counts {
		for v, c := range row {
			if c < 3620 || c > 4380 {
				t.Errorf("value %d at position %d %d times of %d, want about %d", v, pos, c, rounds, rounds/5)
			}
		}
	}
}

func TestNormal(t *testing.T) {
	g := normal{src: rand.NewPCG(5, 6)}
	const n = 200000
	var sum, sq, tail float64
	for range n {
		v := float64(g.next())
		sum += v
		sq += v * v
		if v > 2 {
			tail++
		}
	}
	mean, variance := sum/n, sq/n-(sum/n)*(sum/n)
	// Standard errors: 1/√n ≈ 0.0022 for the mean, √(2/n) ≈ 0.0032 for the
	// variance; P(Z > 2) = 0.02275 with σ ≈ 0.00033 over n draws.
	if mean < -0.011 || mean > 0.011 || variance < 0.984 || variance > 1.016 || tail/n < 0.0211 || tail/n > 0.0244 {
		t.Errorf("mean %.4f, variance %.4f, P(>2) %.5f; want 0, 1, 0.02275", mean, variance, tail/n)
	}
}

func TestInitialize(t *testing.T) {
	for _, tc := range []struct {
		init Init
		std  float64
	}{{Normal, 0.1}, {He, 0.0625}} { // He: √(2/512)
		m, err := NewModel([]int{512, 400}, tc.init, 9)
		if err != nil {
			t.Fatal(err)
		}
		w, b := m.Layer(0)
		var sq float64
		for _, v := range w {
			sq += float64(v) * float64(v)
		}
		if std := sq / float64(len(w)); std < tc.std*tc.std*0.98 || std > tc.std*tc.std*1.02 {
			t.Errorf("init %d: weight variance %.6f, want %.6f", tc.init, std, tc.std*tc.std)
		}
		var lo, hi float32
		for _, v := range b {
			lo, hi = min(lo, v), max(hi, v)
		}
		bound := float32(1 / 22.627417) // 1/√512
		if lo < -bound || hi >= bound || lo > -0.9*bound || hi < 0.9*bound {
			t.Errorf("init %d: biases in [%v, %v], want to fill [−%v, %v)", tc.init, lo, hi, bound, bound)
		}
	}
	a, _ := NewModel([]int{3, 4, 2}, Normal, 1)
	b, _ := NewModel([]int{3, 4, 2}, Normal, 2)
	if modelHash(t, a) == modelHash(t, b) {
		t.Error("seeds 1 and 2 give the same model")
	}
}
