package kernels

// gemmImpl holds one variant's GEMM micro-kernels.
type gemmImpl struct{}

var gemmGeneric gemmImpl

// sgemm runs a validated Sgemm call with variant v.
func (t Threads) sgemm(v *variant, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
