package kernels

// GEMM tuning constants. Development machine: Intel Xeon (Emerald Rapids,
// family 6 model 207), 2 cores of a KVM guest, L1d 48 KiB, L2 2 MiB per
// core; measured FMA peak (bench/peak, one core) ≈ 187 GFLOP/s zmm and
// ≈ 95 GFLOP/s ymm. The machine was shared and loaded (load average 5–14)
// while these were chosen; rates below are medians of 7 runs timed by
// thread CPU time, and the blocking sizes still await a quiet re-tuning.

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

// The avx512 variant: an 8×32 tile (16 zmm accumulators), 145–173 GFLOP/s
// in L1 (k = 256), 78–92% of the zmm peak under the load described above.
// kc·nr·4 = 32 KiB keeps B's micro-panel in L1; mc·kc·4 = 128 KiB of A in
// L2 (from the cache sizes, not yet measured against others).
const (
	avx512KC = 256
	avx512MC = 120
	avx512NC = 4096
)

// gemmAliasBytes is the span of the L1 sets (64 sets of 64 bytes): operands
// whose row stride is a multiple of it are packed even where the kernel
// could read them in place, since their rows would share a few sets. On
// 1024³ (ldb = 1024 floats) packing B gave 93 GFLOP/s against 58–79 read
// in place (avx512, one thread).
var gemmAliasBytes = 4096

// gemmParallelFlops is the smallest 2·m·n·k that is split over goroutines.
// Not yet measured (the shared machine gave no stable two-thread timing):
// 2 MFLOP is ≈ 10 µs of one core at 180 GFLOP/s, well above a goroutine
// hand-off of a few µs.
const gemmParallelFlops = 2e6
