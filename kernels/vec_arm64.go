//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

// Element-wise kernels of the neon variant: the stubs take whole vectors
// and the reference finishes the last few elements. BroadcastRows stays
// copy (memmove is already vectorised).
var vecNEON = vecImpl{
	relu:           reluHead(asm.ReluNEON, 4),
	reluGrad:       reluGradHead(asm.ReluGradNEON, 4),
	softmaxCE:      softmaxRows(asm.SoftmaxCERowsNEON),
	broadcastRows:  broadcastRowsRef,
	columnSums:     columnSumsHead(asm.ColumnSumsNEON, 4),
	sgd:            sgdHead(asm.SGDNEON, 4),
	uint8ToFloat32: uint8ToFloat32Head(asm.Uint8ToFloat32NEON, 8),
	sum:            sumRef,
	labelsBelow:    labelsBelowRef,
}
