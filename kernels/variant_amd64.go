//go:build !purego

package kernels

import "github.com/simdkern/simdkern/internal/cpu"

// simdVariant describes the SIMD variants on amd64. avx512 uses the F, BW,
// DQ and VL subsets (opmask tails, 256-bit forms of AVX-512 instructions).
func simdVariant(name string) variant {
	f := cpu.X
	avx2 := f.AVX2 && f.FMA
	switch name {
	case "avx2":
		return variant{name: name, available: avx2, gemm: gemmAVX2, vec: vecAVX2}
	case "avx512":
		ok := avx2 && f.AVX512F && f.AVX512BW && f.AVX512DQ && f.AVX512VL
		return variant{name: name, available: ok, gemm: gemmAVX512, vec: vecAVX512}
	}
	return variant{name: name}
}
