package kernels

// gemmKernelPortable is the generic variant's micro-kernel (gemmImpl.kernel
// with mr = nr = 4): sixteen float32 accumulators in locals. Each step
// computes all sixteen sums in float64 inline and falls back to FMA for the
// whole step in the rare case fmaFast cannot vouch for one of them.
func gemmKernelPortable(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int) {
	const mr, nr = 4, 4
	_ = c[(mr-1)*ldc+nr-1]
	var c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33 float32
	if beta != 0 {
		r0, r1, r2, r3 := c[0:nr], c[ldc:ldc+nr], c[2*ldc:2*ldc+nr], c[3*ldc:3*ldc+nr]
		c00, c01, c02, c03 = r0[0], r0[1], r0[2], r0[3]
		c10, c11, c12, c13 = r1[0], r1[1], r1[2], r1[3]
		c20, c21, c22, c23 = r2[0], r2[1], r2[2], r2[3]
		c30, c31, c32, c33 = r3[0], r3[1], r3[2], r3[3]
		if beta != 1 {
			c00, c01, c02, c03 = beta*c00, beta*c01, beta*c02, beta*c03
			c10, c11, c12, c13 = beta*c10, beta*c11, beta*c12, beta*c13
			c20, c21, c22, c23 = beta*c20, beta*c21, beta*c22, beta*c23
			c30, c31, c32, c33 = beta*c30, beta*c31, beta*c32, beta*c33
		}
	}
	for p := range k {
		ap, bp := a[p*csa:], b[p*sb:p*sb+nr]
		a0, a1, a2, a3 := ap[0], ap[rsa], ap[2*rsa], ap[3*rsa]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		n00, f00 := fmaFast(a0, b0, c00)
		n01, f01 := fmaFast(a0, b1, c01)
		n02, f02 := fmaFast(a0, b2, c02)
		n03, f03 := fmaFast(a0, b3, c03)
		n10, f10 := fmaFast(a1, b0, c10)
		n11, f11 := fmaFast(a1, b1, c11)
		n12, f12 := fmaFast(a1, b2, c12)
		n13, f13 := fmaFast(a1, b3, c13)
		n20, f20 := fmaFast(a2, b0, c20)
		n21, f21 := fmaFast(a2, b1, c21)
		n22, f22 := fmaFast(a2, b2, c22)
		n23, f23 := fmaFast(a2, b3, c23)
		n30, f30 := fmaFast(a3, b0, c30)
		n31, f31 := fmaFast(a3, b1, c31)
		n32, f32 := fmaFast(a3, b2, c32)
		n33, f33 := fmaFast(a3, b3, c33)
		if f00|f01|f02|f03|f10|f11|f12|f13|f20|f21|f22|f23|f30|f31|f32|f33 >= 0 {
			c00, c01, c02, c03 = n00, n01, n02, n03
			c10, c11, c12, c13 = n10, n11, n12, n13
			c20, c21, c22, c23 = n20, n21, n22, n23
			c30, c31, c32, c33 = n30, n31, n32, n33
			continue
		}
		c00, c01, c02, c03 = FMA(a0, b0, c00), FMA(a0, b1, c01), FMA(a0, b2, c02), FMA(a0, b3, c03)
		c10, c11, c12, c13 = FMA(a1, b0, c10), FMA(a1, b1, c11), FMA(a1, b2, c12), FMA(a1, b3, c13)
		c20, c21, c22, c23 = FMA(a2, b0, c20), FMA(a2, b1, c21), FMA(a2, b2, c22), FMA(a2, b3, c23)
		c30, c31, c32, c33 = FMA(a3, b0, c30), FMA(a3, b1, c31), FMA(a3, b2, c32), FMA(a3, b3, c33)
	}
	r0, r1, r2, r3 := c[0:nr], c[ldc:ldc+nr], c[2*ldc:2*ldc+nr], c[3*ldc:3*ldc+nr]
	r0[0], r0[1], r0[2], r0[3] = c00, c01, c02, c03
	r1[0], r1[1], r1[2], r1[3] = c10, c11, c12, c13
	r2[0], r2[1], r2[2], r2[3] = c20, c21, c22, c23
	r3[0], r3[1], r3[2], r3[3] = c30, c31, c32, c33
}
