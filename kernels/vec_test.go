package kernels

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

// vecLengths straddle every vector width (4, 8, 16, 64 elements) and
// unrolled block.
var vecLengths = func() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 255, 256, 257, 1000, 4099)
}()

// guardedPair returns an input filled from r and an output, each against a
// PROT_NONE page: inputs at their end and outputs at their start or the
// reverse, by flip.
func guardedPair(t *testing.T, r *rand.Rand, n int, flip bool) (in, out []float32) {
	in = testutil.Guarded(t, n, !flip)
	testutil.Fill(r, in, 10, 0.2)
	return in, testutil.Guarded(t, n, flip)
}

func TestRelu(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(1)
		for _, n := range vecLengths {
			for _, flip := range []bool{false, true} {
				src, dst := guardedPair(t, r, n, flip)
				want := make([]float32, n)
				reluRef(want, src)
				Relu(dst, src)
				testutil.Equal(t, want, dst, "%s Relu n=%d", Variant(), n)
				Relu(src, src) // in place
				testutil.Equal(t, want, src, "%s Relu in place n=%d", Variant(), n)
			}
			inner, whole := testutil.Padded(n, 16)
			src := make([]float32, n)
			testutil.Fill(r, src, 1, 0.5)
			Relu(inner, src)
			testutil.CheckPadding(t, whole, 16, fmt.Sprintf("Relu n=%d", n))
		}
	})
}

func TestReluGrad(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(2)
		for _, n := range vecLengths {
			for _, flip := range []bool{false, true} {
				x, dx := guardedPair(t, r, n, flip)
				dy := testutil.Guarded(t, n, flip)
				testutil.Fill(r, dy, 10, 0.2)
				want := make([]float32, n)
				reluGradRef(want, x, dy)
				ReluGrad(dx, x, dy)
				testutil.Equal(t, want, dx, "%s ReluGrad n=%d", Variant(), n)
				ReluGrad(dy, x, dy) // dx aliases dy
				testutil.Equal(t, want, dy, "%s ReluGrad aliased n=%d", Variant(), n)
			}
			inner, whole := testutil.Padded(n, 16)
			x := make([]float32, n)
			testutil.Fill(r, x, 1, 0.5)
			ReluGrad(inner, x, x)
			testutil.CheckPadding(t, whole, 16, fmt.Sprintf("ReluGrad n=%d", n))
		}
	})
}

// smCase is one SoftmaxCrossEntropy call checked against softmaxCERef.
type smCase struct {
	rows, cols, padLd, padLdd int
	grad, alias, flip         bool
	scale                     float32 // magnitude of the logits
	specials                  float64
}

func (c smCase) check(t *testing.T, r *rand.Rand) {
	t.Helper()
	ld, ldd := c.cols+c.padLd, c.cols+c.padLdd
	if c.alias {
		ldd = ld
	}
	n := (c.rows-1)*ld + c.cols
	logits := testutil.Guarded(t, n, c.flip)
	testutil.Fill(r, logits, c.scale, c.specials)
	labels := make([]int32, c.rows)
	for i := range labels {
		labels[i] = int32(r.IntN(c.cols))
	}
	labels[0], labels[c.rows-1] = 0, int32(c.cols-1)
	loss, lossWhole := testutil.Padded(c.rows, 16)
	wantLogits := append([]float32(nil), logits...)
	wantLoss := make([]float32, c.rows)
	var dl, dlWhole, wantDl []float32
	const pad = 16
	if c.grad {
		// the reference runs unaliased: aliasing must not change results
		if c.alias {
			dl = logits
			wantDl = append([]float32(nil), logits...)
		} else {
			// guard elements, or a guard page after or before
			nd := (c.rows-1)*ldd + c.cols
			if c.flip {
				dl, dlWhole = testutil.Padded(nd, pad)
			} else {
				dl = testutil.Guarded(t, nd, c.rows%2 == 1)
			}
			wantDl = make([]float32, len(dl))
			copy(wantDl, dl) // the gaps between rows stay as they were
		}
	}
	scale := float32(1) / float32(c.rows)
	softmaxCERef(c.rows, c.cols, wantLogits, ld, labels, wantLoss, wantDl, ldd, scale)
	mean := SoftmaxCrossEntropy(c.rows, c.cols, logits, ld, labels, loss, dl, ldd, scale)
	what := fmt.Sprintf("%s %+v", Variant(), c)
	testutil.Equal(t, wantLoss, loss, "%s: loss", what)
	testutil.Equal(t, []float32{Sum(wantLoss) / float32(c.rows)}, []float32{mean}, "%s: mean", what)
	testutil.CheckPadding(t, lossWhole, 16, what+": loss")
	if c.grad {
		testutil.Equal(t, wantDl, dl, "%s: dlogits", what)
		if dlWhole != nil {
			testutil.CheckPadding(t, dlWhole, pad, what+": dlogits")
		}
	}
	if !c.alias {
		testutil.Equal(t, wantLogits, logits, "%s: logits", what)
	}
}

func TestSoftmaxCrossEntropy(t *testing.T) {
	var widths []int
	for c := 1; c <= 40; c++ {
		widths = append(widths, c)
	}
	widths = append(widths, 63, 64, 65, 255, 256, 257, 1000)
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(3)
		for _, cols := range widths {
			for i, rows := range []int{1, 3, 16, 17, 37, 50} {
				c := smCase{rows: rows, cols: cols, padLd: i % 2 * 3, padLdd: i % 3 * 5,
					grad: i != 1, alias: i == 2, flip: i%2 == 1, scale: 10, specials: 0.02}
				c.check(t, r)
			}
			// dense dlogits over several blocks of rows: in place, and
			// apart with guard elements after the last row
			smCase{rows: 50, cols: cols, grad: true, alias: true, scale: 10}.check(t, r)
			smCase{rows: 48, cols: cols, grad: true, flip: true, scale: 10}.check(t, r)
		}
		// logits far apart (Exp underflows to subnormals and 0), huge
		// logits (the max keeps them finite), and many special values
		for _, cols := range []int{10, 16, 33, 1000} {
			for _, scale := range []float32{120, 1e30} {
				smCase{rows: 19, cols: cols, grad: true, scale: scale}.check(t, r)
			}
			smCase{rows: 19, cols: cols, grad: true, scale: 3, specials: 0.3}.check(t, r)
		}
	})
}

// TestSoftmaxEdgeRows checks rows whose results are decided by the
// contract's special cases: every value special, ±0 ties, a lone finite
// value, exact subnormal results.
func TestSoftmaxEdgeRows(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negz := float32(math.Copysign(0, -1))
	rowsOf := [][]float32{
		{-inf, -inf, -inf}, {nan, nan}, {inf, 1, 2}, {nan, 3, -inf}, {negz, 0, negz},
		{0, -87.5, -100, -103.9, -104.1, -150}, {1e30, -1e30, 0}, {88, 89, 90}, {-inf},
	}
	testutil.ForEachVariant(t, func(t *testing.T) {
		for _, row := range rowsOf {
			for _, width := range []int{len(row), 17, 300} {
				x := make([]float32, width)
				for i := range x {
					x[i] = row[i%len(row)]
				}
				for y := range min(width, 4) {
					for _, reps := range []int{1, 18} {
						logits := make([]float32, 0, reps*width)
						labels := make([]int32, reps)
						for k := range reps {
							logits = append(logits, x...)
							labels[k] = int32(y)
						}
						want, got := make([]float32, reps), make([]float32, reps)
						wantD, gotD := make([]float32, len(logits)), make([]float32, len(logits))
						softmaxCERef(reps, width, logits, width, labels, want, wantD, width, 0.5)
						SoftmaxCrossEntropy(reps, width, logits, width, labels, got, gotD, width, 0.5)
						what := fmt.Sprintf("%s row %v width %d y %d reps %d", Variant(), row, width, y, reps)
						testutil.Equal(t, want, got, "%s: loss", what)
						testutil.Equal(t, wantD, gotD, "%s: dlogits", what)
					}
				}
			}
		}
	})
}

func TestColumnSums(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(4)
		for _, cols := range []int{0, 1, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 256, 257} {
			for _, rows := range []int{0, 1, 2, 5, 64} {
				for _, flip := range []bool{false, true} {
					lda := cols
					if flip {
						lda += 3
					}
					n := 0
					if rows > 0 {
						n = (rows-1)*lda + cols
					}
					a := testutil.Guarded(t, n, flip)
					testutil.Fill(r, a, 10, 0.1)
					want := make([]float32, cols)
					columnSumsRef(rows, cols, a, lda, want)
					dst, whole := testutil.Padded(cols, 16)
					ColumnSums(rows, cols, a, lda, dst)
					what := fmt.Sprintf("%s ColumnSums %dx%d lda %d", Variant(), rows, cols, lda)
					testutil.Equal(t, want, dst, "%s", what)
					testutil.CheckPadding(t, whole, 16, what)
				}
			}
		}
	})
}

func TestSGD(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(5)
		params := [][3]float32{{0.01, 0, 0}, {0.1, 0.9, 0}, {0.05, 0, 1e-4}, {0.5, 0.9, 5e-4}, {0.01, float32(math.NaN()), 0},
			{0.01, 0, float32(math.Copysign(0, -1))}}
		for _, n := range vecLengths {
			for _, p := range params {
				lr, mom, wd := p[0], p[1], p[2]
				flip := n%2 == 1
				w := testutil.Guarded(t, n, flip)
				g := testutil.Guarded(t, n, !flip)
				testutil.Fill(r, w, 1, 0.1)
				testutil.Fill(r, g, 1, 0.1)
				var v, wantV []float32
				if mom != 0 {
					v = testutil.Guarded(t, n, flip)
					testutil.Fill(r, v, 1, 0.1)
					wantV = append([]float32(nil), v...)
				}
				wantW := append([]float32(nil), w...)
				sgdRef(wantW, g, wantV, lr, mom, wd)
				SGD(w, g, v, lr, mom, wd)
				what := fmt.Sprintf("%s SGD n=%d lr=%v momentum=%v wd=%v", Variant(), n, lr, mom, wd)
				testutil.Equal(t, wantW, w, "%s: w", what)
				testutil.Equal(t, wantV, v, "%s: v", what)
			}
		}
	})
}

// TestSGDThreads splits SGD calls over goroutines: every share and thread
// count gives the reference's results, and steady calls allocate nothing.
// TestSoftmaxThreads splits calls of three shares and more between 1–4
// goroutines: the same bits as the reference, whole blocks of 16 rows per
// share and a tail, dlogits aliased, apart or absent, and no allocations.
func TestSoftmaxThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(12)
		for _, c := range []struct{ cols, ld, ldd int }{{10, 10, 10}, {257, 260, 263}} {
			rows := 3*softmaxSplitLen/c.cols + 21
			logits0 := make([]float32, (rows-1)*c.ld+c.cols)
			testutil.Fill(r, logits0, 20, 0.001)
			labels := make([]int32, rows)
			for i := range labels {
				labels[i] = int32(r.IntN(c.cols))
			}
			wantLoss, wantD := make([]float32, rows), make([]float32, (rows-1)*c.ldd+c.cols)
			softmaxCERef(rows, c.cols, logits0, c.ld, labels, wantLoss, wantD, c.ldd, 0.25)
			for _, threads := range []Threads{1, 2, 3, 0} {
				logits := append([]float32(nil), logits0...)
				loss, d := make([]float32, rows), logits // aliased when ldd == ld
				if c.ldd != c.ld {
					d = make([]float32, len(wantD))
				}
				mean := threads.SoftmaxCrossEntropy(rows, c.cols, logits, c.ld, labels, loss, d, c.ldd, 0.25)
				what := fmt.Sprintf("%s Threads(%d).SoftmaxCrossEntropy %+v", Variant(), threads, c)
				testutil.Equal(t, wantLoss, loss, "%s: loss", what)
				testutil.Equal(t, wantD, d[:len(wantD)], "%s: dlogits", what)
				testutil.Equal(t, []float32{Sum(wantLoss) / float32(rows)}, []float32{mean}, "%s: mean", what)
				loss = make([]float32, rows)
				Threads(3).SoftmaxCrossEntropy(rows, c.cols, logits0, c.ld, labels, loss, nil, 0, 0.25)
				testutil.Equal(t, wantLoss, loss, "%s without dlogits: loss", what)
			}
			loss, d := make([]float32, rows), make([]float32, len(wantD))
			if a := testing.AllocsPerRun(5, func() {
				Threads(3).SoftmaxCrossEntropy(rows, c.cols, logits0, c.ld, labels, loss, d, c.ldd, 0.25)
			}); a != 0 {
				t.Errorf("Threads(3).SoftmaxCrossEntropy allocates %v times per call", a)
			}
		}
	})
}

func TestSGDThreads(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(11)
		n := 3*sgdSplitLen + 37
		w0, g, v0 := make([]float32, n), make([]float32, n), make([]float32, n)
		testutil.Fill(r, w0, 1, 0.01)
		testutil.Fill(r, g, 1, 0.01)
		testutil.Fill(r, v0, 1e-38, 0.01)
		for _, mom := range []float32{0, 0.9} {
			wantW, wantV := append([]float32(nil), w0...), append([]float32(nil), v0...)
			var refV []float32
			if mom != 0 {
				refV = wantV
			}
			sgdRef(wantW, g, refV, 0.02, mom, 0)
			for _, threads := range []Threads{1, 2, 3, 0} {
				w, v := append([]float32(nil), w0...), append([]float32(nil), v0...)
				var vArg []float32
				if mom != 0 {
					vArg = v
				}
				threads.SGD(w, g, vArg, 0.02, mom, 0)
				what := fmt.Sprintf("%s Threads(%d).SGD momentum=%v", Variant(), threads, mom)
				testutil.Equal(t, wantW, w, "%s: w", what)
				testutil.Equal(t, wantV, v, "%s: v", what)
			}
		}
		// Without momentum v is not used, whatever its length.
		w := append([]float32(nil), w0...)
		Threads(3).SGD(w, g, v0[:5:5], 0.02, 0, 0)
		wantW := append([]float32(nil), w0...)
		sgdRef(wantW, g, nil, 0.02, 0, 0)
		testutil.Equal(t, wantW, w, "%s Threads(3).SGD, short v, no momentum", Variant())
		if a := testing.AllocsPerRun(5, func() { Threads(3).SGD(w0, g, v0, 0.02, 0.9, 0) }); a != 0 {
			t.Errorf("Threads(3).SGD allocates %v times per call", a)
		}
	})
}

// TestSGDTinyVelocity covers momentum steps on velocities below 2⁻¹²⁵,
// which the avx512 kernel computes in integers where the gradient is ±0
// and as v' = g where it is far larger:
// every rounding case of m·v on the subnormal grid, lanes mixed with
// ordinary ones, and the momenta, learning rates and weights at and past
// the edges of that path.
func TestSGDTinyVelocity(t *testing.T) {
	f := math.Float32frombits
	momenta := []float32{0.9, 0.5, 0.99, 0.999, f(0x3f7fffff), 0.75, 0.1, f(0x2d000000), f(0x2c800000), -0.9, 1, 1.5,
		float32(math.Inf(1)), float32(math.NaN())}
	rates := []float32{0.02, -0.5, 0, 1e-30, f(0x00000001), 3e38, f(0x7f7fffff), float32(math.Inf(1)), float32(math.NaN())}
	grads := []float32{1e-3, f(27 << 23), f(27<<23 - 1), f(1<<31 | 27<<23), f(28 << 23), f(26 << 23), -3e38,
		float32(math.Inf(1)), float32(math.NaN())}
	weights := []float32{0.05, -1, f(0x00800000), f(0x00000003), 0, float32(math.Copysign(0, -1)), 1e-30, 1e-20, 2e-14,
		float32(math.Inf(-1)), float32(math.NaN()), 3e38}
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(9)
		const n = 16*12 + 5
		for _, m := range momenta {
			for _, lr := range rates {
				w := testutil.Guarded(t, n, false)
				g := testutil.Guarded(t, n, true)
				v := testutil.Guarded(t, n, false)
				for i := range n {
					k := r.Uint32N(1 << 24)
					switch i % 7 {
					case 0:
						k = 1 + uint32(i)%5 // smallest subnormals
					case 1:
						k = 1<<24 - 1 - uint32(i)%3 // just below 2⁻¹²⁵
					case 2:
						k = 1<<23 + uint32(i)%2 // 2⁻¹²⁶ and its successor
					}
					v[i] = f(k | uint32(i%2)<<31)
					g[i] = float32(math.Copysign(0, float64(1-i%4)))
					if i%11 == 3 {
						g[i] = f(uint32(i)) // a subnormal gradient
					} else if i%13 == 5 {
						g[i] = grads[i%len(grads)]
					} else if i%17 == 0 {
						v[i] = 0.25 // an ordinary lane
					}
					w[i] = weights[i%len(weights)]
					if i%3 != 0 {
						w[i] = r.Float32() - 0.5
					}
				}
				wantW, wantV := append([]float32(nil), w...), append([]float32(nil), v...)
				sgdRef(wantW, g, wantV, lr, m, 0)
				SGD(w, g, v, lr, m, 0)
				what := fmt.Sprintf("%s SGD momentum=%v lr=%v", Variant(), m, lr)
				testutil.Equal(t, wantW, w, "%s: w", what)
				testutil.Equal(t, wantV, v, "%s: v", what)
			}
		}
	})
}

func TestUint8ToFloat32(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(6)
		for _, n := range vecLengths {
			for _, div := range []float32{255, 1, 3, 0, float32(math.Copysign(0, -1))} {
				src := testutil.GuardedBytes(t, n, n%2 == 0)
				for i := range src {
					src[i] = uint8(r.Uint32())
				}
				want := make([]float32, n)
				uint8ToFloat32Ref(want, src, div)
				dst, whole := testutil.Padded(n, 16)
				Uint8ToFloat32(dst, src, div)
				what := fmt.Sprintf("%s Uint8ToFloat32 n=%d div=%v", Variant(), n, div)
				testutil.Equal(t, want, dst, "%s", what)
				testutil.CheckPadding(t, whole, 16, what)
			}
		}
	})
}

// TestGatherUint8ToFloat32 picks rows (repeated, first and last) of a
// guarded dataset on 1–4 goroutines, small calls and ones of three shares
// and more, against Uint8ToFloat32's reference row by row; it checks the
// named panics and that split calls do not allocate.
func TestGatherUint8ToFloat32(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(13)
		for _, c := range []struct{ width, n, rows int }{{1, 3, 5}, {17, 9, 20}, {784, 500, 3*gatherSplitLen/784 + 7}} {
			src := testutil.GuardedBytes(t, c.width*c.n, c.n%2 == 0)
			for i := range src {
				src[i] = uint8(r.Uint32())
			}
			rows := make([]int32, c.rows)
			for i := range rows {
				rows[i] = int32(r.IntN(c.n))
			}
			rows[0], rows[len(rows)-1] = int32(c.n-1), 0
			want := make([]float32, c.rows*c.width)
			for i, row := range rows {
				uint8ToFloat32Ref(want[i*c.width:(i+1)*c.width], src[int(row)*c.width:][:c.width], 255)
			}
			for _, threads := range []Threads{1, 2, 3, 0} {
				dst, whole := testutil.Padded(len(want), 16)
				threads.GatherUint8ToFloat32(dst, src, c.width, rows, 255)
				what := fmt.Sprintf("%s Threads(%d).GatherUint8ToFloat32 %+v", Variant(), threads, c)
				testutil.Equal(t, want, dst, "%s", what)
				testutil.CheckPadding(t, whole, 16, what)
			}
			dst := make([]float32, len(want))
			if a := testing.AllocsPerRun(5, func() { Threads(3).GatherUint8ToFloat32(dst, src, c.width, rows, 255) }); a != 0 {
				t.Errorf("Threads(3).GatherUint8ToFloat32 %+v allocates %v times per call", c, a)
			}
		}
	})
	src, dst := make([]uint8, 12), make([]float32, 8)
	for _, tc := range []struct {
		msg  string
		call func()
	}{
		{"GatherUint8ToFloat32: row index out of range", func() { GatherUint8ToFloat32(dst, src, 4, []int32{0, 3}, 1) }},
		{"GatherUint8ToFloat32: row index out of range", func() { GatherUint8ToFloat32(dst, src, 4, []int32{-1, 0}, 1) }},
		{"GatherUint8ToFloat32: len(dst) != len(rows)*width", func() { GatherUint8ToFloat32(dst, src, 3, []int32{0, 1}, 1) }},
		{"GatherUint8ToFloat32: len(dst) != len(rows)*width", func() { GatherUint8ToFloat32(dst, src, -4, []int32{0, 1}, 1) }},
	} {
		func() {
			defer func() {
				if got := recover(); got != "kernels: "+tc.msg {
					t.Errorf("panic %v, want %q", got, "kernels: "+tc.msg)
				}
			}()
			tc.call()
		}()
	}
}

func TestBroadcastRows(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(7)
		for _, cols := range []int{0, 1, 10, 17, 256} {
			bias := make([]float32, cols)
			testutil.Fill(r, bias, 1, 0.2)
			for _, rows := range []int{0, 1, 5} {
				ld := cols + 2
				n := max(0, (rows-1)*ld+cols)
				dst, whole := testutil.Padded(n, 16)
				want := make([]float32, n)
				broadcastRowsRef(rows, bias, want, ld)
				BroadcastRows(rows, bias, dst, ld)
				testutil.Equal(t, want, dst, "%s BroadcastRows %dx%d", Variant(), rows, cols)
				testutil.CheckPadding(t, whole, 16, "BroadcastRows")
			}
		}
	})
}

// TestVecAllocations: the element-wise kernels allocate nothing.
func TestVecAllocations(t *testing.T) {
	logits := make([]float32, 256*10)
	labels := make([]int32, 256)
	loss := make([]float32, 256)
	x := make([]float32, 1000)
	testutil.ForEachVariant(t, func(t *testing.T) {
		a := testing.AllocsPerRun(10, func() {
			SoftmaxCrossEntropy(256, 10, logits, 10, labels, loss, logits, 10, 1)
			SoftmaxCrossEntropy(1, 1000, x, 1000, labels, loss, x, 1000, 1)
			Relu(x, x)
			ReluGrad(x, x, x)
			SGD(x, x, x, 0.1, 0.9, 0.1)
			ColumnSums(100, 10, x, 10, loss)
		})
		if a != 0 {
			t.Fatalf("%s: %v allocations per run", Variant(), a)
		}
	})
}

// floats decodes fuzz bytes as float32s (all bit patterns reachable).
func floats(data []byte) []float32 {
	x := make([]float32, len(data)/4)
	for i := range x {
		x[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return x
}

// eachVariant runs fn with every available variant active (fuzz targets
// cannot use subtests).
func eachVariant(t *testing.T, fn func()) {
	for _, name := range impl.Available() {
		restore, _ := impl.Use(name)
		fn()
		restore()
	}
}

func FuzzRelu(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0x80, 0, 0, 0xc0, 0x7f, 1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, data []byte) {
		x := floats(data)
		want := make([]float32, len(x))
		wantGrad := make([]float32, len(x))
		reluRef(want, x)
		reluGradRef(wantGrad, x, want)
		eachVariant(t, func() {
			got := make([]float32, len(x))
			Relu(got, x)
			testutil.Equal(t, want, got, "%s Relu", Variant())
			ReluGrad(got, x, got)
			testutil.Equal(t, wantGrad, got, "%s ReluGrad", Variant())
		})
	})
}

func FuzzSoftmaxCrossEntropy(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0xc0, 0x7f}, uint8(3), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, cols, label uint8) {
		x := floats(data)
		c := int(cols)%40 + 1
		rows := len(x) / c
		if rows == 0 {
			return
		}
		labels := make([]int32, rows)
		for i := range labels {
			labels[i] = int32((int(label) + i) % c)
		}
		want, wantD := make([]float32, rows), make([]float32, rows*c)
		softmaxCERef(rows, c, x, c, labels, want, wantD, c, 0.25)
		eachVariant(t, func() {
			got, gotD := make([]float32, rows), make([]float32, rows*c)
			SoftmaxCrossEntropy(rows, c, x, c, labels, got, gotD, c, 0.25)
			testutil.Equal(t, want, got, "%s loss %dx%d", Variant(), rows, c)
			testutil.Equal(t, wantD, gotD, "%s dlogits %dx%d", Variant(), rows, c)
		})
	})
}

func FuzzSGD(f *testing.F) {
	f.Add([]byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0x40, 0, 0, 0xc0, 0x7f}, float32(0.1), float32(0.9), float32(1e-4))
	f.Fuzz(func(t *testing.T, data []byte, lr, momentum, weightDecay float32) {
		x := floats(data)
		n := len(x) / 3
		w0, g, v0 := x[:n], x[n:2*n], x[2*n:3*n]
		wantW, wantV := append([]float32(nil), w0...), append([]float32(nil), v0...)
		sgdRef(wantW, g, wantV, lr, momentum, weightDecay)
		eachVariant(t, func() {
			w, v := append([]float32(nil), w0...), append([]float32(nil), v0...)
			SGD(w, g, v, lr, momentum, weightDecay)
			testutil.Equal(t, wantW, w, "%s SGD w", Variant())
			testutil.Equal(t, wantV, v, "%s SGD v", Variant())
		})
	})
}

func TestSum(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		r := testutil.Rand(7)
		for _, n := range []int{0, 1, 2, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257, 1000} {
			for _, specials := range []float64{0, 0.05} {
				// ends at a guard page: no read past len(x)
				x := testutil.Guarded(t, n, true)
				testutil.Fill(r, x, 100, specials)
				want, got := sumRef(x), Sum(x)
				testutil.Equal(t, []float32{want}, []float32{got}, "%s Sum n=%d", Variant(), n)
			}
		}
		negz := float32(math.Copysign(0, -1))
		testutil.Equal(t, []float32{negz + 0}, []float32{Sum([]float32{negz, negz, negz})}, "%s Sum of -0s", Variant())
	})
}

func TestLabelsBelow(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		colsList := []int{1, 10, math.MaxInt32}
		if math.MaxInt > math.MaxInt32 { // beyond int32 where int allows it
			wide := int64(math.MaxInt32)
			colsList = append(colsList, int(wide+1), int(wide+2), int(wide<<9))
		}
		for _, n := range []int{0, 1, 15, 16, 17, 63, 64, 65, 100, 256, 257} {
			for _, cols := range colsList {
				// ends at a guard page: no read past len(labels)
				labels := testutil.GuardedInt32(t, n, true)
				for i := range labels {
					labels[i] = int32(uint64(i*7919) % uint64(min(cols, math.MaxInt32)))
				}
				what := fmt.Sprintf("%s labelsBelow n=%d cols=%d", Variant(), n, cols)
				if !labelsBelow(labels, cols) {
					t.Fatalf("%s: valid labels refused", what)
				}
				for _, at := range []int{0, n / 2, n - 1} {
					if n == 0 {
						break
					}
					for _, bad := range []int64{-1, math.MinInt32, min(int64(cols), math.MaxInt32+1)} {
						if bad > math.MaxInt32 {
							continue
						}
						old := labels[at]
						labels[at] = int32(bad)
						if got, want := labelsBelow(labels, cols), labelsBelowRef(labels, cols); got || want {
							t.Fatalf("%s: label %d at %d accepted (reference %v)", what, bad, at, want)
						}
						labels[at] = old
					}
				}
			}
		}
	})
}
