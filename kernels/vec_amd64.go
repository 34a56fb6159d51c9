//go:build !purego

package kernels

// Element-wise kernels of the amd64 variants.
var (
	vecAVX2   = vecGeneric
	vecAVX512 = vecGeneric
)
