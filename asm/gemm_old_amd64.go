//go:build !purego

package asm

//go:noescape
func SgemmKernel12x32Old(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)

//go:noescape
func SgemmKernel6x16Old(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
