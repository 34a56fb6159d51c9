package kernels

// GEMM tuning constants. Development machine: Intel Xeon (Emerald Rapids,
// family 6 model 207), 2 cores of a KVM guest, L1d 48 KiB, L2 2 MiB per
// core; measured FMA peak (bench/peak, one core) ≈ 187 GFLOP/s zmm and
// ≈ 95 GFLOP/s ymm. The machine was shared and loaded (load average 5–18)
// while these were chosen, so rates below are timed by thread CPU time
// (TestSgemmCPUTime, candidates interleaved round by round); on the same
// clock bench/peak's zmm loop gave 155–165 GFLOP/s, the yardstick for
// them. The blocking sizes still await a quiet re-tuning.

// The generic variant: a 4×4 tile of scalar accumulators, 0.95 GFLOP/s in
// L1 (k = 256); a 2×4 tile measured the same (0.93), and the float64
// conversions, not the registers, bound both.
const (
	genericMR, genericNR = 4, 4
	genericKC            = 256
	genericMC            = 64
	genericNC            = 4096
)

// The avx2 variant: a 6×16 tile (12 ymm accumulators, 2 B vectors, one
// broadcast), 85–93 GFLOP/s in L1 (k = 256), 90–98% of the ymm peak.
// kc·nr·4 = 32 KiB of B's micro-panel in L1, mc·kc·4 = 192 KiB of A in
// L2. kc = 512 against 256 (mc = 96), paired per round over two runs of
// 11 and 15 rounds: 1.022–1.027× on 1024³, 1.016–1.028× on 256×256×784,
// 0.996–1.004× on 784×256×256 Aᵀ·B; kc = 384 and mc ∈ {72, 192} within
// ±2% of it.
const (
	avx2KC = 512
	avx2MC = 96
	avx2NC = 4096
)

// The avx512 variant: a 12×32 tile (24 zmm accumulators), 148 GFLOP/s
// median in L1 (k = 256) against 143 for the former 8×32, interleaved
// (41 rounds). mc·kc·4 = 180 KiB of A stays in L2; the kernel's software
// prefetch keeps B's kc·nr·4 = 48 KiB micro-panel coming into L1. With
// that prefetch, kc = 384 against 256 (mc = 120), paired per round over
// two runs of 11 and 15 rounds: 1.010–1.020× on 1024³, 1.010–1.018× on
// 256×256×784, 1.006–1.009× on 784×256×256 Aᵀ·B; kc = 192 0.96–0.98×,
// kc = 128 0.93–0.96×, mc = 96 or 240 and kc = 512 within ±5% (noise).
//
// Both tile kernels (asm/gemm_amd64.s) step p four at a time and prefetch
// A and B eight steps of p ahead, and prefetch the next C tile only when
// k ≥ 64. Each against the kernel without it, paired per round, avx512
// (1024³, 256×256×784, 784×256×256 Aᵀ·B): A prefetch 1.02×, 1.02×, 1.09×;
// B prefetch on top 1.01×, 1.06×, 1.05×; four steps a turn 1.00×, 1.02×,
// 1.02×. Skipping C's prefetch: 1.12–1.13× on 256×256×10 A·Bᵀ (k = 10).
// avx2, all three together: 1.01×, 1.02×, 1.18×. Sixteen steps ahead
// instead of eight: 0.91×, 0.98×, 1.00× for A, 1.01×, 1.01×, 0.99× for B.
// The 64 is a guess between k = 10 and the k ≥ 256 of the blocked shapes.
const (
	avx512KC = 384
	avx512MC = 120
	avx512NC = 4096
)

// Transposing packs (op(B) of A·Bᵀ, A when its rows alias or alpha ≠ 1):
// avx512 transposes 16×16 blocks in registers (asm.PackColsT16) where Go
// moved one float at a time (0.5 ns a float: 101 µs of 256×256×784 A·Bᵀ's
// 830). One thread, thread CPU time, 11 rounds alternating with the Go
// pack (14:00 UTC, a slow hour of the host): 256×256×784 A·Bᵀ 86.3 → 95.4
// GFLOP/s, 256×784×256 A·Bᵀ 81.3 → 92.1, 784×256×256 A·Bᵀ 96.8 → 100.3,
// 1024³ 93.4 → 99.5; 256×256×784 (nothing packed) 99.6 and 99.1. avx2
// by 8×8 blocks (asm.PackColsT8), the same way (14:03 UTC, the host's
// rates half their usual): 256×256×784 A·Bᵀ 48.1 → 48.8, 784×256×256
// A·Bᵀ 45.9 → 50.5, 256×784×256 A·Bᵀ 42.3 → 47.4, 1024³ 49.1 and 49.0.

// gemmAliasBytes is the span of the L1 sets (64 sets of 64 bytes): operands
// whose row stride is a multiple of it are packed even where the kernel
// could read them in place, since their rows would share a few sets. On
// 1024³ (ldb = 1024 floats) packing B gave 93 GFLOP/s against 58–79 read
// in place (avx512, one thread).
const gemmAliasBytes = 4096

// gemmParallelFlops is the smallest 2·m·n·k that is split over goroutines.
// A split costs 1–2.5 µs of CPU time on top of the work: process CPU time
// per call, two threads minus one, medians of 11 rounds, 32³…96³ (1.0 →
// 2.1 µs at 32³, 13.6 → 16.0 µs at 96³). Splitting pays when half the work
// exceeds half that plus the wake-up of the second goroutine (a few µs):
// from ≈ 10 µs of work, ≈ 1.5 MFLOP at 150 GFLOP/s; 2 MFLOP (≈ 13 µs)
// leaves a margin for a slow wake-up. The speed-up itself
// could not be timed: another process held the second core, so that two
// threads ran one after the other (wall time = process CPU time).
const gemmParallelFlops = 2e6

// gemmRowsM is the most rows of C computed row by row (gemmImpl.row)
// rather than by tiles: batch 1 only, as two rows already read B twice.
// Batch 1 (1×256×784) went from 9–17 to 46–50 GFLOP/s, bound by B (784 KB)
// streaming from L2: a 1×128 row kernel and software prefetch of B did not
// help (40 and 41–46 against 39–46, interleaved).
const gemmRowsM = 1
