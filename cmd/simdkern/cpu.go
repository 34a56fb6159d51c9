package main

import (
	"fmt"
	"strings"

	"github.com/simdkern/simdkern/internal/cpu"
	"github.com/simdkern/simdkern/kernels"
)

type cpuReport struct {
	Brand          string   `json:"brand"`
	Vendor         string   `json:"vendor"`
	Family         int      `json:"family"`
	Model          int      `json:"model"`
	GOOS           string   `json:"goos"`
	GOARCH         string   `json:"goarch"`
	PhysicalCores  int      `json:"physical_cores"`
	LogicalCores   int      `json:"logical_cores"`
	GOMAXPROCS     int      `json:"gomaxprocs"`
	L1D            int      `json:"l1d_bytes"`
	L2             int      `json:"l2_bytes"`
	L3             int      `json:"l3_bytes"`
	CacheLine      int      `json:"cache_line_bytes"`
	KernelFeatures []string `json:"kernel_features"`
	AllFeatures    []string `json:"all_features"`
	Variants       []string `json:"variants"`
	Active         string   `json:"active"`
}

func describeCPU() cpuReport {
	i := cpu.Describe()
	return cpuReport{
		Brand: i.Brand, Vendor: i.Vendor, Family: i.Family, Model: i.Model,
		GOOS: i.GOOS, GOARCH: i.GOARCH,
		PhysicalCores: i.PhysicalCores, LogicalCores: i.LogicalCores, GOMAXPROCS: i.GOMAXPROCS,
		L1D: i.L1D, L2: i.L2, L3: i.L3, CacheLine: i.CacheLine,
		KernelFeatures: kernelFeatures(i.Features), AllFeatures: i.AllFeatureNames,
		Variants: kernels.Variants(), Active: kernels.Variant(),
	}
}

func runCPU(e *env, args []string) error {
	fs := newFlags("cpu")
	asJSON := jsonFlag(fs)
	if err := parseNoArgs(e, fs, args); err != nil {
		return err
	}
	r := describeCPU()
	if *asJSON {
		return writeJSON(e.stdout, r)
	}
	w := e.stdout
	fmt.Fprintf(w, "cpu:          %s (%s, family %d, model %d)\n", r.Brand, r.Vendor, r.Family, r.Model)
	fmt.Fprintf(w, "platform:     %s/%s, %d physical / %d logical cores, GOMAXPROCS %d\n",
		r.GOOS, r.GOARCH, r.PhysicalCores, r.LogicalCores, r.GOMAXPROCS)
	fmt.Fprintf(w, "caches:       L1d %s, L2 %s, L3 %s, line %d B\n", bytesSize(r.L1D), bytesSize(r.L2), bytesSize(r.L3), r.CacheLine)
	fmt.Fprintf(w, "kernel flags: %s\n", orNone(r.KernelFeatures))
	fmt.Fprintf(w, "variants:     %s (active: %s)\n", strings.Join(r.Variants, ", "), r.Active)
	fmt.Fprintf(w, "all flags:    %s\n", orNone(r.AllFeatures))
	return nil
}

// kernelFeatures names the features that decide the variants.
func kernelFeatures(f cpu.Features) []string {
	var out []string
	for _, x := range []struct {
		name string
		has  bool
	}{
		{"AVX2", f.AVX2}, {"FMA", f.FMA},
		{"AVX512F", f.AVX512F}, {"AVX512BW", f.AVX512BW}, {"AVX512DQ", f.AVX512DQ}, {"AVX512VL", f.AVX512VL},
		{"ASIMD", f.ASIMD},
	} {
		if x.has {
			out = append(out, x.name)
		}
	}
	return out
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}

// bytesSize prints a cache size; cpuid reports 0 or -1 when unknown.
func bytesSize(n int) string {
	switch {
	case n <= 0:
		return "unknown"
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
