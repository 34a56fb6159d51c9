package mlp

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/simdkern/simdkern/kernels"
)

// batchRows is how many inputs one forward pass of a batch prediction
// holds: it bounds the pooled scratch. BenchmarkPredictBatch (avx512, two
// goroutines, medians of 3 interleaved rounds on a noisy host): 64/128/
// 256/512 rows took 26.2/23.5/21.2/21.9 ms.
const batchRows = 256

// input is the element type of an input: float32 values used as they are,
// or uint8 pixels, which are divided by 255 first.
type input interface{ float32 | uint8 }

// Predict classifies one input of Inputs() values (for MNIST, pixels/255
// in [0, 1]) and returns its class, the Argmax of the logits. When probs
// is not nil it receives the Classes() softmax probabilities.
//
// Predict allocates nothing: its scratch comes from a pool in the model. It
// runs on the calling goroutine alone and is safe for concurrent use.
func (m *Model) Predict(x, probs []float32) int { return predict(m, x, probs) }

// PredictPixels is Predict for uint8 pixels, which it divides by 255.
func (m *Model) PredictPixels(x []uint8, probs []float32) int { return predict(m, x, probs) }

func predict[T input](m *Model, x []T, probs []float32) int {
	if len(x) != m.Inputs() {
		panic(fmt.Sprintf("mlp: Predict: %d input values, want %d", len(x), m.Inputs()))
	}
	checkProbs(m, 1, probs)
	s := m.one.get(m)
	logits := m.forward(kernels.Threads(1), 1, asFloat32(x, s.in), s)
	class := classify(logits, probs)
	m.one.put(s)
	return class
}

// PredictBatch classifies len(classes) inputs stored one after another in
// x (len(x) == len(classes)·Inputs()) and writes each class as Predict
// would. When probs is not nil it receives Classes() probabilities per
// input, row after row. Results equal Predict's bit for bit.
//
// PredictBatch allocates nothing: it runs the batch through the layers
// batchRows inputs at a time with pooled scratch. A batch of more than
// batchRows inputs is split evenly between up to GOMAXPROCS goroutines,
// each with one-thread GEMMs; a smaller one uses GEMMs of up to
// GOMAXPROCS goroutines (kernels.Threads(0)). It is safe for concurrent
// use.
func (m *Model) PredictBatch(x []float32, classes []int, probs []float32) {
	predictBatch(m, x, classes, probs)
}

// PredictPixelsBatch is PredictBatch for uint8 pixels, which it divides by
// 255.
func (m *Model) PredictPixelsBatch(x []uint8, classes []int, probs []float32) {
	predictBatch(m, x, classes, probs)
}

func predictBatch[T input](m *Model, x []T, classes []int, probs []float32) {
	n := len(classes)
	if len(x) != n*m.Inputs() {
		panic(fmt.Sprintf("mlp: PredictBatch: %d input values for %d classes, want %d", len(x), n, n*m.Inputs()))
	}
	checkProbs(m, n, probs)
	w := min(runtime.GOMAXPROCS(0), (n+batchRows-1)/batchRows)
	if w <= 1 {
		predictRows(m, x, classes, probs, 0, n, kernels.Threads(0))
		return
	}
	// Whole passes in parallel rather than each GEMM: the conversion of
	// pixels, the ReLU and the classification are split too, and there is
	// no hand-off per GEMM. 10,000 images, avx512, two cores: see
	// BENCHMARKS.md.
	call := batchCalls.Get().(*batchCall)
	if cap(call.parts) < w {
		call.parts = make([]batchPart, w)
	}
	parts := call.parts[:w]
	for q := range parts {
		p := batchPart{m: m, classes: classes, probs: probs, lo: q * n / w, hi: (q + 1) * n / w, done: &call.wg}
		switch x := any(x).(type) {
		case []float32:
			p.x = x
		case []uint8:
			p.pixels = x
		}
		parts[q] = p
	}
	call.wg.Add(w)
	for q := 1; q < w; q++ {
		select {
		case batchQueue <- &parts[q]:
		default:
			go batchWorker()
			batchQueue <- &parts[q]
		}
	}
	parts[0].run()
	call.wg.Wait()
	clear(parts) // drop the caller's slices
	batchCalls.Put(call)
}

// predictRows classifies inputs lo…hi-1 of a batch, batchRows at a time,
// with GEMMs of t.
func predictRows[T input](m *Model, x []T, classes []int, probs []float32, lo, hi int, t kernels.Threads) {
	s := m.many.get(m)
	in, k := m.Inputs(), m.Classes()
	for start := lo; start < hi; start += batchRows {
		rows := min(batchRows, hi-start)
		logits := m.forward(t, rows, asFloat32(x[start*in:(start+rows)*in], s.in), s)
		for r := range rows {
			var p []float32
			if probs != nil {
				p = probs[(start+r)*k : (start+r+1)*k]
			}
			classes[start+r] = classify(logits[r*k:(r+1)*k], p)
		}
	}
	m.many.put(s)
}

// batchPart is one goroutine's inputs lo…hi-1 of a PredictBatch call, from
// x or from pixels.
type batchPart struct {
	m       *Model
	x       []float32
	pixels  []uint8
	classes []int
	probs   []float32
	lo, hi  int
	done    *sync.WaitGroup
}

func (p *batchPart) run() {
	if p.pixels != nil {
		predictRows(p.m, p.pixels, p.classes, p.probs, p.lo, p.hi, 1)
	} else {
		predictRows(p.m, p.x, p.classes, p.probs, p.lo, p.hi, 1)
	}
	p.done.Done()
}

// batchCall is the state of one parallel PredictBatch call, pooled so that
// calls allocate nothing.
type batchCall struct {
	wg    sync.WaitGroup
	parts []batchPart
}

var batchCalls = sync.Pool{New: func() any { return new(batchCall) }}

// batchQueue feeds parked workers, started when none is free and kept: a go
// statement per call would allocate.
var batchQueue = make(chan *batchPart)

func batchWorker() {
	for p := range batchQueue {
		p.run()
	}
}

func checkProbs(m *Model, rows int, probs []float32) {
	if probs != nil && len(probs) != rows*m.Classes() {
		panic(fmt.Sprintf("mlp: %d probabilities for %d inputs of %d classes", len(probs), rows, m.Classes()))
	}
}

// asFloat32 returns x itself for float32 inputs, or x/255 converted into
// buf for pixels.
func asFloat32[T input](x []T, buf []float32) []float32 {
	if px, ok := any(x).([]uint8); ok {
		buf = buf[:len(px)]
		kernels.Uint8ToFloat32(buf, px, 255)
		return buf
	}
	return any(x).([]float32)
}

// forward runs rows inputs x (row stride Inputs()) through every layer
// and returns the logits, rows×Classes() in s. Each layer initialises its
// output with the bias and accumulates the product onto it (beta 1).
func (m *Model) forward(t kernels.Threads, rows int, x []float32, s *scratch) []float32 {
	src := x
	for l, ly := range m.layers {
		dst := s.act[l%2][:rows*ly.out]
		kernels.BroadcastRows(rows, ly.b, dst, ly.out)
		t.Sgemm(false, false, rows, ly.out, ly.in, 1, src, ly.in, ly.w, ly.out, 1, dst, ly.out)
		if l < len(m.layers)-1 {
			kernels.Relu(dst, dst)
		}
		src = dst
	}
	return src
}

// Argmax returns the class of logits: the index of the largest value, the
// first one on ties; NaN never wins (all NaN gives 0).
func Argmax(logits []float32) int {
	class, best := 0, float32(math.Inf(-1))
	for i, v := range logits {
		if v > best {
			class, best = i, v
		}
	}
	return class
}

// classify returns the class of logits and, when probs is not nil, writes
// their softmax into it with the library's Max, Exp and Sum, so
// probabilities are the same on every architecture.
func classify(logits, probs []float32) int {
	if probs != nil {
		mx := kernels.Max(logits)
		for i, v := range logits {
			probs[i] = kernels.Exp(v - mx)
		}
		sum := kernels.Sum(probs)
		for i := range probs {
			probs[i] /= sum
		}
	}
	return Argmax(logits)
}
