//go:build !purego

package asm

// ReluAVX2 is, for len(src) a multiple of 8 and len(dst) == len(src):
//
//	for i, x := range src {
//		if x < 0 {
//			x = 0
//		}
//		dst[i] = x
//	}
//
//go:noescape
func ReluAVX2(dst, src []float32)

// ReluAVX512 is ReluAVX2 for any len(src).
//
//go:noescape
func ReluAVX512(dst, src []float32)

// SumAVX512 is kernels.Sum:
//
//	s[j] = +0 for j < 16
//	for i := range x { s[i%16] = s[i%16] + x[i] }
//	for h := 8; h >= 1; h /= 2 { for j := 0; j < h; j++ { s[j] = s[j] + s[j+h] } }
//	return s[0]
//
//go:noescape
func SumAVX512(x []float32) float32

// LabelsBelowAVX512 reports whether 0 ≤ y < cols for every y in labels
// (cols ≥ 1).
//
//go:noescape
func LabelsBelowAVX512(labels []int32, cols int) bool

// ReluGradAVX2 is, for len(dx) a multiple of 8 and x, dy at least as long:
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
func ReluGradAVX2(dx, x, dy []float32)

// ReluGradAVX512 is ReluGradAVX2 for any len(dx).
//
//go:noescape
func ReluGradAVX512(dx, x, dy []float32)

// SGDAVX2 is, for len(w) a multiple of 8, grad as long and v either nil
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
func SGDAVX2(w, grad, v []float32, lr, momentum, weightDecay float32)

// SGDAVX512 is SGDAVX2 for len(w) a multiple of 16.
//
//go:noescape
func SGDAVX512(w, grad, v []float32, lr, momentum, weightDecay float32)

// ColumnSumsAVX2 is, for cols a multiple of 8, rows ≥ 0, lda ≥ cols,
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
func ColumnSumsAVX2(rows, cols int, a []float32, lda int, dst []float32)

// ColumnSumsAVX512 is ColumnSumsAVX2 for any cols ≥ 0.
//
//go:noescape
func ColumnSumsAVX512(rows, cols int, a []float32, lda int, dst []float32)

// Uint8ToFloat32AVX2 is, for len(src) a multiple of 8 and len(dst) ==
// len(src):
//
//	for i, u := range src {
//		dst[i] = float32(u) / divisor
//	}
//
//go:noescape
func Uint8ToFloat32AVX2(dst []float32, src []uint8, divisor float32)

// Uint8ToFloat32AVX512 is Uint8ToFloat32AVX2 for any len(src).
//
//go:noescape
func Uint8ToFloat32AVX512(dst []float32, src []uint8, divisor float32)

// SoftmaxCERowsAVX2 is kernels.softmaxCERef, one row at a time, for
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
func SoftmaxCERowsAVX2(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)

// SoftmaxCERowsAVX512 is SoftmaxCERowsAVX2 with AVX-512.
//
//go:noescape
func SoftmaxCERowsAVX512(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)

// SoftmaxCEColsAVX512 is SoftmaxCERowsAVX2 computed 16 rows at a time,
// one row per lane, for rows a multiple of 16 and cols ≤ 16.
//
//go:noescape
func SoftmaxCEColsAVX512(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)

// SoftmaxCEColsAVX2 is SoftmaxCEColsAVX512 with 8 rows at a time, for rows
// a multiple of 8 and cols ≤ 16. Requires AVX2 and FMA.
//
//go:noescape
func SoftmaxCEColsAVX2(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)
