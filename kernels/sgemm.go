package kernels

// Threads bounds the goroutines one kernel call may use; 0 (or less) means
// runtime.GOMAXPROCS(0). It is a value, not a setting: each call says what
// it wants, and results are bit-identical whatever the count.
//
//	kernels.Threads(1).Sgemm(...) // one goroutine: the caller's
type Threads int

// Sgemm computes C = alpha·op(A)·op(B) + beta·C on row-major matrices with
// up to GOMAXPROCS goroutines; see Threads.Sgemm.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	Threads(0).Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C, BLAS semantics on
// row-major storage: op(A) is m×k (A is stored m×k with row stride
// lda ≥ k, or k×m with lda ≥ m when transA), op(B) is k×n (k×n with
// ldb ≥ n, or n×k with ldb ≥ k when transB), C is m×n with ldc ≥ n.
// Each element of C is computed exactly as sgemmRef says: one FMA chain over
// k in order, starting from beta·C (C is not read when beta is 0; A and B
// are not read when alpha is 0). Bad dimensions or short slices panic.
// C must not overlap A or B.
func (t Threads) Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	must(m >= 0, "Sgemm: m < 0")
	must(n >= 0, "Sgemm: n < 0")
	must(k >= 0, "Sgemm: k < 0")
	rowsA, colsA := m, k
	if transA {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if transB {
		rowsB, colsB = n, k
	}
	must(lda >= max(1, colsA), "Sgemm: bad lda")
	must(ldb >= max(1, colsB), "Sgemm: bad ldb")
	must(ldc >= max(1, n), "Sgemm: bad ldc")
	if m == 0 || n == 0 {
		return
	}
	must(len(c) >= (m-1)*ldc+n, "Sgemm: c too short")
	if k > 0 && alpha != 0 {
		must(len(a) >= (rowsA-1)*lda+colsA, "Sgemm: a too short")
		must(len(b) >= (rowsB-1)*ldb+colsB, "Sgemm: b too short")
	}
	v := active()
	t.sgemm(v, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
