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
// kc·nr·4 = 16 KiB keeps B's micro-panel in L1; mc·kc·4 = 96 KiB of A
// stays in L2 (sizes from the cache sizes, not yet measured against others).
const (
	avx2KC = 256
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
const (
	avx512KC = 384
	avx512MC = 120
	avx512NC = 4096
)

// gemmAliasBytes is the span of the L1 sets (64 sets of 64 bytes): operands
// whose row stride is a multiple of it are packed even where the kernel
// could read them in place, since their rows would share a few sets. On
// 1024³ (ldb = 1024 floats) packing B gave 93 GFLOP/s against 58–79 read
// in place (avx512, one thread).
const gemmAliasBytes = 4096

// gemmParallelFlops is the smallest 2·m·n·k that is split over goroutines.
// Not yet measured: thread CPU time cannot show a speed-up, and wall time
// on the loaded machine gave two threads 0.78–1.02× one thread on every
// shape from 48³ to 1024³ (the second core was busy elsewhere). 2 MFLOP is
// ≈ 13 µs of one core at 155 GFLOP/s, well above a goroutine hand-off of a
// few µs.
const gemmParallelFlops = 2e6

// gemmRowsM is the most rows of C computed row by row (gemmImpl.row)
// rather than by tiles: batch 1 only, as two rows already read B twice.
// Batch 1 (1×256×784) went from 9–17 to 46–50 GFLOP/s, bound by B (784 KB)
// streaming from L2: a 1×128 row kernel and software prefetch of B did not
// help (40 and 41–46 against 39–46, interleaved).
const gemmRowsM = 1
