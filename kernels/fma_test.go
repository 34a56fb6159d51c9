package kernels

import (
	"math"
	"math/big"
	"testing"

	"github.com/simdkern/simdkern/internal/testutil"
)

// fmaBig is the oracle: a*b+c computed exactly with math/big, then rounded
// once to float32 (nearest, ties to even, with subnormals and overflow).
func fmaBig(a, b, c float32) float32 {
	fa, fb, fc := float64(a), float64(b), float64(c)
	if math.IsNaN(fa) || math.IsNaN(fb) || math.IsNaN(fc) || math.IsInf(fa, 0) || math.IsInf(fb, 0) || math.IsInf(fc, 0) {
		return float32(fa*fb + fc) // special values: IEEE rules, no rounding involved
	}
	x := new(big.Float).SetPrec(2000).SetFloat64(fa)
	x.Mul(x, new(big.Float).SetPrec(2000).SetFloat64(fb))
	x.Add(x, new(big.Float).SetPrec(2000).SetFloat64(fc))
	if x.Sign() == 0 {
		// The sign of an exact zero sum follows IEEE 754 (round to nearest).
		return float32(fa*fb + fc)
	}
	f, _ := x.Float32()
	return f
}

func checkFMA(t *testing.T, a, b, c float32) {
	t.Helper()
	got, want := FMA(a, b, c), fmaBig(a, b, c)
	if !testutil.Same(got, want) {
		t.Fatalf("FMA(%g, %g, %g) = %g (%#08x), want %g (%#08x)", a, b, c,
			got, math.Float32bits(got), want, math.Float32bits(want))
	}
}

// randFloat32 draws any finite float32 with a uniformly random exponent in
// [minExp, maxExp], so subnormals, tiny and huge values all appear.
func randFloat32(r interface{ Uint32() uint32 }, minExp, maxExp int) float32 {
	u := r.Uint32()
	e := minExp + int(u%uint32(maxExp-minExp+1))
	m := r.Uint32()&0x7fffff | 0x800000
	v := float32(math.Ldexp(float64(m), e-23)) // exact or subnormal-rounded, still a float32
	if u&(1<<31) != 0 {
		v = -v
	}
	return v
}

func TestFMARandom(t *testing.T) {
	r := testutil.Rand(1)
	n := 300000
	if testing.Short() {
		n = 30000
	}
	for range n {
		checkFMA(t, randFloat32(r, -20, 20), randFloat32(r, -20, 20), randFloat32(r, -40, 40))
		checkFMA(t, randFloat32(r, -150, 127), randFloat32(r, -150, 127), randFloat32(r, -150, 127))
		// Products near the subnormal range and sums that cancel.
		a, b := randFloat32(r, -80, -60), randFloat32(r, -80, -60)
		checkFMA(t, a, b, -float32(float64(a)*float64(b)))
	}
}

// TestFMAHalfway crafts sums within 2^-29 relative of a float32 halfway point,
// where rounding a*b+c first to float64 and then to float32 goes wrong:
// a·b = ±2^e(1 − 2^-2q) sits just off a half-ulp of c.
func TestFMAHalfway(t *testing.T) {
	r := testutil.Rand(2)
	wrongViaFloat64 := 0
	for i := range 200000 {
		q := 15 + int(r.Uint32()%9) // 1 ± 2^-q is a float32; 2^-2q < 2^-29
		cExp := -100 + int(r.Uint32()%200)
		if i%7 == 0 {
			cExp = -126 - int(r.Uint32()%23) // c subnormal
		}
		c := randFloat32(r, cExp, cExp)
		halfUlp := cExp - 24
		if cExp < -126 {
			halfUlp = -150
		}
		s := halfUlp / 2
		a := float32(math.Ldexp(1+math.Ldexp(1, -q), s))
		b := float32(math.Ldexp(1-math.Ldexp(1, -q), halfUlp-s))
		if r.Uint32()&1 == 0 {
			a = -a
		}
		checkFMA(t, a, b, c)
		checkFMA(t, b, a, c)
		// Same with c's last bit flipped, so both parities of c occur.
		c2 := math.Float32frombits(math.Float32bits(c) ^ 1)
		checkFMA(t, a, b, c2)
		if float32(math.FMA(float64(a), float64(b), float64(c2))) != fmaBig(a, b, c2) {
			wrongViaFloat64++
		}
	}
	if wrongViaFloat64 == 0 {
		t.Fatal("no crafted case defeats float32(math.FMA(...)): the test does not reach halfway points")
	}
	t.Logf("%d crafted cases where float32(math.FMA) double-rounds; FMA got all right", wrongViaFloat64)
}

func TestFMASpecials(t *testing.T) {
	sp := append([]float32{0x1p-149, 0x1p-75, 0x1.fffffep127, 0x1p64, 3}, testutil.Specials...)
	for _, a := range sp {
		for _, b := range sp {
			for _, c := range sp {
				checkFMA(t, a, b, c)
			}
		}
	}
}
