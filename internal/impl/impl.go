// Package impl is the registry of kernel variants ("generic", "avx2",
// "avx512", "neon"). The kernels package registers every variant it knows
// with whether this CPU can run it; the best available one is chosen once,
// capped by the SIMDKERN_CPU environment variable. Tests inside this module
// switch variants with Use; nothing outside the module can (internal
// package), so the library has no public mutable toggle.
package impl

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
)

// EnvVar names the environment variable that caps the variant choice.
const EnvVar = "SIMDKERN_CPU"

var (
	names     []string
	available []bool
	active    atomic.Int32 // index into names; -1 when SIMDKERN_CPU is invalid
	envErr    error
)

// Setup records the variants in order of preference, worst first (generic
// must come first and be available), and chooses the active one: the last
// available variant, or exactly the one SIMDKERN_CPU names. It is called
// once, from the kernels package's initialisation.
func Setup(variantNames []string, avail []bool) {
	if len(variantNames) == 0 || len(variantNames) != len(avail) || !avail[0] {
		panic("impl: Setup needs an available generic variant first")
	}
	names = variantNames
	available = avail
	idx, err := choose(os.Getenv(EnvVar))
	envErr = err
	active.Store(int32(idx))
}

func choose(want string) (int, error) {
	best := 0
	for i, ok := range available {
		if ok {
			best = i
		}
	}
	if want == "" {
		return best, nil
	}
	for i, n := range names {
		if n == want {
			if !available[i] {
				return -1, fmt.Errorf("simdkern: %s=%s: this CPU cannot run the %s variant (available: %s)",
					EnvVar, want, want, strings.Join(Available(), ", "))
			}
			return i, nil
		}
	}
	return -1, fmt.Errorf("simdkern: %s=%q is not a variant (known: %s; available here: %s)",
		EnvVar, want, strings.Join(names, ", "), strings.Join(Available(), ", "))
}

// Active returns the index of the active variant, or -1 with Err non-nil
// when SIMDKERN_CPU was invalid.
func Active() int { return int(active.Load()) }

// Err reports an invalid SIMDKERN_CPU; nil otherwise.
func Err() error { return envErr }

// Names lists every registered variant, available or not.
func Names() []string { return append([]string(nil), names...) }

// Available lists the variants this CPU can run, worst first.
func Available() []string {
	var out []string
	for i, ok := range available {
		if ok {
			out = append(out, names[i])
		}
	}
	return out
}

// IsAvailable reports whether this CPU can run the named variant.
func IsAvailable(name string) bool {
	for i, n := range names {
		if n == name {
			return available[i]
		}
	}
	return false
}

// Use makes the named variant active until restore is called; it is for
// tests within this module, which must not run in parallel with each other
// while a variant other than the default is in use. It returns false when
// the variant is unknown or unavailable.
func Use(name string) (restore func(), ok bool) {
	for i, n := range names {
		if n == name && available[i] {
			prev := active.Swap(int32(i))
			return func() { active.Store(prev) }, true
		}
	}
	return func() {}, false
}
