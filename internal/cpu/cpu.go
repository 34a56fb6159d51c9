// Package cpu reports the processor features that decide which kernel
// variants can run. On x86 it relies on klauspost/cpuid, which also checks
// that the operating system saves the wide registers (XCR0); on arm64 it
// relies on golang.org/x/sys/cpu (HWCAP).
package cpu

import (
	"runtime"

	"github.com/klauspost/cpuid/v2"
	"golang.org/x/sys/cpu"
)

// Features are the instruction-set extensions the kernels care about.
type Features struct {
	AVX2, FMA                             bool
	AVX512F, AVX512BW, AVX512DQ, AVX512VL bool
	ASIMD                                 bool // arm64 NEON
}

// X is this machine's feature set, read once at start-up.
var X = detect()

func detect() Features {
	c := cpuid.CPU
	return Features{
		AVX2:     c.Supports(cpuid.AVX2),
		FMA:      c.Supports(cpuid.FMA3),
		AVX512F:  c.Supports(cpuid.AVX512F),
		AVX512BW: c.Supports(cpuid.AVX512BW),
		AVX512DQ: c.Supports(cpuid.AVX512DQ),
		AVX512VL: c.Supports(cpuid.AVX512VL),
		ASIMD:    runtime.GOARCH == "arm64" && cpu.ARM64.HasASIMD,
	}
}

// Info describes the processor for humans (the command's cpu report).
type Info struct {
	Brand           string
	Vendor          string
	Family, Model   int
	PhysicalCores   int
	LogicalCores    int
	L1D, L2, L3     int // bytes; 0 when unknown
	CacheLine       int
	Features        Features
	AllFeatureNames []string // every flag cpuid knows (x86 only)
	GOARCH, GOOS    string
	GOMAXPROCS      int
}

// Describe gathers Info for this machine.
func Describe() Info {
	c := cpuid.CPU
	return Info{
		Brand:           c.BrandName,
		Vendor:          c.VendorString,
		Family:          c.Family,
		Model:           c.Model,
		PhysicalCores:   c.PhysicalCores,
		LogicalCores:    c.LogicalCores,
		L1D:             c.Cache.L1D,
		L2:              c.Cache.L2,
		L3:              c.Cache.L3,
		CacheLine:       c.CacheLine,
		Features:        X,
		AllFeatureNames: c.FeatureSet(),
		GOARCH:          runtime.GOARCH,
		GOOS:            runtime.GOOS,
		GOMAXPROCS:      runtime.GOMAXPROCS(0),
	}
}
