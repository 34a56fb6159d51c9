//go:build !purego

package kernels

var (
	gemmAVX2   = gemmGeneric
	gemmAVX512 = gemmGeneric
)
