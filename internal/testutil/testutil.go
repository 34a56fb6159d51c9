// Package testutil is the test harness shared by the module's tests: it runs
// a test once per kernel variant, compares float32 results bit for bit,
// makes inputs full of edge cases, and guards operands against stray reads
// and writes.
package testutil

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
)

// ForEachVariant runs fn as a subtest named after each registered variant,
// with that variant active; variants this CPU cannot run are skipped. It
// must not be called from parallel tests. The package under test must
// import kernels (which registers the variants).
func ForEachVariant(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	names := impl.Names()
	if len(names) == 0 {
		t.Fatal("testutil: no variants registered; import the kernels package")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			restore, ok := impl.Use(name)
			if !ok {
				t.Skipf("this CPU cannot run the %s variant", name)
			}
			defer restore()
			fn(t)
		})
	}
}

// Same reports whether a and b are the same float32: equal bits, or both NaN.
func Same(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

// Diff describes the first mismatches between want and got (at most 5), or
// returns "" when they are bit-identical element by element (NaN == NaN).
func Diff(want, got []float32) string {
	if len(want) != len(got) {
		return fmt.Sprintf("length %d, want %d", len(got), len(want))
	}
	var b strings.Builder
	bad := 0
	for i := range want {
		if Same(want[i], got[i]) {
			continue
		}
		if bad < 5 {
			fmt.Fprintf(&b, "\n  [%d] got %v (%#08x), want %v (%#08x)", i,
				got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
		}
		bad++
	}
	if bad == 0 {
		return ""
	}
	return fmt.Sprintf("%d of %d elements differ:%s", bad, len(want), b.String())
}

// Equal fails the test when got is not bit-identical to want.
func Equal(t testing.TB, want, got []float32, format string, args ...any) {
	t.Helper()
	if d := Diff(want, got); d != "" {
		t.Fatalf("%s: %s", fmt.Sprintf(format, args...), d)
	}
}

// Specials are the float32 values every kernel test mixes into its inputs.
var Specials = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	0x1p-130, -0x1.8p-140, // subnormals
	0x1p-126, math.MaxFloat32, -math.MaxFloat32,
}

// Fill sets x to values in roughly [-scale, scale) from r, replacing a
// fraction specialRate of them with Specials.
func Fill(r *rand.Rand, x []float32, scale float32, specialRate float64) {
	for i := range x {
		if specialRate > 0 && r.Float64() < specialRate {
			x[i] = Specials[r.IntN(len(Specials))]
			continue
		}
		x[i] = (2*r.Float32() - 1) * scale
	}
}

// Rand returns a deterministic generator for a test's seed.
func Rand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// guardBits marks guard elements; a NaN no kernel produces (kernels only
// produce the default quiet NaN or propagate input NaNs, never this one
// unless it was an input).
const guardBits = 0x7fbadbad

// Padded returns a slice of n elements with pad guard elements on each
// side in the same backing array; CheckPadding verifies they are untouched.
func Padded(n, pad int) (inner, whole []float32) {
	whole = make([]float32, n+2*pad)
	g := math.Float32frombits(guardBits)
	for i := range whole {
		whole[i] = g
	}
	inner = whole[pad : pad+n : pad+n]
	for i := range inner {
		inner[i] = 0
	}
	return inner, whole
}

// CheckPadding fails the test when a guard element around a Padded slice
// changed.
func CheckPadding(t testing.TB, whole []float32, pad int, what string) {
	t.Helper()
	for i := range pad {
		for _, j := range []int{i, len(whole) - 1 - i} {
			if math.Float32bits(whole[j]) != guardBits {
				t.Fatalf("%s: guard element %d of %d was overwritten with %v", what, j, len(whole), whole[j])
			}
		}
	}
}
