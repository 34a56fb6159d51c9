//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

var (
	gemmAVX2 = gemmImpl{
		mr: 6, nr: 16,
		kc: avx2KC, mc: avx2MC, nc: avx2NC,
		kernel: func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int) {
			asm.SgemmKernel6x16(k, a, rsa, csa, b, sb, beta, c, ldc)
		},
	}
	gemmAVX512 = gemmImpl{
		mr: 12, nr: 32,
		kc: avx512KC, mc: avx512MC, nc: avx512NC,
		kernel: func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int) {
			asm.SgemmKernel12x32P(k, a, rsa, csa, b, sb, beta, c, ldc)
		},
	}
)
