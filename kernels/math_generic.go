package kernels

import "math"

// The scalar operations below are the building blocks of the contract. Every
// variant performs exactly these IEEE-754 binary32 operations, in this order,
// with round-to-nearest-even and no flush-to-zero.

// FMA returns a*b+c rounded once to float32, the IEEE 754 fusedMultiplyAdd
// of VFMADD231PS and FMLA.
//
// Go may not be asked for this directly: a*b+c in Go can round twice or,
// depending on the architecture, be fused; float32(math.FMA(...)) rounds
// first to float64 and can land on a float32 halfway point that the exact
// value was not on.
func FMA(a, b, c float32) float32 {
	if r, risky := fmaFast(a, b, c); risky >= 0 {
		return r
	}
	p := float64(a) * float64(b) // exact: 24+24 significant bits fit in 53
	return fmaSlow(p, float64(c), p+float64(c))
}

// fmaFast is FMA's fast path, branch-free and small enough to inline: it
// returns float32(a·b+c computed in float64) and a flag that is negative
// when that may differ from FMA(a, b, c), i.e. when the sum is a nonzero
// below the float32 normal range or sits on a float32 halfway point (exact
// zeros round right). The product is exact in float64, so a fused float64
// FMA gives the same sum.
func fmaFast(a, b, c float32) (float32, int64) {
	s := float64(a)*float64(b) + float64(c)
	bits := math.Float64bits(s)
	e := int64(bits >> 52 & 0x7ff)
	const tiny = 1023 - 126 // biased float64 exponent of 0x1p-126
	return float32(s), (e-tiny)&-e | (int64(bits&(1<<29-1)^1<<28) - 1)
}

// fmaSlow rounds p+c to float32 via round-to-odd in float64, which makes the
// second rounding exact (53 ≥ 24+2 bits). p is exact and finite sums cannot
// overflow float64, so TwoSum recovers the exact error of s = p+c.
func fmaSlow(p, c, s float64) float32 {
	if math.IsNaN(s) || math.IsInf(s, 0) {
		return float32(s)
	}
	// TwoSum (Knuth): err = (p+c) - s exactly. Explicit conversions keep
	// the compiler from fusing any of these operations.
	cc := float64(s - p)
	pp := float64(s - cc)
	err := float64(p-pp) + float64(c-cc)
	bits := math.Float64bits(s)
	if err != 0 && bits&1 == 0 {
		if (err > 0) == (s > 0) {
			bits++
		} else {
			bits--
		}
	}
	return float32(math.Float64frombits(bits))
}

// Constants of Exp and Log (Cody–Waite split of ln 2 and Cephes minimax
// coefficients). Each is exactly representable as float32.
const (
	expLo        = float32(-104) // below: result rounds to +0
	expHi        = float32(89)   // above: result rounds to +Inf
	log2e        = float32(1.44269504088896341)
	ln2Hi        = float32(0.693359375) // 9 significant bits: n*ln2Hi is exact
	ln2Lo        = float32(-2.12194440e-4)
	expC0        = float32(1.9875691500e-4)
	expC1        = float32(1.3981999507e-3)
	expC2        = float32(8.3334519073e-3)
	expC3        = float32(4.1665795894e-2)
	expC4        = float32(1.6666665459e-1)
	expC5        = float32(5.0000001201e-1)
	sqrtHalfBits = 0x3f3504f3 // float32 bits of √½ rounded
	logC0        = float32(7.0376836292e-2)
	logC1        = float32(-1.1514610310e-1)
	logC2        = float32(1.1676998740e-1)
	logC3        = float32(-1.2420140846e-1)
	logC4        = float32(1.4249322787e-1)
	logC5        = float32(-1.6668057665e-1)
	logC6        = float32(2.0000714765e-1)
	logC7        = float32(-2.4999993993e-1)
	logC8        = float32(3.3333331174e-1)
)

// Exp is the library's e^x, used by softmax. Its steps, each one rounding:
//
//	if x is NaN: return x
//	if expLo > x: x = expLo;  if expHi < x: x = expHi
//	n  = roundToNearestEven(x * log2e)      // float32 multiply, then an exact round
//	r  = FMA(-n, ln2Hi, x);  r = FMA(-n, ln2Lo, r)
//	q  = expC0; q = FMA(q, r, expC1); … q = FMA(q, r, expC5)
//	z  = r * r
//	y  = FMA(q, z, r);  y = y + 1
//	n1 = n >> 1 (arithmetic);  n2 = n - n1  // 2^n1, 2^n2 are normal floats
//	return (y * 2^n1) * 2^n2                 // the first product is exact
//
// The two-step scaling rounds once into the subnormal range and overflows to
// +Inf exactly when e^x does. Max error over all inputs: 1.010 ULP (at
// x = -5.8778844; TestMathAccuracy with SIMDKERN_EXHAUSTIVE=1 asserts ≤ 2).
func Exp(x float32) float32 {
	if x != x {
		return x
	}
	if expLo > x {
		x = expLo
	}
	if expHi < x {
		x = expHi
	}
	n := float32(math.RoundToEven(float64(x * log2e)))
	r := FMA(-n, ln2Hi, x)
	r = FMA(-n, ln2Lo, r)
	q := expC0
	q = FMA(q, r, expC1)
	q = FMA(q, r, expC2)
	q = FMA(q, r, expC3)
	q = FMA(q, r, expC4)
	q = FMA(q, r, expC5)
	z := r * r
	y := FMA(q, z, r)
	y = y + 1
	ni := int32(n)
	n1 := ni >> 1
	n2 := ni - n1
	y = y * math.Float32frombits(uint32(n1+127)<<23)
	return y * math.Float32frombits(uint32(n2+127)<<23)
}

// Log is the library's natural logarithm, used by the cross-entropy loss:
//
//	if x is NaN or x < 0: return NaN;  x == 0: −Inf;  x == +Inf: +Inf
//	if x is subnormal: x = x * 2^23 (exact), e0 = −23, else e0 = 0
//	k  = bits(x) + (0x3f800000 − sqrtHalfBits)     // integer arithmetic
//	e  = float32((k >> 23) − 127 + e0)
//	m  = float32frombits((k & 0x7fffff) + sqrtHalfBits)  // m ∈ [√½, √2)
//	f  = m − 1                                      // exact
//	z  = f * f
//	q  = logC0; q = FMA(q, f, logC1); … q = FMA(q, f, logC8)
//	y  = q * f;  y = y * z
//	y  = FMA(e, ln2Lo, y);  y = FMA(−0.5, z, y)
//	r  = f + y;  return FMA(e, ln2Hi, r)
//
// Max error over all inputs: 0.827 ULP (at x = 1.413642; TestMathAccuracy
// with SIMDKERN_EXHAUSTIVE=1 asserts ≤ 2).
func Log(x float32) float32 {
	switch {
	case x != x || x < 0:
		return float32(math.NaN())
	case x == 0:
		return float32(math.Inf(-1))
	case x > math.MaxFloat32:
		return x
	}
	var e0 int32
	if x < 0x1p-126 {
		x *= 0x1p23
		e0 = -23
	}
	k := int32(math.Float32bits(x)) + (0x3f800000 - sqrtHalfBits)
	e := float32(k>>23 - 127 + e0)
	m := math.Float32frombits(uint32(k&0x7fffff + sqrtHalfBits))
	f := m - 1
	z := f * f
	q := logC0
	q = FMA(q, f, logC1)
	q = FMA(q, f, logC2)
	q = FMA(q, f, logC3)
	q = FMA(q, f, logC4)
	q = FMA(q, f, logC5)
	q = FMA(q, f, logC6)
	q = FMA(q, f, logC7)
	q = FMA(q, f, logC8)
	y := q * f
	y = y * z
	y = FMA(e, ln2Lo, y)
	y = FMA(-0.5, z, y)
	r := f + y
	return FMA(e, ln2Hi, r)
}

// Lanes is the number of partial sums of the canonical reductions: 16, one
// AVX-512 register, two AVX2 registers or four NEON registers.
const Lanes = 16

// Sum is the canonical float32 sum used by every reduction in the library:
//
//	s[j] = +0 for j < 16
//	for i := range x { s[i%16] = s[i%16] + x[i] }
//	for h := 8; h >= 1; h /= 2 { for j := 0; j < h; j++ { s[j] = s[j] + s[j+h] } }
//	return s[0]
//
// The avx512 variant keeps s in one register.
func Sum(x []float32) float32 {
	return active().vec.sum(x)
}

// sumRef is Sum's loop. Whole stripes of 16 go through 16 scalar
// accumulators (the compiler keeps them in registers, not in s): 256
// floats took 87 ns instead of 238.
func sumRef(x []float32) float32 {
	var s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15 float32
	for ; len(x) >= Lanes; x = x[Lanes:] {
		b := (*[Lanes]float32)(x)
		s0, s1, s2, s3 = s0+b[0], s1+b[1], s2+b[2], s3+b[3]
		s4, s5, s6, s7 = s4+b[4], s5+b[5], s6+b[6], s7+b[7]
		s8, s9, s10, s11 = s8+b[8], s9+b[9], s10+b[10], s11+b[11]
		s12, s13, s14, s15 = s12+b[12], s13+b[13], s14+b[14], s15+b[15]
	}
	s := [Lanes]float32{s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15}
	for i, v := range x {
		s[i] += v
	}
	return foldSum(&s)
}

func foldSum(s *[Lanes]float32) float32 {
	for h := Lanes / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			s[j] += s[j+h]
		}
	}
	return s[0]
}

// pick is the max step of the contract: b if b > a, else a. With a never
// NaN (reductions start at −Inf) NaN inputs are ignored; ±0 ties keep a.
// It is x86 MAXPS with a as the second source; NEON needs FCMGT+BSL.
func pick(a, b float32) float32 {
	if b > a {
		return b
	}
	return a
}

// Max is the canonical maximum, with Sum's lane layout and the pick step:
//
//	m[j] = −Inf for j < 16
//	for i := range x { m[i%16] = pick(m[i%16], x[i]) }
//	for h := 8; h >= 1; h /= 2 { for j := 0; j < h; j++ { m[j] = pick(m[j], m[j+h]) } }
//	return m[0]
//
// NaN elements are skipped; a row of only NaN (or empty) gives −Inf.
func Max(x []float32) float32 {
	var m [Lanes]float32
	for j := range m {
		m[j] = float32(math.Inf(-1))
	}
	for i, v := range x {
		m[i%Lanes] = pick(m[i%Lanes], v)
	}
	for h := Lanes / 2; h >= 1; h /= 2 {
		for j := 0; j < h; j++ {
			m[j] = pick(m[j], m[j+h])
		}
	}
	return m[0]
}
