//go:build !purego

package asm

// ReluNEON is, for len(src) a multiple of 4 and len(dst) == len(src):
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
//go:noescape
func ReluNEON(dst, src []float32)

// ReluGradNEON is, for len(dx) a multiple of 4 and x, dy at least as long:
//
//	for i := range dx {
//		g := dy[i]
//		if !(x[i] > 0) {
//			g = 0
//		}
//		dx[i] = g
//	}
//
//go:noescape
func ReluGradNEON(dx, x, dy []float32)

// SGDNEON is, for len(w) a multiple of 4, grad as long and v either nil
// (no momentum) or as long:
//
//	for i := range w {
//		g := grad[i]
//		if weightDecay != 0 {
//			g = FMA(weightDecay, w[i], g)
//		}
//		if v != nil {
//			v[i] = FMA(momentum, v[i], g)
//			g = v[i]
//		}
//		w[i] = FMA(-lr, g, w[i])
//	}
//
//go:noescape
func SGDNEON(w, grad, v []float32, lr, momentum, weightDecay float32)

// ColumnSumsNEON is, for cols a multiple of 4, rows ≥ 0, lda ≥ cols,
// len(a) ≥ (rows-1)*lda+cols when rows > 0 and len(dst) ≥ cols:
//
//	for j := 0; j < cols; j++ {
//		var s float32
//		for i := 0; i < rows; i++ {
//			s += a[i*lda+j]
//		}
//		dst[j] = s
//	}
//
//go:noescape
func ColumnSumsNEON(rows, cols int, a []float32, lda int, dst []float32)

// Uint8ToFloat32NEON is, for len(src) a multiple of 8 and len(dst) ==
// len(src):
//
//	for i, u := range src {
//		dst[i] = float32(u) / divisor
//	}
//
//go:noescape
func Uint8ToFloat32NEON(dst []float32, src []uint8, divisor float32)

// SoftmaxCERowsNEON is kernels.softmaxCERef, one row at a time, for
// rows ≥ 1, cols ≥ 1, ld ≥ cols, len(logits) ≥ (rows-1)*ld+cols, labels
// in [0, cols), loss of rows elements, and dlogits nil with ldd == 0 or
// ldd ≥ cols with len(dlogits) ≥ (rows-1)*ldd+cols (dlogits may be
// logits when ldd == ld):
//
//	for r := 0; r < rows; r++ {
//		x := logits[r*ld : r*ld+cols]
//		mx := Max(x)
//		e[i] = Exp(x[i] - mx), s = Sum(e)       // e stored in dlogits
//		loss[r] = Log(s) - (x[labels[r]] - mx)
//		t = scale / s
//		dlogits[r*ldd+i] = e[i] * t, FMA(e[i], t, -scale) at i == labels[r]
//	}
//
//go:noescape
func SoftmaxCERowsNEON(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
