//go:build !purego

package kernels

import "github.com/simdkern/simdkern/internal/cpu"

// simdVariant describes the SIMD variants on arm64: NEON (ASIMD), which
// every arm64 CPU Go supports has, checked all the same.
func simdVariant(name string) variant {
	if name == "neon" {
		return variant{name: name, available: cpu.X.ASIMD, gemm: gemmNEON, vec: vecNEON}
	}
	return variant{name: name}
}
