//go:build !purego

package asm

// SgemmKernel8x12 computes one 8×12 tile of C, loading it first:
//
//	for i < 8, j < 12:
//		acc := +0 if beta == 0 (c is not read), c[i*ldc+j] if beta == 1,
//		       else beta * c[i*ldc+j]
//		for p < k: acc = FMA(a[i*rsa+p*csa], b[p*sb+j], acc)
//		c[i*ldc+j] = acc
//
// Preconditions: k ≥ 1, len(a) ≥ 7*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+12,
// len(c) ≥ 7*ldc+12. Requires ASIMD.
//
//go:noescape
func SgemmKernel8x12(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
