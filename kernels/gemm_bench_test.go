package kernels

import (
	"fmt"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

// BenchmarkSgemm reports GFLOP/s for
// BenchmarkSgemm/<variant>/t<threads>/<M>x<N>x<K>[/<trans>] on
// gemmBenchShapes. Rerun with e.g.
//
//	go test ./kernels/ -run '^$' -bench 'Sgemm/avx512/t1/' -count 5
func BenchmarkSgemm(b *testing.B) {
	for _, v := range impl.Available() {
		b.Run(v, func(b *testing.B) {
			restore, _ := impl.Use(v)
			defer restore()
			for _, threads := range []Threads{1, 2} {
				for _, s := range gemmBenchShapes() {
					if v == "generic" && s.m*s.n*s.k > 1<<30 {
						continue // minutes per call
					}
					b.Run(fmt.Sprintf("t%d/%v", threads, s), func(b *testing.B) {
						x, lda, y, ldb, z := s.operands()
						b.ReportAllocs()
						for b.Loop() {
							threads.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n)
						}
						b.ReportMetric(s.flops()*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					})
				}
			}
		})
	}
}

// gemmBenchShapes are the cubes, the MLP shapes and batch-1 inference with
// the weights stored out×in (A·Bᵀ).
func gemmBenchShapes() []gemmBenchShape {
	shapes := []gemmBenchShape{{m: 512, n: 512, k: 512}, {m: 1024, n: 1024, k: 1024}, {m: 2048, n: 2048, k: 2048}}
	for _, s := range mlpShapes {
		shapes = append(shapes, gemmBenchShape{s.transA, s.transB, s.m, s.n, s.k})
	}
	return append(shapes, gemmBenchShape{transB: true, m: 1, n: 256, k: 784}, gemmBenchShape{transB: true, m: 1, n: 10, k: 256})
}

// gemmBenchShape is one benchmarked product (alpha 1, beta 0, dense strides).
type gemmBenchShape struct {
	transA, transB bool
	m, n, k        int
}

func (s gemmBenchShape) String() string {
	name := fmt.Sprintf("%dx%dx%d", s.m, s.n, s.k)
	switch {
	case s.transA && s.transB:
		name += "/TT"
	case s.transA:
		name += "/TN"
	case s.transB:
		name += "/NT"
	}
	return name
}

func (s gemmBenchShape) flops() float64 {
	return 2 * float64(s.m) * float64(s.n) * float64(s.k)
}

// operands returns random A and B with their strides and a C for s.
func (s gemmBenchShape) operands() (x []float32, lda int, y []float32, ldb int, z []float32) {
	r := testutil.Rand(1)
	x = make([]float32, s.m*s.k)
	y = make([]float32, s.k*s.n)
	z = make([]float32, s.m*s.n)
	testutil.Fill(r, x, 1, 0)
	testutil.Fill(r, y, 1, 0)
	lda, ldb = s.k, s.n
	if s.transA {
		lda = s.m
	}
	if s.transB {
		ldb = s.k
	}
	return x, lda, y, ldb, z
}
