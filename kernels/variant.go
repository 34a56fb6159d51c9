package kernels

import (
	"github.com/simdkern/simdkern/internal/impl"
)

// variant is one implementation of every kernel: generic (pure Go) or a
// SIMD instruction set.
type variant struct {
	name      string
	available bool
	gemm      gemmImpl
	vec       vecImpl
}

// variantNames lists every variant, worst first; the last available one is
// the default.
var variantNames = []string{"generic", "avx2", "avx512", "neon"}

var variants = buildVariants()

func buildVariants() []variant {
	vs := make([]variant, len(variantNames))
	for i, name := range variantNames {
		if name == "generic" {
			vs[i] = variant{name: name, available: true, gemm: gemmGeneric, vec: vecGeneric}
			continue
		}
		vs[i] = simdVariant(name)
	}
	return vs
}

func init() {
	avail := make([]bool, len(variants))
	for i, v := range variants {
		avail[i] = v.available
	}
	impl.Setup(variantNames, avail)
}

// active returns the variant in use. It panics with a clear message when
// SIMDKERN_CPU named a variant this CPU cannot run (see ConfigError).
func active() *variant {
	i := impl.Active()
	if i < 0 {
		panic(impl.Err())
	}
	return &variants[i]
}

// Variant returns the name of the active variant: "generic", "avx2",
// "avx512" or "neon". It is the best one this CPU can run, or the one the
// SIMDKERN_CPU environment variable names; it is "" when SIMDKERN_CPU is
// invalid (see ConfigError).
func Variant() string {
	i := impl.Active()
	if i < 0 {
		return ""
	}
	return variants[i].name
}

// Variants returns the variants this CPU can run, worst first.
func Variants() []string { return impl.Available() }

// ConfigError reports an invalid SIMDKERN_CPU (a misspelling, or a variant
// this CPU or build cannot run). While it is non-nil every kernel call
// panics with it; programs should check it at start-up and exit cleanly.
func ConfigError() error { return impl.Err() }
