//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

// Element-wise kernels of the amd64 variants. AVX2 stubs (and SGD's
// AVX-512 one) take whole vectors and the reference finishes the last few
// elements; the other AVX-512 stubs mask their tails. BroadcastRows stays
// copy (memmove is already vectorised).
var (
	vecAVX2 = vecImpl{
		relu:           reluHead(asm.ReluAVX2, 8),
		reluGrad:       reluGradHead(asm.ReluGradAVX2, 8),
		softmaxCE:      softmaxByLanes(asm.SoftmaxCEColsAVX2, 8, softmaxRows(asm.SoftmaxCERowsAVX2)),
		broadcastRows:  broadcastRowsRef,
		columnSums:     columnSumsHead(asm.ColumnSumsAVX2, 8),
		sgd:            sgdHead(asm.SGDAVX2, 8),
		uint8ToFloat32: uint8ToFloat32Head(asm.Uint8ToFloat32AVX2, 8),
		sum:            sumRef,
		labelsBelow:    labelsBelowRef,
	}
	vecAVX512 = vecImpl{
		relu:           asm.ReluAVX512,
		reluGrad:       asm.ReluGradAVX512,
		softmaxCE:      softmaxByLanes(asm.SoftmaxCEColsAVX512, 16, softmaxRows(asm.SoftmaxCERowsAVX512)),
		broadcastRows:  broadcastRowsRef,
		columnSums:     asm.ColumnSumsAVX512,
		sgd:            sgdHead(asm.SGDAVX512, 16),
		uint8ToFloat32: asm.Uint8ToFloat32AVX512,
		sum:            asm.SumAVX512,
		labelsBelow:    asm.LabelsBelowAVX512,
	}
)

// softmaxByLanes puts one row per lane when rows fit a vector (cols ≤ 16),
// block rows at a time through lanes, and leaves the last rows % block and
// wider rows to rowWise. 256×10 forward+grad against row by row: avx512
// 8.0 → 3.3 µs (the first, gathering kernel; best of 60 by thread CPU
// time), avx2 10.2 → 5.0 µs (benchmark medians of 5 alternating rounds).
func softmaxByLanes(lanes softmaxFunc, block int, rowWise softmaxFunc) softmaxFunc {
	return func(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32) {
		if cols > 16 {
			rowWise(rows, cols, logits, ld, labels, loss, dlogits, ldd, scale)
			return
		}
		if dlogits == nil {
			ldd = 0
		}
		full := rows / block * block
		if full > 0 {
			lanes(full, cols, logits, ld, labels, loss, dlogits, ldd, scale)
		}
		if full < rows {
			var dl []float32
			if dlogits != nil {
				dl = dlogits[full*ldd:]
			}
			rowWise(rows-full, cols, logits[full*ld:], ld, labels[full:], loss[full:], dl, ldd, scale)
		}
	}
}
