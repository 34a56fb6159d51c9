// Package kernels is simdkern's public API: float32 GEMM, ReLU,
// softmax-cross-entropy and the small kernels of an MLP training loop, in
// hand-written SIMD assembly (AVX2+FMA and AVX-512 on amd64, NEON on arm64)
// with a pure-Go fallback.
//
// # The contract: bit-identical results everywhere
//
// Every kernel has a pure-Go reference (the *_generic.go files) whose doc
// comment states the exact IEEE-754 binary32 operations, in order, with
// round-to-nearest-even and subnormals kept (no flush-to-zero). Every
// variant — generic, avx2, avx512, neon — returns results bit-identical to
// that reference for every shape, transpose, stride, thread count and input
// (two NaNs count as equal whatever their payloads). Training with this
// package is therefore reproducible across machines and architectures.
//
//   - FMA(a, b, c) is a·b+c rounded once to float32, the instruction every
//     SIMD variant uses. Plain Go a*b+c is not this (the compiler may or may
//     not fuse it), and neither is float32(math.FMA(...)) (double rounding).
//   - Sgemm: each C[i,j] is one chain: acc = beta·C[i,j] (+0 without reading
//     C when beta == 0), then acc = FMA(alpha·op(A)[i,p], op(B)[p,j], acc)
//     for p = 0 … k−1 in order (alpha·A is one rounding; none when alpha is
//     1). alpha == 0 reads neither A nor B. Blocking over k stores and
//     reloads acc exactly; threads split the output, never k.
//   - Relu(x) = +0 if x < 0, else x: −0 and NaN pass through unchanged.
//     ReluGrad passes dy where the forward input x > 0 and gives +0
//     elsewhere (so the gradient at 0 and at NaN is 0).
//   - Reductions use one canonical order that 4-, 8- and 16-lane vectors all
//     reproduce: 16 striped partial sums (element i goes to lane i mod 16),
//     then the fixed pairwise tree 8, 4, 2, 1 (Sum). The row maximum uses
//     the same layout with the step "b if b > a else a" from −Inf, so NaN
//     elements are skipped (Max).
//   - SoftmaxCrossEntropy uses the library's own Exp and Log (never
//     math.Exp/math.Log, which differ between architectures): x − max, Exp,
//     Sum, loss = Log(sum) − (x[label] − max), t = scale/sum (one division
//     a row), dlogits = e·t, FMA(e, t, −scale) at the label: that is
//     (softmax − onehot)·scale. Subtracting the row maximum keeps large
//     logits finite. Rows are computed on their own, so a large call may
//     split its rows between goroutines (Threads.SoftmaxCrossEntropy)
//     without changing a bit.
//   - ColumnSums add in row order from +0; SGD, BroadcastRows,
//     Uint8ToFloat32 and GatherUint8ToFloat32 are element-wise with the
//     operations their references state, so SGD and the gather may split
//     their work between goroutines (Threads.SGD,
//     Threads.GatherUint8ToFloat32) without changing a bit.
//
// # Variants and dispatch
//
// The variant is chosen once at start-up: the best one the CPU supports
// (avx2 needs AVX2 and FMA; avx512 needs AVX-512 F, BW, DQ and VL, with OS
// support of the registers; neon needs ASIMD). The environment variable
// SIMDKERN_CPU=generic|avx2|avx512|neon selects a lower one instead; a name
// this CPU cannot run, or a misspelling, is an error reported by
// ConfigError, and every kernel call then panics with it rather than run a
// variant the user did not ask for. The purego build tag, and any
// architecture other than amd64 and arm64, leave only the generic variant.
//
// # Errors
//
// Bad dimensions, short slices and out-of-range labels are programmer
// errors and panic with a message naming the kernel and the argument, as
// BLAS implementations do.
package kernels
