//go:build !purego

package kernels

// Element-wise kernels of the neon variant.
var vecNEON = vecGeneric
