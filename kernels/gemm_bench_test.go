package kernels

import (
	"fmt"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

// BenchmarkSgemm reports GFLOP/s for
// BenchmarkSgemm/<variant>/t<threads>/<M>x<N>x<K>[/<trans>] on the MLP
// shapes and cubes (alpha 1, beta 0, dense strides). Rerun with e.g.
//
//	go test ./kernels/ -run '^$' -bench 'Sgemm/avx512/t1/' -count 5
func BenchmarkSgemm(b *testing.B) {
	type shape struct {
		transA, transB bool
		m, n, k        int
	}
	shapes := []shape{{m: 512, n: 512, k: 512}, {m: 1024, n: 1024, k: 1024}, {m: 2048, n: 2048, k: 2048}}
	for _, s := range mlpShapes {
		shapes = append(shapes, shape{s.transA, s.transB, s.m, s.n, s.k})
	}
	for _, v := range impl.Available() {
		b.Run(v, func(b *testing.B) {
			restore, _ := impl.Use(v)
			defer restore()
			for _, threads := range []Threads{1, 2} {
				for _, s := range shapes {
					if v == "generic" && s.m*s.n*s.k > 1<<30 {
						continue // minutes per call
					}
					name := fmt.Sprintf("t%d/%dx%dx%d", threads, s.m, s.n, s.k)
					switch {
					case s.transA && s.transB:
						name += "/TT"
					case s.transA:
						name += "/TN"
					case s.transB:
						name += "/NT"
					}
					b.Run(name, func(b *testing.B) {
						r := testutil.Rand(1)
						x := make([]float32, s.m*s.k)
						y := make([]float32, s.k*s.n)
						z := make([]float32, s.m*s.n)
						testutil.Fill(r, x, 1, 0)
						testutil.Fill(r, y, 1, 0)
						lda, ldb := s.k, s.n
						if s.transA {
							lda = s.m
						}
						if s.transB {
							ldb = s.k
						}
						b.ReportAllocs()
						for b.Loop() {
							threads.Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n)
						}
						flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
						b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
					})
				}
			}
		})
	}
}
