package bench

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// shape is one C(M×N) = A(M×K)·B(K×N) product.
type shape struct{ m, n, k int }

func (s shape) String() string { return fmt.Sprintf("%dx%dx%d", s.m, s.n, s.k) }

// flops counts a multiply and an add per inner-product term.
func (s shape) flops() float64 { return 2 * float64(s.m) * float64(s.n) * float64(s.k) }

// Shapes of the 784-256-10 MLP at batch 256 and batch 1, then cubes.
var shapes = []shape{
	{256, 256, 784}, {256, 784, 256}, {784, 256, 256}, {256, 10, 256},
	{1, 256, 784}, {1, 10, 256},
	{512, 512, 512}, {1024, 1024, 1024}, {2048, 2048, 2048},
}

var threadCounts = []int{1, 2}

// maxCall skips a shape whose predicted time per call exceeds it, so that
// an unfinished kernel cannot stall the whole run on 2048³. The prediction
// uses the rate this peer reached at this thread count on the largest shape
// measured so far (small shapes run at unrepresentative rates).
var maxCall = flag.Duration("sgemm.maxcall", 10*time.Second,
	"skip shapes predicted to take longer than this per call (0: never skip)")

type measured struct{ flops, rate float64 }

var (
	rateMu sync.Mutex
	rate   = map[string]measured{} // "peer/threads" -> largest shape so far
)

// peer computes C = A·B (alpha 1, beta 0), row-major, no transpose, dense
// (lda = k, ldb = ldc = n), using at most threads goroutines at a time.
type peer struct {
	name string
	gemm func(threads int, s shape, a, b, c []float32)
}

// peers is filled by init functions, one per library, so that a peer that
// does not build can be left out by deleting one file.
var peers []peer

// configLines are printed before the benchmarks in benchstat's
// "key: value" form (e.g. which simdkern variant ran).
var configLines []string

func init() {
	peers = append(peers,
		peer{"gonum", func(_ int, s shape, a, b, c []float32) {
			blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
				blas32.General{Rows: s.m, Cols: s.k, Stride: s.k, Data: a},
				blas32.General{Rows: s.k, Cols: s.n, Stride: s.n, Data: b},
				0,
				blas32.General{Rows: s.m, Cols: s.n, Stride: s.n, Data: c})
		}},
		// vek32.MatMul_Into takes row-major x (m×n) and y (n×p) with n the
		// shared dimension, so it computes A·B as is. It splits rows over
		// runtime.NumCPU goroutines; GOMAXPROCS caps how many run at once.
		peer{"vek", func(_ int, s shape, a, b, c []float32) {
			vek32.MatMul_Into(c, a, b, s.k)
		}},
	)
}

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		for _, l := range configLines {
			fmt.Println(l)
		}
	}
	os.Exit(m.Run())
}

// randMat returns n floats uniform in [-1, 1) from a fixed seed.
func randMat(n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	x := make([]float32, n)
	for i := range x {
		x[i] = 2*r.Float32() - 1
	}
	return x
}

// withProcs runs f with GOMAXPROCS set to n and restores it.
func withProcs(n int, f func()) {
	old := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(old)
	f()
}

func BenchmarkSgemm(b *testing.B) {
	for _, p := range peers {
		b.Run(p.name, func(b *testing.B) {
			for _, t := range threadCounts {
				b.Run(fmt.Sprint(t), func(b *testing.B) {
					for _, s := range shapes {
						b.Run(s.String(), func(b *testing.B) {
							benchGemm(b, p, t, s)
						})
					}
				})
			}
		})
	}
}

func benchGemm(b *testing.B, p peer, threads int, s shape) {
	key := fmt.Sprintf("%s/%d", p.name, threads)
	rateMu.Lock()
	prev, seen := rate[key]
	rateMu.Unlock()
	if seen && *maxCall > 0 && s.flops()/prev.rate > maxCall.Seconds() {
		b.Skipf("predicted %.1fs per call at %.3g GFLOP/s > -sgemm.maxcall=%v",
			s.flops()/prev.rate, prev.rate/1e9, *maxCall)
	}
	a := randMat(s.m*s.k, 1)
	bm := randMat(s.k*s.n, 2)
	c := make([]float32, s.m*s.n)
	withProcs(threads, func() {
		p.gemm(threads, s, a, bm, c) // warm caches and lazily started workers
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			p.gemm(threads, s, a, bm, c)
		}
		r := s.flops() * float64(b.N) / b.Elapsed().Seconds()
		b.ReportMetric(r/1e9, "GFLOP/s")
		if !seen || s.flops() >= prev.flops {
			rateMu.Lock()
			rate[key] = measured{s.flops(), r}
			rateMu.Unlock()
		}
	})
}

// TestPeersAgree checks that the peers compute the same product, so the
// benchmark compares like with like. Each result is within γₖ·(|A|·|B|) of
// the exact product, γₖ = k·u/(1−k·u) (the standard bound for any summation
// order, with or without FMA), so two results differ by at most twice that.
func TestPeersAgree(t *testing.T) {
	if len(peers) < 2 {
		t.Skip("fewer than two peers")
	}
	check := append([]shape{{1, 1, 1}, {3, 5, 7}, {33, 17, 65}, {5, 1, 300}, {4, 40, 1}}, shapes...)
	for _, s := range check {
		if testing.Short() && s.flops() > 3e8 { // -short stops at 512³
			continue
		}
		a := randMat(s.m*s.k, 3)
		bm := randMat(s.k*s.n, 4)
		bound := errorBound(s, a, bm)
		results := make([][]float32, len(peers))
		for pi, p := range peers {
			for _, th := range threadCounts {
				c := make([]float32, s.m*s.n)
				for i := range c {
					c[i] = float32(math.NaN()) // beta = 0 must not read C
				}
				withProcs(th, func() { p.gemm(th, s, a, bm, c) })
				if results[pi] == nil {
					results[pi] = c
				}
				if th != threadCounts[0] {
					compare(t, fmt.Sprintf("%v %s/%d vs %s/%d", s, p.name, threadCounts[0], p.name, th),
						results[pi], c, bound)
				}
			}
		}
		for x := 0; x < len(peers); x++ {
			for y := x + 1; y < len(peers); y++ {
				compare(t, fmt.Sprintf("%v %s vs %s", s, peers[x].name, peers[y].name),
					results[x], results[y], bound)
			}
		}
	}
}

// errorBound returns 2·γₖ·Σₗ|a_il·b_lj| for each C element (dense A·B,
// computed in float64): twice the bound on one result's rounding error.
func errorBound(s shape, a, b []float32) []float64 {
	const u = 0x1p-24 // unit roundoff of float32
	gamma := float64(s.k) * u / (1 - float64(s.k)*u)
	bound := make([]float64, s.m*s.n)
	for i := 0; i < s.m; i++ {
		for l := 0; l < s.k; l++ {
			ail := math.Abs(float64(a[i*s.k+l]))
			for j, blj := range b[l*s.n : (l+1)*s.n] {
				bound[i*s.n+j] += ail * math.Abs(float64(blj))
			}
		}
	}
	for i := range bound {
		bound[i] *= 2 * gamma
	}
	return bound
}

func compare(t *testing.T, what string, x, y []float32, bound []float64) {
	t.Helper()
	bad := 0
	var msg strings.Builder
	for i := range x {
		d := math.Abs(float64(x[i]) - float64(y[i]))
		if !(d <= bound[i]) { // also catches NaN
			if bad < 3 {
				fmt.Fprintf(&msg, "\n  [%d]: %g vs %g, |diff| %g > bound %g", i, x[i], y[i], d, bound[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d elements differ beyond the bound:%s", what, bad, len(x), msg.String())
	}
}
