package kernels

import (
	"math"
	"os"
	"testing"

	"github.com/simdkern/simdkern/internal/testutil"
)

// ulpErr is |got - exact| in units of the last place of float32 at exact
// (2⁻¹⁴⁹ in the subnormal range). float64 math.Exp and math.Log are within
// 1 float64 ulp, far below what a float32 ulp resolves.
func ulpErr(got float32, exact float64) float64 {
	if math.IsInf(exact, 0) || math.IsNaN(exact) {
		if float64(got) == exact || (got != got && exact != exact) {
			return 0
		}
		return math.Inf(1)
	}
	_, e := math.Frexp(exact) // exact = f·2^e, f in [0.5, 1)
	ulp := math.Ldexp(1, max(e-24, -149))
	return math.Abs(float64(got)-exact) / ulp
}

// exact32 is the float32 rounding of an exact result, overflowing to ±Inf
// the way float32 does.
func exact32(v float64) float64 {
	if math.Abs(v) > math.MaxFloat32 {
		return float64(float32(v))
	}
	return v
}

// worstULP is the max ulpErr of f against exact over the float32 bit
// patterns lo, lo+step, … ≤ hi, and where it occurs, on two goroutines.
func worstULP(f func(float32) float32, exact func(float64) float64, lo, hi, step uint32) (float64, float32) {
	type res struct {
		u float64
		x float32
	}
	mid := lo + (hi-lo)/2/step*step
	out := make(chan res, 2)
	for _, r := range [][2]uint32{{lo, mid}, {mid + step, hi}} {
		go func() {
			var w res
			for b := uint64(r[0]); b <= uint64(r[1]); b += uint64(step) {
				x := math.Float32frombits(uint32(b))
				if u := ulpErr(f(x), exact(float64(x))); u > w.u {
					w = res{u, x}
				}
			}
			out <- w
		}()
	}
	a, b := <-out, <-out
	if b.u > a.u {
		a = b
	}
	return a.u, a.x
}

// mathAccuracy measures the max ULP error of Exp on [expLo, expHi] (outside
// it the clamp repeats the boundary's result, checked by TestMathSpecials)
// and of Log on (0, +Inf], every step-th bit pattern.
func mathAccuracy(t *testing.T, step uint32) {
	exp := func(x float64) float64 { return exact32(math.Exp(x)) }
	e1, x1 := worstULP(Exp, exp, 0, math.Float32bits(expHi), step)
	e2, x2 := worstULP(Exp, exp, 1<<31, math.Float32bits(expLo), step)
	if e2 > e1 {
		e1, x1 = e2, x2
	}
	l, xl := worstULP(Log, math.Log, 1, math.Float32bits(float32(math.Inf(1))), step)
	t.Logf("step %d: Exp max %.3f ULP at %g (%#08x); Log max %.3f ULP at %g (%#08x)",
		step, e1, x1, math.Float32bits(x1), l, xl, math.Float32bits(xl))
	if e1 > 2 || l > 2 {
		t.Errorf("error above 2 ULP")
	}
}

// TestMathAccuracy samples about 10⁶ inputs spread over every binade (an
// odd step visits every mantissa pattern class); SIMDKERN_EXHAUSTIVE=1
// checks every input (minutes).
func TestMathAccuracy(t *testing.T) {
	step := uint32(4099)
	if os.Getenv("SIMDKERN_EXHAUSTIVE") == "1" {
		step = 1
	} else if testing.Short() {
		step = 65537
	}
	mathAccuracy(t, step)
}

// TestMathSpecials pins the special values and the boundaries of Exp's
// overflow and underflow.
func TestMathSpecials(t *testing.T) {
	inf := float32(math.Inf(1))
	negz := float32(math.Copysign(0, -1))
	nan := float32(math.NaN())
	// the largest x with e^x below MaxFloat32+½ulp, and the smallest with
	// e^x at or above half of the smallest subnormal
	const maxFinite, minNonzero = float32(88.72283), float32(-103.97208)
	cases := []struct {
		f       func(float32) float32
		name    string
		x, want float32
	}{
		{Exp, "Exp", 0, 1}, {Exp, "Exp", negz, 1}, {Exp, "Exp", inf, inf}, {Exp, "Exp", -inf, 0},
		{Exp, "Exp", nan, nan}, {Exp, "Exp", 89, inf}, {Exp, "Exp", -104, 0},
		{Exp, "Exp", math.Nextafter32(maxFinite, inf), inf}, {Exp, "Exp", math.Nextafter32(minNonzero, -inf), 0},
		{Log, "Log", 1, 0}, {Log, "Log", 0, -inf}, {Log, "Log", negz, -inf}, {Log, "Log", -1, nan},
		{Log, "Log", inf, inf}, {Log, "Log", -inf, nan}, {Log, "Log", nan, nan},
	}
	for _, c := range cases {
		if got := c.f(c.x); !testutil.Same(got, c.want) {
			t.Errorf("%s(%v) = %v, want %v", c.name, c.x, got, c.want)
		}
	}
	if got := Exp(maxFinite); got > math.MaxFloat32 || ulpErr(got, math.Exp(float64(maxFinite))) > 2 {
		t.Errorf("Exp(%v) = %v, want finite e^x", maxFinite, got)
	}
	if got := Exp(minNonzero); got != math.SmallestNonzeroFloat32 {
		t.Errorf("Exp(%v) = %v, want the smallest subnormal", minNonzero, got)
	}
	// large logits: subtracting the row max keeps the loss finite
	loss := make([]float32, 1)
	SoftmaxCrossEntropy(1, 3, []float32{1e30, -1e30, 5e29}, 3, []int32{1}, loss, nil, 0, 1)
	if want := -(float32(-1e30) - float32(1e30)); loss[0] != want {
		t.Errorf("loss of huge logits = %v, want %v", loss[0], want)
	}
}

// TestSoftmaxGradAccuracy bounds the reference's dlogits (which every
// variant reproduces) against (e/s − [i == y])·scale in float64 for the
// float32 e and s of the row: off the label, two roundings (t = scale/s,
// then e·t) stay within 2 ULP; at the label, where p − 1 cancels as p → 1,
// within 1 ulp(scale) (t's rounding times e ≤ 1, plus the FMA's).
func TestSoftmaxGradAccuracy(t *testing.T) {
	r := testutil.Rand(7)
	sigmas := []float64{0.3, 3, 30}
	for _, cols := range []int{10, 1000} {
		for _, scale := range []float32{1.0 / 256, 0.01, 1.0 / 60000} {
			ulpScale := float64(math.Nextafter32(scale, 1) - scale)
			rows := 3000
			if testing.Short() {
				rows = 300
			}
			x := make([]float32, rows*cols)
			labels := make([]int32, rows)
			for i := range labels {
				for j := range cols {
					x[i*cols+j] = float32(r.NormFloat64() * sigmas[i%3])
				}
				labels[i] = int32(r.IntN(cols))
			}
			loss := make([]float32, rows)
			d := make([]float32, rows*cols)
			softmaxCERef(rows, cols, x, cols, labels, loss, d, cols, scale)
			var worstOff, worstLabel float64
			e := make([]float32, cols)
			for i := range rows {
				row := x[i*cols : (i+1)*cols]
				mx := Max(row)
				for j, v := range row {
					e[j] = Exp(v - mx)
				}
				s := float64(Sum(e))
				for j := range cols {
					want := float64(e[j]) / s
					if j == int(labels[i]) {
						want = (want - 1) * float64(scale)
						worstLabel = max(worstLabel, math.Abs(float64(d[i*cols+j])-want)/ulpScale)
						continue
					}
					worstOff = max(worstOff, ulpErr(d[i*cols+j], want*float64(scale)))
				}
			}
			t.Logf("cols %d scale %g: off the label ≤ %.3f ULP, at the label ≤ %.3f ulp(scale)", cols, scale, worstOff, worstLabel)
			if worstOff > 2 || worstLabel > 1 {
				t.Errorf("cols %d scale %g: dlogits off by %.3f ULP (label: %.3f ulp(scale)), want ≤ 2 (≤ 1)", cols, scale, worstOff, worstLabel)
			}
		}
	}
}
