//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

// The neon variant's blocking, chosen from typical arm64 cache sizes (64 KiB
// L1d, 1 MiB L2 per core, as on Neoverse N1), not measured: a kc×12 B
// micro-panel (24 KiB) stays in L1 beside the A micro-panel streaming
// through, an mc×kc A block (512 KiB) fills half of L2, and a kc×nc B block
// (6 MiB) is left to the shared last-level cache.
const (
	neonKC = 512
	neonMC = 256
	neonNC = 3072
)

var gemmNEON = gemmImpl{
	mr: 8, nr: 12, transN: 8,
	kc: neonKC, mc: neonMC, nc: neonNC,
	kernel: asm.SgemmKernel8x12,
}
