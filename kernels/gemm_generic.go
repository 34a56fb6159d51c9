package kernels

// sgemmRef is the contract of Sgemm, written as plainly as possible. With
// opA(i,p) = A[i*lda+p] (A[p*lda+i] when transA) and opB(p,j) likewise:
//
//	for each i < m, j < n:
//		acc := +0                     if beta == 0 (C is not read)
//		acc := beta * C[i*ldc+j]      otherwise (one float32 multiply)
//		if alpha != 0:
//			for p := 0; p < k; p++ {
//				a := alpha * opA(i,p)   // one float32 multiply; == opA(i,p) when alpha == 1
//				acc = FMA(a, opB(p,j), acc)
//			}
//		C[i*ldc+j] = acc
//
// alpha == 0 reads neither A nor B, as in BLAS. Every variant computes each
// C element as this one sequential chain; blocking over k stores and reloads
// the float32 accumulator, which is exact, and threads never split k.
func sgemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var acc float32
			if beta != 0 {
				acc = beta * c[i*ldc+j]
			}
			if alpha != 0 {
				for p := 0; p < k; p++ {
					var av, bv float32
					if transA {
						av = a[p*lda+i]
					} else {
						av = a[i*lda+p]
					}
					if transB {
						bv = b[j*ldb+p]
					} else {
						bv = b[p*ldb+j]
					}
					acc = FMA(alpha*av, bv, acc)
				}
			}
			c[i*ldc+j] = acc
		}
	}
}
