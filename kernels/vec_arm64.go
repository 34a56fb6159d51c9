//go:build !purego

package kernels

import "github.com/simdkern/simdkern/asm"

// Element-wise kernels of the neon variant: the stubs take whole vectors
// and the reference finishes the last few elements. BroadcastRows stays
// copy (memmove is already vectorised).
var vecNEON = vecImpl{
	relu:           reluNEON,
	reluGrad:       reluGradNEON,
	softmaxCE:      softmaxCENEON,
	broadcastRows:  broadcastRowsRef,
	columnSums:     columnSumsNEON,
	sgd:            sgdNEON,
	uint8ToFloat32: uint8ToFloat32NEON,
}

func reluNEON(dst, src []float32) {
	n := len(src) &^ 3
	asm.ReluNEON(dst[:n], src[:n])
	reluRef(dst[n:], src[n:])
}

func reluGradNEON(dx, x, dy []float32) {
	n := len(dx) &^ 3
	asm.ReluGradNEON(dx[:n], x[:n], dy[:n])
	reluGradRef(dx[n:], x[n:], dy[n:])
}

func columnSumsNEON(rows, cols int, a []float32, lda int, dst []float32) {
	if rows == 0 {
		clear(dst)
		return
	}
	n := cols &^ 3
	asm.ColumnSumsNEON(rows, n, a, lda, dst)
	columnSumsRef(rows, cols-n, a[n:], lda, dst[n:])
}

func uint8ToFloat32NEON(dst []float32, src []uint8, divisor float32) {
	n := len(src) &^ 7
	asm.Uint8ToFloat32NEON(dst[:n], src[:n], divisor)
	uint8ToFloat32Ref(dst[n:], src[n:], divisor)
}

func sgdNEON(w, grad, v []float32, lr, momentum, weightDecay float32) {
	n := len(w) &^ 3
	var vHead, vTail []float32
	if momentum != 0 {
		vHead, vTail = v[:n], v[n:]
	}
	asm.SGDNEON(w[:n], grad[:n], vHead, lr, momentum, weightDecay)
	sgdRef(w[n:], grad[n:], vTail, lr, momentum, weightDecay)
}

func softmaxCENEON(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32) {
	if dlogits == nil {
		ldd = 0
	}
	asm.SoftmaxCERowsNEON(rows, cols, logits, ld, labels, loss, dlogits, ldd, scale)
}
