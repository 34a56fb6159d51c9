//go:build !purego

package asm

// SgemmKernel6x16 computes one 6×16 tile of C, loading it first:
//
//	for i < 6, j < 16:
//		acc := +0 if beta == 0 (c is not read), c[i*ldc+j] if beta == 1,
//		       else beta * c[i*ldc+j]
//		for p < k: acc = FMA(a[i*rsa+p*csa], b[p*sb+j], acc)
//		c[i*ldc+j] = acc
//
// Preconditions: k ≥ 1, len(a) ≥ 5*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+16,
// len(c) ≥ 5*ldc+16. Requires AVX2 and FMA.
//
//go:noescape
func SgemmKernel6x16(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

// SgemmKernel8x32 is SgemmKernel6x16 for an 8×32 tile:
// len(a) ≥ 7*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+32, len(c) ≥ 7*ldc+32.
// Requires AVX512F.
//
//go:noescape
func SgemmKernel8x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

// SgemmKernel12x32 is SgemmKernel6x16 for a 12×32 tile:
// len(a) ≥ 11*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+32, len(c) ≥ 11*ldc+32.
// Requires AVX512F.
//
//go:noescape
func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

//go:noescape
func SgemmKernel12x32P(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
