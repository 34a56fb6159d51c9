package kernels

// The pure-Go references of the element-wise kernels. Each doc comment is
// the contract every variant reproduces bit for bit.

// reluRef: dst[i] = +0 if src[i] < 0, else src[i].
// So −0 stays −0, NaN stays NaN (the comparison is false), −Inf becomes +0.
func reluRef(dst, src []float32) {
	for i, x := range src {
		if x < 0 {
			x = 0
		}
		dst[i] = x
	}
}

// reluGradRef: dx[i] = dy[i] if x[i] > 0, else +0 (also for x == ±0 and NaN x).
func reluGradRef(dx, x, dy []float32) {
	for i := range dx {
		g := dy[i]
		if !(x[i] > 0) {
			g = 0
		}
		dx[i] = g
	}
}

// softmaxCERef: for each row r with logits x = logits[r*ld : r*ld+cols] and
// label y = labels[r]:
//
//	mx = Max(x)                     // canonical max (NaN skipped)
//	e[i] = Exp(x[i] - mx)
//	s = Sum(e)                      // canonical 16-lane sum
//	loss[r] = Log(s) - (x[y] - mx)
//	if dlogits != nil:
//		t = scale / s                   // one division a row
//		dlogits[r*ldd+i] = FMA(e[i], t, -scale)   if i == y
//		dlogits[r*ldd+i] = e[i] * t               otherwise
//
// That is (softmax − onehot)·scale with one division a row, not one an
// element (the divisions took 10–15 % of a 256×10 call). Against float64
// (e/s − [i == y])·scale it is within 2 ULP off the label and 1 ulp(scale)
// at it (TestSoftmaxGradAccuracy; measured 1.47 and 0.56, where rounding
// e/s first gave 1.14 and 0.88).
func softmaxCERef(rows, cols int, logits []float32, ld int, labels []int32, loss []float32, dlogits []float32, ldd int, scale float32) {
	for r := 0; r < rows; r++ {
		x := logits[r*ld : r*ld+cols]
		y := int(labels[r])
		xy := x[y] // read first: dlogits may alias logits
		mx := Max(x)
		var s [Lanes]float32
		for i, v := range x {
			e := Exp(v - mx)
			s[i%Lanes] += e
			if dlogits != nil {
				dlogits[r*ldd+i] = e
			}
		}
		sum := foldSum(&s)
		loss[r] = Log(sum) - (xy - mx)
		if dlogits != nil {
			d := dlogits[r*ldd : r*ldd+cols]
			t := scale / sum
			ey := d[y]
			for i, e := range d {
				d[i] = e * t
			}
			d[y] = FMA(ey, t, -scale)
		}
	}
}

// broadcastRowsRef: dst[i*ld+j] = bias[j] for i < rows, j < len(bias).
func broadcastRowsRef(rows int, bias, dst []float32, ld int) {
	for i := 0; i < rows; i++ {
		copy(dst[i*ld:i*ld+len(bias)], bias)
	}
}

// columnSumsRef: dst[j] = (((+0 + a[0,j]) + a[1,j]) + …) + a[rows-1,j],
// each column summed in row order.
func columnSumsRef(rows, cols int, a []float32, lda int, dst []float32) {
	for j := 0; j < cols; j++ {
		var s float32
		for i := 0; i < rows; i++ {
			s += a[i*lda+j]
		}
		dst[j] = s
	}
}

// sgdRef, for each i (v may be nil when momentum == 0):
//
//	g := grad[i]
//	if weightDecay != 0: g = FMA(weightDecay, w[i], g)
//	if momentum != 0:    v[i] = FMA(momentum, v[i], g); g = v[i]
//	w[i] = FMA(-lr, g, w[i])
func sgdRef(w, grad, v []float32, lr, momentum, weightDecay float32) {
	for i := range w {
		g := grad[i]
		if weightDecay != 0 {
			g = FMA(weightDecay, w[i], g)
		}
		if momentum != 0 {
			v[i] = FMA(momentum, v[i], g)
			g = v[i]
		}
		w[i] = FMA(-lr, g, w[i])
	}
}

// uint8ToFloat32Ref: dst[i] = float32(src[i]) / divisor (one IEEE division).
func uint8ToFloat32Ref(dst []float32, src []uint8, divisor float32) {
	for i, u := range src {
		dst[i] = float32(u) / divisor
	}
}
