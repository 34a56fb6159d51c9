package kernels

import (
	"fmt"
	"math"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

// benchVariants runs fn as sub-benchmarks "<variant>/<name>" for every
// variant this CPU can run.
func benchVariants(b *testing.B, name string, fn func(b *testing.B)) {
	for _, v := range impl.Available() {
		b.Run(v+"/"+name, func(b *testing.B) {
			restore, _ := impl.Use(v)
			defer restore()
			b.ReportAllocs()
			fn(b)
		})
	}
}

// BenchmarkSoftmaxCrossEntropy: forward and gradient, the MLP's output
// layer (256×10) and a wide one (4096×1000), on 1 and 2 goroutines (the
// first is not split: it is below softmaxSplitLen).
func BenchmarkSoftmaxCrossEntropy(b *testing.B) {
	for _, sh := range [][2]int{{256, 10}, {4096, 1000}} {
		rows, cols := sh[0], sh[1]
		r := testutil.Rand(1)
		logits := make([]float32, rows*cols)
		testutil.Fill(r, logits, 5, 0)
		labels := make([]int32, rows)
		for i := range labels {
			labels[i] = int32(r.IntN(cols))
		}
		loss := make([]float32, rows)
		dl := make([]float32, rows*cols)
		for _, threads := range []Threads{1, 2} {
			benchVariants(b, fmt.Sprintf("t%d/%dx%d", threads, rows, cols), func(b *testing.B) {
				b.SetBytes(int64(8 * rows * cols)) // logits read, dlogits written
				for b.Loop() {
					threads.SoftmaxCrossEntropy(rows, cols, logits, cols, labels, loss, dl, cols, 1/float32(rows))
				}
			})
		}
	}
}

// BenchmarkRelu reports GB/s (bytes read + written) of Relu beside a copy
// of the same size, on the Xeon of the shared machine: 4 Ki floats (2×16
// KiB in the 48 KiB L1d), 64 Ki (2×256 KiB in the 2 MiB L2), 4 Mi (2×16
// MiB in the 300 MiB L3) and, unless -short, 64 Mi (2×256 MiB, more than
// the L3).
func BenchmarkRelu(b *testing.B) {
	for _, n := range []int{4 << 10, 64 << 10, 4 << 20, 64 << 20} {
		if testing.Short() && n > 4<<20 {
			continue
		}
		src := make([]float32, n)
		testutil.Fill(testutil.Rand(2), src, 1, 0)
		dst := make([]float32, n)
		name := fmt.Sprintf("%dKi", n>>10)
		b.Run("copy/"+name, func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				copy(dst, src)
			}
		})
		benchVariants(b, name, func(b *testing.B) {
			b.SetBytes(int64(8 * n))
			for b.Loop() {
				Relu(dst, src)
			}
		})
	}
}

// BenchmarkTrainingKernels: the other per-batch kernels at the MLP's sizes
// (784-256-10, batch 256).
func BenchmarkTrainingKernels(b *testing.B) {
	const batch, hidden, in = 256, 256, 784
	a := make([]float32, batch*hidden)
	testutil.Fill(testutil.Rand(3), a, 1, 0)
	dst := make([]float32, hidden)
	w := make([]float32, in*hidden)
	g := make([]float32, in*hidden)
	v := make([]float32, in*hidden)
	px := make([]uint8, batch*in)
	fx := make([]float32, batch*in)
	benchVariants(b, "ColumnSums256x256", func(b *testing.B) {
		for b.Loop() {
			ColumnSums(batch, hidden, a, hidden, dst)
		}
	})
	benchVariants(b, "ReluGrad256x256", func(b *testing.B) {
		for b.Loop() {
			ReluGrad(a, a, a)
		}
	})
	benchVariants(b, "SGDmomentum784x256", func(b *testing.B) {
		for b.Loop() {
			SGD(w, g, v, 0.01, 0.9, 1e-4)
		}
	})
	benchVariants(b, "Uint8ToFloat32_256x784", func(b *testing.B) {
		for b.Loop() {
			Uint8ToFloat32(fx, px, 255)
		}
	})
}

// BenchmarkSGD updates the 784-256-10 network's 203,530 parameters with 1
// and 2 goroutines: without momentum, with it, and with it where 40 rows
// of 256 velocities are subnormal under zero gradients, as momentum leaves
// MNIST's always-blank pixels. Momentum 1 - 2⁻²⁴ keeps those velocities
// subnormal from call to call (it takes the same path as 0.9).
func BenchmarkSGD(b *testing.B) {
	const n, hidden = 784*256 + 256 + 256*10 + 10, 256
	r := testutil.Rand(4)
	w, g, v := make([]float32, n), make([]float32, n), make([]float32, n)
	testutil.Fill(r, w, 0.1, 0)
	testutil.Fill(r, g, 1e-3, 0)
	testutil.Fill(r, v, 1e-3, 0)
	tiny := append([]float32(nil), v...)
	tinyG := append([]float32(nil), g...)
	for row := range 40 {
		for j := range hidden {
			i := (row*19)%784*hidden + j
			tiny[i], tinyG[i] = math.Float32frombits(1+r.Uint32N(1<<23)), 0
		}
	}
	const momentum = 1 - 1.0/(1<<24)
	for _, c := range []struct {
		name        string
		grad, vel   []float32
		bytesPerElt int64
	}{{"plain", g, nil, 12}, {"momentum", g, v, 20}, {"momentum-subnormal", tinyG, tiny, 20}} {
		for _, threads := range []Threads{1, 2} {
			benchVariants(b, fmt.Sprintf("%s/t%d", c.name, threads), func(b *testing.B) {
				m := float32(0)
				if c.vel != nil {
					m = momentum
				}
				b.SetBytes(c.bytesPerElt * n)
				for b.Loop() {
					threads.SGD(w, c.grad, c.vel, 1e-3, m, 0)
				}
			})
		}
	}
}
