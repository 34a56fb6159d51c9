package bench

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// transPeer computes C = op(A)·op(B) (alpha 1, beta 0, dense, row-major):
// A is stored k×m when tA, B is stored n×k when tB. These are the products
// of an MLP's backward pass and of X·Wᵀ with nn.Linear-style weights. vek
// has no transposed form, so only simdkern and gonum take part.
type transPeer struct {
	name string
	gemm func(threads int, tA, tB bool, s shape, a, b, c []float32)
}

var transPeers []transPeer

var transCases = []struct {
	name   string
	tA, tB bool
}{{"NT", false, true}, {"TN", true, false}}

// transShapes are the MLP shapes (batch 256 and 1).
var transShapes = shapes[:6]

func init() {
	transPeers = append(transPeers, transPeer{"gonum", func(_ int, tA, tB bool, s shape, a, b, c []float32) {
		ta, ga := blas.NoTrans, blas32.General{Rows: s.m, Cols: s.k, Stride: s.k, Data: a}
		if tA {
			ta, ga = blas.Trans, blas32.General{Rows: s.k, Cols: s.m, Stride: s.m, Data: a}
		}
		tb, gb := blas.NoTrans, blas32.General{Rows: s.k, Cols: s.n, Stride: s.n, Data: b}
		if tB {
			tb, gb = blas.Trans, blas32.General{Rows: s.n, Cols: s.k, Stride: s.k, Data: b}
		}
		blas32.Gemm(ta, tb, 1, ga, gb, 0, blas32.General{Rows: s.m, Cols: s.n, Stride: s.n, Data: c})
	}})
}

func BenchmarkSgemmTrans(b *testing.B) {
	for _, p := range transPeers {
		b.Run(p.name, func(b *testing.B) {
			for _, t := range threadCounts {
				b.Run(fmt.Sprint(t), func(b *testing.B) {
					for _, tc := range transCases {
						b.Run(tc.name, func(b *testing.B) {
							for _, s := range transShapes {
								b.Run(s.String(), func(b *testing.B) {
									benchGemm(b, peer{p.name + "/" + tc.name, func(th int, s shape, a, bm, c []float32) {
										p.gemm(th, tc.tA, tc.tB, s, a, bm, c)
									}}, t, s)
								})
							}
						})
					}
				})
			}
		})
	}
}

// transpose returns the cols×rows transpose of a dense rows×cols matrix.
func transpose(x []float32, rows, cols int) []float32 {
	y := make([]float32, len(x))
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			y[j*rows+i] = x[i*cols+j]
		}
	}
	return y
}

// TestTransPeersAgree checks each transposed product against gonum's
// untransposed product of explicitly transposed copies, with the bound of
// TestPeersAgree.
func TestTransPeersAgree(t *testing.T) {
	check := append([]shape{{1, 1, 1}, {3, 5, 7}, {33, 17, 65}, {5, 1, 300}}, transShapes...)
	var nn peer
	for _, p := range peers {
		if p.name == "gonum" {
			nn = p
		}
	}
	if nn.gemm == nil {
		t.Fatal("no gonum peer")
	}
	for _, s := range check {
		a := randMat(s.m*s.k, 5)  // op(A), m×k
		bm := randMat(s.k*s.n, 6) // op(B), k×n
		want := make([]float32, s.m*s.n)
		nn.gemm(1, s, a, bm, want)
		bound := errorBound(s, a, bm)
		for _, tc := range transCases {
			sa, sb := a, bm
			if tc.tA {
				sa = transpose(a, s.m, s.k)
			}
			if tc.tB {
				sb = transpose(bm, s.k, s.n)
			}
			for _, p := range transPeers {
				for _, th := range threadCounts {
					c := make([]float32, s.m*s.n)
					for i := range c {
						c[i] = float32(math.NaN())
					}
					withProcs(th, func() { p.gemm(th, tc.tA, tc.tB, s, sa, sb, c) })
					compare(t, fmt.Sprintf("%v %s %s/%d vs %s NN", s, tc.name, p.name, th, nn.name), c, want, bound)
				}
			}
		}
	}
}
