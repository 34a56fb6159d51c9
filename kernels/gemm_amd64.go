//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

var (
	gemmAVX2 = gemmImpl{
		mr: 6, nr: 16,
		kc: avx2KC, mc: avx2MC, nc: avx2NC,
		// Transposed tiles for n ≤ 12, in two 6-row tiles: n = 10 fills
		// 10 of their 12 rows, where tiles along n fill 10 of 16 lanes.
		transN: 12,
		kernel: asm.SgemmKernel6x16,
		// Batch 1: 1×256×784 went from 6 to 24 GFLOP/s (four 8-lane
		// chains, like SgemmRow64's four 16-lane ones).
		row:  asm.SgemmRow32,
		rowN: 32,
		// Batch 1 of A·Bᵀ with 8×8 transposes (see gemmAVX512.rowT).
		rowT:  asm.SgemmRowT8,
		rowTN: 8,
		// Transposing packs by 8×8 blocks (see gemmAVX512.packT).
		packT:      asm.PackColsT8,
		packTRows:  8,
		packR:      asm.PackRows8,
		packRLanes: 8,
	}
	gemmAVX512 = gemmImpl{
		mr: 12, nr: 32, transN: 12,
		kc: avx512KC, mc: avx512MC, nc: avx512NC,
		kernel: asm.SgemmKernel12x32,
		// Batch 1 and n ≤ 16 with lane masks: 1×10×256 went from 0.8 to
		// 5 GFLOP/s (one 256-FMA chain, latency-bound), 256×10×256 from
		// 35 to 57 (10 of 16 lanes, against 10 of 32 in the 12×32 tile).
		// With transA, n ≤ 12 goes by transposed tiles instead (then 10 of
		// 12 rows): 256×10×256 Aᵀ·B 1.16–1.27× the 16×n kernel.
		row:  asm.SgemmRow64,
		rowN: 64,
		// Batch 1 of A·Bᵀ (a layer stored out×in, as PyTorch does):
		// 1×256×784 went from 2.8 to 15–16 GFLOP/s and 1×10×256 from 0.6
		// to 5.2–5.3 (medians of 5, two runs; B was packed, transposed, for
		// a 12×32 tile with one live row). The 64 shuffles of each 16×16
		// transpose, on one port, bound it: a dot product along k would
		// reassociate the chains.
		rowT:    asm.SgemmRowT16,
		rowTN:   16,
		narrow:  asm.SgemmKernel16xN,
		narrowM: 16, narrowN: 16,
		// Transposed tiles for n ≤ 10 (the MLP's classes) fill a 10×32
		// tile: 256×10×256 Aᵀ·B 68.0 → 87.4 GFLOP/s against 10 of the
		// 12×32 tile's 12 rows (thread CPU time, 41 rounds alternating,
		// faster in all 41; a slow hour of the host).
		kernelT: asm.SgemmKernel10x32,
		mrT:     10,
		// Transposing packs (B of A·Bᵀ, A when its rows alias) by 16×16
		// blocks in registers: see gemm_config.go.
		packT:     asm.PackColsT16,
		packTRows: 16,
		// The partial panel of a row pack, a masked load and store a row.
		packR:      asm.PackRows16,
		packRLanes: 16,
	}
)
