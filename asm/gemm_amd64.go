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
// len(c) ≥ 5*ldc+16. It prefetches A and B eight steps of p ahead and,
// when k ≥ 64, the 6×16 tile below (c[6*ldc:]), the driver's next: hints,
// which cannot fault, so they may lie past a, b and c.
// Requires AVX2 and FMA.
//
//go:noescape
func SgemmKernel6x16(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

// SgemmKernel12x32 is SgemmKernel6x16 for a 12×32 tile:
// len(a) ≥ 11*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+32, len(c) ≥ 11*ldc+32;
// it prefetches c[12*ldc:]. Requires AVX512F.
//
//go:noescape
func SgemmKernel12x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

// SgemmKernel10x32 is SgemmKernel6x16 for a 10×32 tile:
// len(a) ≥ 9*rsa+(k-1)*csa+1, len(b) ≥ (k-1)*sb+32, len(c) ≥ 9*ldc+32;
// it prefetches c[10*ldc:]. Requires AVX512F.
//
//go:noescape
func SgemmKernel10x32(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

// SgemmKernel16xN computes 16 rows and the first n ≤ 16 columns of C,
// loading them first:
//
//	for i < 16, j < n:
//		acc := +0 if beta == 0 (c is not read), c[i*ldc+j] if beta == 1,
//		       else beta * c[i*ldc+j]
//		for p < k: acc = FMA(a[i*rsa+p*csa], b[p*sb+j], acc)
//		c[i*ldc+j] = acc
//
// Preconditions: k ≥ 1, 1 ≤ n ≤ 16, len(a) ≥ 15*rsa+(k-1)*csa+1,
// len(b) ≥ (k-1)*sb+n, len(c) ≥ 15*ldc+n. Requires AVX512F.
//
//go:noescape
func SgemmKernel16xN(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int, n int)

// SgemmRow64 computes the first n ≤ 64 elements of one row of C, loading
// them first:
//
//	for j < n:
//		acc := +0 if beta == 0 (c is not read), c[j] if beta == 1,
//		       else beta * c[j]
//		for p < k: acc = FMA(a[p*sa], b[p*sb+j], acc)
//		c[j] = acc
//
// Preconditions: k ≥ 1, 1 ≤ n ≤ 64, len(a) ≥ (k-1)*sa+1,
// len(b) ≥ (k-1)*sb+n, len(c) ≥ n. Requires AVX512F and AVX512BW.
//
//go:noescape
func SgemmRow64(k int, a []float32, sa int, b []float32, sb int, beta float32, c []float32, n int)

// SgemmRowT16 computes 16 elements of one row of C from 16 rows of B
// (batch 1 of A·Bᵀ), loading them first:
//
//	for j < 16:
//		acc := +0 if beta == 0 (c is not read), c[j] if beta == 1,
//		       else beta * c[j]
//		for p < k: acc = FMA(a[p], b[j*sb+p], acc)
//		c[j] = acc
//
// Preconditions: k ≥ 1, sb ≥ k, len(a) ≥ k, len(b) ≥ 15*sb+k,
// len(c) ≥ 16. Requires AVX512F.
//
//go:noescape
func SgemmRowT16(k int, a []float32, b []float32, sb int, beta float32, c []float32)

// SgemmRowT8 is SgemmRowT16 for 8 elements from 8 rows of B:
// len(b) ≥ 7*sb+k, len(c) ≥ 8. Requires AVX2 and FMA.
//
//go:noescape
func SgemmRowT8(k int, a []float32, b []float32, sb int, beta float32, c []float32)

// SgemmRow32 is SgemmRow64 for n ≤ 32: 1 ≤ n ≤ 32, len(b) ≥ (k-1)*sb+n,
// len(c) ≥ n. Requires AVX2 and FMA.
//
//go:noescape
func SgemmRow32(k int, a []float32, sa int, b []float32, sb int, beta float32, c []float32, n int)

// PackColsT16 packs rows ≤ 16 rows of k contiguous floats (row stride ld)
// transposed, 16 columns at a time through registers:
//
//	for p < k, i < rows: dst[p*sd+i] = src[i*ld+p]
//
// dst[p*sd+i] for i ≥ rows is left as it was. Preconditions:
// 1 ≤ rows ≤ 16, sd ≥ rows, k ≥ 0, len(src) ≥ (rows-1)*ld+k,
// len(dst) ≥ (k-1)*sd+rows. Requires AVX512F.
//
//go:noescape
func PackColsT16(dst []float32, sd int, src []float32, ld, rows, k int)

// PackColsT8 is PackColsT16 with 8×8 blocks, for rows ≤ 8. Requires AVX2.
//
//go:noescape
func PackColsT8(dst []float32, sd int, src []float32, ld, rows, k int)

// PackRows16 copies k rows of cols contiguous floats (row stride ld) into
// rows of lanes floats (row stride sd), zero past cols:
//
//	for p < k, j < lanes: dst[p*sd+j] = src[p*ld+j] if j < cols, else 0
//
// Preconditions: 0 ≤ cols ≤ lanes ≤ 16, k ≥ 0, len(src) ≥ (k-1)*ld+cols,
// len(dst) ≥ (k-1)*sd+lanes. Requires AVX512F.
//
//go:noescape
func PackRows16(dst []float32, sd int, src []float32, ld, cols, lanes, k int)

// PackRows8 is PackRows16 for lanes ≤ 8. Requires AVX2.
//
//go:noescape
func PackRows8(dst []float32, sd int, src []float32, ld, cols, lanes, k int)
