//go:build !purego

package kernels

var gemmNEON = gemmGeneric
