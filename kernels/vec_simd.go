//go:build !purego && (amd64 || arm64)

package kernels

// Wrappers for stubs that take whole vectors of width floats (a power of
// two): the stub does the head, the reference the last few elements.

func reluHead(stub func(dst, src []float32), width int) func(dst, src []float32) {
	return func(dst, src []float32) {
		n := len(src) &^ (width - 1)
		stub(dst[:n], src[:n])
		reluRef(dst[n:], src[n:])
	}
}

func reluGradHead(stub func(dx, x, dy []float32), width int) func(dx, x, dy []float32) {
	return func(dx, x, dy []float32) {
		n := len(dx) &^ (width - 1)
		stub(dx[:n], x[:n], dy[:n])
		reluGradRef(dx[n:], x[n:], dy[n:])
	}
}

func columnSumsHead(stub func(rows, cols int, a []float32, lda int, dst []float32), width int) func(rows, cols int, a []float32, lda int, dst []float32) {
	return func(rows, cols int, a []float32, lda int, dst []float32) {
		if rows == 0 {
			clear(dst)
			return
		}
		n := cols &^ (width - 1)
		stub(rows, n, a, lda, dst)
		columnSumsRef(rows, cols-n, a[n:], lda, dst[n:])
	}
}

func uint8ToFloat32Head(stub func(dst []float32, src []uint8, divisor float32), width int) func(dst []float32, src []uint8, divisor float32) {
	return func(dst []float32, src []uint8, divisor float32) {
		n := len(src) &^ (width - 1)
		stub(dst[:n], src[:n], divisor)
		uint8ToFloat32Ref(dst[n:], src[n:], divisor)
	}
}

// sgdHead's stubs take v == nil for "no momentum".
func sgdHead(stub func(w, grad, v []float32, lr, momentum, weightDecay float32), width int) func(w, grad, v []float32, lr, momentum, weightDecay float32) {
	return func(w, grad, v []float32, lr, momentum, weightDecay float32) {
		n := len(w) &^ (width - 1)
		var vHead, vTail []float32
		if momentum != 0 {
			vHead, vTail = v[:n], v[n:]
		}
		stub(w[:n], grad[:n], vHead, lr, momentum, weightDecay)
		sgdRef(w[n:], grad[n:], vTail, lr, momentum, weightDecay)
	}
}

// softmaxRows adapts a row-at-a-time stub, which takes ldd == 0 for "no
// dlogits".
func softmaxRows(stub softmaxFunc) softmaxFunc {
	return func(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32) {
		if dlogits == nil {
			ldd = 0
		}
		stub(rows, cols, logits, ld, labels, loss, dlogits, ldd, scale)
	}
}
