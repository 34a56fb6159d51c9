package kernels

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

// gemmCase is one Sgemm call to check against sgemmRef.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	padA, padB     int // lda − width, ldb − width
	padC           int
	specials       float64 // rate of special values in A, B and C
	threads        int
	seed           uint64
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%s: tA=%v tB=%v m=%d n=%d k=%d alpha=%v beta=%v pads=%d,%d,%d specials=%v threads=%d seed=%d",
		Variant(), tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC, tc.specials, tc.threads, tc.seed)
}

// check runs tc with the active variant. A and B sit against PROT_NONE
// pages (at their start or their end, by guardEnd), so any read outside
// them faults; C is either guarded likewise or flanked by guard elements,
// and the whole C buffer, gaps between rows included, must equal the
// reference's.
func (tc gemmCase) check(t *testing.T, guardEnd bool) {
	t.Helper()
	r := testutil.Rand(tc.seed)
	rowsA, colsA := tc.m, tc.k
	if tc.transA {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.transB {
		rowsB, colsB = tc.n, tc.k
	}
	lda, ldb, ldc := max(1, colsA+tc.padA), max(1, colsB+tc.padB), max(1, tc.n+tc.padC)
	a := testutil.Guarded(t, span(rowsA, colsA, lda), guardEnd)
	b := testutil.Guarded(t, span(rowsB, colsB, ldb), !guardEnd)
	testutil.Fill(r, a, 1, tc.specials)
	testutil.Fill(r, b, 1, tc.specials)
	nc := span(tc.m, tc.n, ldc)
	var c, whole []float32
	const pad = 16
	if tc.seed%2 == 0 {
		c = testutil.Guarded(t, nc, guardEnd)
	} else {
		c, whole = testutil.Padded(nc, pad)
	}
	testutil.Fill(r, c, 1, tc.specials)
	if tc.beta == 0 {
		for i := 0; i < len(c); i += 3 {
			c[i] = float32(math.NaN()) // must be overwritten, not scaled
		}
	}
	want := append([]float32(nil), c...)
	sgemmRef(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	Threads(tc.threads).Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	testutil.Equal(t, want, c, "%v", tc)
	if whole != nil {
		testutil.CheckPadding(t, whole, pad, tc.String())
	}
}

// span is the length of a rows×cols matrix with row stride ld.
func span(rows, cols, ld int) int {
	if rows == 0 || cols == 0 {
		return 0
	}
	return (rows-1)*ld + cols
}

var (
	gemmAlphas = []float32{1, -1, 0.5, 0, 1.7}
	gemmBetas  = []float32{0, 1, -1, 0.5, 0.3}
)

// gemmSizes lists (m, n, k) straddling the vector widths and the active
// variant's blocking: 0…33 in each dimension, 63–65, 255–257, mr, nr, kc,
// mc and nc ±1 and a k past 4096. The large ones are left out in short mode.
func gemmSizes(g *gemmImpl) [][3]int {
	var s [][3]int
	for d := 0; d <= 33; d++ {
		s = append(s, [3]int{d, d, d}, [3]int{d, 33 - d, 1 + d%5}, [3]int{1 + d%7, d, 33 - d}, [3]int{33 - d, 1 + d%3, d})
	}
	for d := -1; d <= 1; d++ {
		s = append(s,
			[3]int{64 + d, 64 - d, 64}, [3]int{2*g.mr + d, 2*g.nr - d, 3},
			[3]int{g.mr + d, g.nr + d, g.kc + d}, [3]int{g.mc + d, 2, 5})
		if !testing.Short() {
			s = append(s, [3]int{255 + d, 17, 9}, [3]int{11, 256 + d, 9}, [3]int{7, 9, 256 + d},
				[3]int{3, g.nc + d, 4}, [3]int{g.mc + d, g.nr + 1, g.kc + 1})
		}
	}
	k := 4100
	if testing.Short() {
		k = 1 << 10
	}
	return append(s, [3]int{3, g.nr + 1, k}, [3]int{g.mr + 1, 5, k})
}

// TestSgemm compares every variant with sgemmRef, bit for bit, on the sizes
// above, cycling through transposes, alpha, beta, strides, thread counts,
// special values and guard placements.
func TestSgemm(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		g := &active().gemm
		for i, d := range gemmSizes(g) {
			tc := gemmCase{
				transA: i%2 == 1, transB: i/2%2 == 1,
				m: d[0], n: d[1], k: d[2],
				alpha: gemmAlphas[i%len(gemmAlphas)], beta: gemmBetas[i/3%len(gemmBetas)],
				padA: i % 3, padB: (i / 3) % 4, padC: i % 5,
				threads: 1 + i%3, seed: uint64(i),
			}
			if i%4 == 0 {
				tc.specials = 0.05
			}
			tc.check(t, i%8 < 4)
		}
	})
}

// TestSgemmGrid checks every transpose × alpha × beta, with special values,
// on a shape with edges in m and n.
func TestSgemmGrid(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		g := &active().gemm
		i := 0
		for _, tA := range []bool{false, true} {
			for _, tB := range []bool{false, true} {
				for _, alpha := range gemmAlphas {
					for _, beta := range gemmBetas {
						tc := gemmCase{transA: tA, transB: tB, m: 2*g.mr + 1, n: g.nr + 3, k: 19,
							alpha: alpha, beta: beta, padA: 1, padB: 2, padC: 3, specials: 0.03,
							threads: 1, seed: uint64(i)}
						tc.check(t, i%2 == 0)
						i++
					}
				}
			}
		}
	})
}

// TestSgemmThreads checks shapes big enough to be split, for each thread
// count and transpose, along m and along n.
func TestSgemmThreads(t *testing.T) {
	// The last splits along m over several k-blocks: B's shared panels are
	// packed and read block after block.
	shapes := [][3]int{{130, 70, 120}, {6, 400, 500}, {100, 40, 900}}
	if testing.Short() {
		shapes = [][3]int{{70, 60, 260}, {50, 40, 400}}
	}
	testutil.ForEachVariant(t, func(t *testing.T) {
		i := 0
		for _, d := range shapes {
			for _, threads := range []int{1, 2, 3} {
				for tr := range 4 {
					tc := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: d[0], n: d[1], k: d[2],
						alpha: gemmAlphas[i%len(gemmAlphas)], beta: gemmBetas[i%len(gemmBetas)],
						padA: i % 2, padB: 1, padC: 2, specials: 0.001, threads: threads, seed: uint64(i)}
					tc.check(t, i%2 == 0)
					i++
				}
			}
		}
	})
}

// TestSgemmConcurrent runs split calls from several goroutines at once:
// their parts wait for each other at barriers, which must not wait for
// workers busy with another call's parts.
func TestSgemmConcurrent(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4)) // three parts a call
	testutil.ForEachVariant(t, func(t *testing.T) {
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 3 {
					tc := gemmCase{transB: true, m: 100, n: 40, k: 300, alpha: 1, beta: 0.5,
						padA: 1, padB: 2, padC: 3, threads: 4, seed: uint64(10*g + i)}
					tc.check(t, i%2 == 0)
				}
			}()
		}
		wg.Wait()
	})
}

// TestSgemmSeeds repeats a mid-size shape with several seeds, specials in
// every operand.
func TestSgemmSeeds(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		for seed := range uint64(6) {
			tc := gemmCase{transA: seed%2 == 1, transB: seed%3 == 1, m: 37, n: 45, k: 70,
				alpha: 0.75, beta: 1.5, padA: 3, padB: 1, specials: 0.02, threads: 2, seed: seed + 100}
			tc.check(t, seed%2 == 0)
		}
	})
}

// TestSgemmPaths covers the shapes that variants may route away from the
// tiles: batch 1 (n across the row kernel's widths) and narrow products
// (n ≤ 16, m across the narrow kernel's rows), every transpose, alpha 1
// and not.
func TestSgemmPaths(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		var shapes [][3]int
		for _, n := range []int{1, 5, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 256} {
			shapes = append(shapes, [3]int{1, n, 1 + n%9}, [3]int{1, n, 300})
		}
		for n := 1; n <= 17; n++ {
			for _, m := range []int{2, 15, 16, 17, 33, 50} {
				shapes = append(shapes, [3]int{m, n, 1 + (m+n)%40})
			}
		}
		shapes = append(shapes, [3]int{256, 10, 256}, [3]int{1, 10, 256}, [3]int{1, 256, 784})
		for i, d := range shapes {
			tc := gemmCase{
				transA: i%2 == 1, transB: i%7 == 3,
				m: d[0], n: d[1], k: d[2],
				alpha: 1, beta: gemmBetas[i%len(gemmBetas)],
				padA: i % 3, padB: i % 4, padC: i % 5,
				threads: 1 + i%3, seed: uint64(i),
			}
			if i%3 == 2 {
				tc.alpha = gemmAlphas[i/3%len(gemmAlphas)]
			}
			if i%4 == 0 {
				tc.specials = 0.05
			}
			tc.check(t, i%8 < 4)
		}
		// Batch 1 of A·Bᵀ: blocks of 16 rows of B, full and partial, and k
		// in whole steps of 16 and not; then one split over threads.
		// A's row read in place ends at a guard page in the first check of
		// each shape; the second copies it (transA, alpha).
		i := 0
		for _, n := range []int{1, 5, 15, 16, 17, 32, 33, 257} {
			for _, k := range []int{1, 2, 3, 15, 16, 17, 18, 35, 300, 784} {
				tc := gemmCase{transB: true, m: 1, n: n, k: k, alpha: 1, beta: gemmBetas[i%len(gemmBetas)],
					padB: i % 4, padC: i % 2, specials: 0.02, threads: 1, seed: uint64(2 * i)}
				tc.check(t, true)
				tc.transA, tc.alpha, tc.padA, tc.seed = true, gemmAlphas[i%len(gemmAlphas)], 1+i%3, uint64(2*i+1)
				tc.check(t, false)
				i++
			}
		}
		tc := gemmCase{transB: true, m: 1, n: 1100, k: 1000, alpha: 1, beta: 1,
			padA: 1, padB: 3, padC: 1, specials: 0.001, threads: 2, seed: 5}
		tc.check(t, true)
		// Transposed tiles (transA, few columns) over a k past kc, with
		// full and partial blocks of rows, alpha and beta not 1; op(B) read
		// in place (n = 10 or 12, either layout) and packed.
		for i, d := range [][3]int{{70, 12, 500}, {45, 3, 1000}, {64, 1, 390}, {50, 10, 300}, {33, 10, 7}, {40, 9, 100}, {40, 11, 100}, {20, 12, 40}} {
			tc := gemmCase{transA: true, transB: i%3 == 1, m: d[0], n: d[1], k: d[2],
				alpha: []float32{0.5, 1.7, 1}[i%3], beta: gemmBetas[3+i%2], padA: i % 3, padB: i % 2, padC: 2,
				specials: 0.01, threads: 1, seed: uint64(i)}
			tc.check(t, i%2 == 0)
		}
		// Big enough to be split over threads: along n, and along m (by
		// transposed tiles, and narrow A·Bᵀ).
		for i, d := range [][3]int{{1, 1100, 1000}, {1000, 10, 200}, {700, 12, 300}} {
			tc := gemmCase{transA: i == 1, transB: i == 2, m: d[0], n: d[1], k: d[2], alpha: 1, beta: 0.5,
				padA: 1, padB: 2, padC: 3, specials: 0.001, threads: 2, seed: uint64(i)}
			tc.check(t, i == 0)
		}
	})
}

// TestSgemmAliased uses row strides of 1024 floats, which the driver packs
// even for full panels with alpha == 1 (aliased).
func TestSgemmAliased(t *testing.T) {
	testutil.ForEachVariant(t, func(t *testing.T) {
		g := &active().gemm
		for tr := range 4 {
			tc := gemmCase{transA: tr&1 != 0, transB: tr&2 != 0, m: 2*g.mr + 1, n: 2*g.nr + 1, k: 40,
				alpha: 1, beta: 0.5, threads: 1, seed: uint64(tr)}
			tc.padA, tc.padB = 1024-tc.k, 1024-tc.n
			if tc.transA {
				tc.padA = 1024 - tc.m
			}
			if tc.transB {
				tc.padB = 1024 - tc.k
			}
			tc.check(t, tr%2 == 0)
		}
	})
}

// TestSgemmPanics checks the named panics for bad arguments.
func TestSgemmPanics(t *testing.T) {
	x := make([]float32, 64)
	for _, tc := range []struct {
		msg  string
		call func()
	}{
		{"Sgemm: m < 0", func() { Sgemm(false, false, -1, 2, 2, 1, x, 2, x, 2, 0, x, 2) }},
		{"Sgemm: n < 0", func() { Sgemm(false, false, 2, -1, 2, 1, x, 2, x, 2, 0, x, 2) }},
		{"Sgemm: k < 0", func() { Sgemm(false, false, 2, 2, -1, 1, x, 2, x, 2, 0, x, 2) }},
		{"Sgemm: bad lda", func() { Sgemm(false, false, 2, 2, 3, 1, x, 2, x, 2, 0, x, 2) }},
		{"Sgemm: bad lda", func() { Sgemm(true, false, 3, 2, 2, 1, x, 2, x, 2, 0, x, 2) }},
		{"Sgemm: bad ldb", func() { Sgemm(false, false, 2, 3, 2, 1, x, 2, x, 2, 0, x, 3) }},
		{"Sgemm: bad ldb", func() { Sgemm(false, true, 2, 2, 3, 1, x, 3, x, 2, 0, x, 2) }},
		{"Sgemm: bad ldc", func() { Sgemm(false, false, 2, 3, 2, 1, x, 2, x, 3, 0, x, 2) }},
		{"Sgemm: c too short", func() { Sgemm(false, false, 5, 5, 2, 1, x, 2, x, 5, 0, x[:24], 5) }},
		{"Sgemm: a too short", func() { Sgemm(false, false, 5, 5, 2, 1, x[:9], 2, x, 5, 0, x, 5) }},
		{"Sgemm: b too short", func() { Sgemm(false, false, 5, 5, 2, 1, x, 2, x[:9], 5, 0, x, 5) }},
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

// mlpShapes are the Sgemm calls of the 784-256-10 MLP at batch 256 and 1.
var mlpShapes = []struct {
	transA, transB bool
	m, n, k        int
}{
	{false, false, 256, 256, 784}, // forward, layer 1
	{false, false, 256, 10, 256},  // forward, layer 2
	{true, false, 784, 256, 256},  // weight gradient, layer 1
	{true, false, 256, 10, 256},   // weight gradient, layer 2
	{false, true, 256, 256, 10},   // input gradient, layer 2
	{false, false, 1, 256, 784},   // inference
	{false, false, 1, 10, 256},
}

// TestSgemmAllocs asserts that steady-state calls allocate nothing, with 1
// and 2 threads, on the MLP shapes, with the active variant (the buffers
// and workers are the driver's, shared by all variants). Each call follows
// a GC, which the buffer free list must survive.
func TestSgemmAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("MLP-sized products are slow on the generic variant under emulation")
	}
	for _, s := range mlpShapes {
		ta, tb := s.m, s.k
		if s.transA {
			ta, tb = s.k, s.m
		}
		a := make([]float32, ta*tb)
		b := make([]float32, s.k*s.n)
		c := make([]float32, s.m*s.n)
		lda, ldb := tb, s.n
		if s.transB {
			ldb = s.k
		}
		for _, threads := range []Threads{1, 2} {
			got := testing.AllocsPerRun(5, func() {
				runtime.GC()
				threads.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n)
			})
			if got != 0 {
				t.Errorf("%s %+v threads=%d: %v allocations per call", Variant(), s, threads, got)
			}
		}
	}
}

// FuzzSgemm compares every available variant with sgemmRef on small
// products chosen by the fuzzer.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(5), uint8(7), uint8(3), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(33), uint8(17), uint8(40), uint8(3), uint8(12), uint64(2))
	f.Fuzz(func(t *testing.T, m, n, k, flags, ab uint8, seed uint64) {
		tc := gemmCase{
			transA: flags&1 != 0, transB: flags&2 != 0,
			m: int(m % 48), n: int(n % 48), k: int(k % 80),
			alpha: gemmAlphas[int(ab)%len(gemmAlphas)], beta: gemmBetas[int(ab/8)%len(gemmBetas)],
			padA: int(flags>>2) & 3, padB: int(flags>>4) & 3, padC: int(flags >> 6),
			specials: float64(seed%4) * 0.02, threads: 1 + int(seed>>2)%3, seed: seed,
		}
		for _, name := range impl.Available() {
			restore, _ := impl.Use(name)
			tc.check(t, seed&8 != 0)
			restore()
		}
	})
}
