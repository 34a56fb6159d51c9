package main

import (
	"encoding/json"
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/simdkern/simdkern/kernels"
)

func TestBench(t *testing.T) {
	v := kernels.Variant()
	r := runArgs(t, "bench", "-json", "-variants", v, "-shapes", "16x16x16,32x8x4", "-relu", "100,1000",
		"-softmax", "8x10,3x1000", "-threads", "1,2", "-runs", "3", "-min-run", "0")
	requireSuccess(t, r)
	var rep benchReport
	decodeOne(t, r.stdout, &rep)
	if rep.Runs != 3 {
		t.Errorf("runs: got %d, want 3", rep.Runs)
	}
	if want := runtime.GOMAXPROCS(0); rep.GOMAXPROCS != want {
		t.Errorf("GOMAXPROCS: got %d, want %d", rep.GOMAXPROCS, want)
	}
	if runtime.GOARCH == "amd64" {
		if !(rep.ClockGHz > 0) {
			t.Errorf("clock: got %v GHz, want > 0", rep.ClockGHz)
		}
	}
	var shapes []string
	for _, res := range rep.Results {
		name := res.Kernel + " " + res.Shape
		if res.Variant != v {
			t.Errorf("%s: variant: got %q, want %q", name, res.Variant, v)
		}
		if !(res.Seconds > 0) {
			t.Errorf("%s: seconds: got %v, want > 0", name, res.Seconds)
		}
		if res.Best > res.Seconds {
			t.Errorf("%s: best seconds: got %v, want ≤ the median %v", name, res.Best, res.Seconds)
		}
		shapes = append(shapes, name)
		switch res.Kernel {
		case "sgemm":
			if !(res.GFLOPS > 0) {
				t.Errorf("%s: GFLOP/s: got %v, want > 0", name, res.GFLOPS)
			}
			if flopsPerCycle[v] > 0 && rep.ClockGHz > 0 {
				if !(res.PeakPercent > 0) {
					t.Errorf("%s: peak percent: got %v, want > 0", name, res.PeakPercent)
				}
			}
		case "relu":
			if !(res.GBps > 0) {
				t.Errorf("%s: GB/s: got %v, want > 0", name, res.GBps)
			}
		}
	}
	if want := []string{"sgemm 16x16x16", "sgemm 16x16x16", "sgemm 32x8x4", "sgemm 32x8x4",
		"relu 100", "relu 1000", "softmax_ce 8x10", "softmax_ce 3x1000"}; !slices.Equal(shapes, want) {
		t.Errorf("results: got %q, want %q", shapes, want)
	}

	r = runArgs(t, "bench", "-variants", v, "-shapes", "8x8x8", "-relu", "64", "-softmax", "4x4", "-threads", "1", "-runs", "1", "-min-run", "0")
	requireSuccess(t, r)
	for _, want := range []string{"kernel", "GFLOP/s", "GB/s"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout %q: want it to contain %q", r.stdout, want)
		}
	}
}

// TestBenchVariants runs bench as the command: each variant other than the
// active one runs in a child process.
func TestBenchVariants(t *testing.T) {
	vs := kernels.Variants()
	if len(vs) < 2 {
		t.Skip("only the generic variant on this machine")
	}
	r := runAsMain(t, nil, "bench", "-json", "-variants", "generic,"+kernels.Variant(), "-shapes", "8x8x8", "-relu", "64,128", "-softmax", "4x4,4x8",
		"-threads", "1", "-runs", "1", "-min-run", "0")
	requireSuccess(t, r)
	var rep benchReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("decoding stdout as JSON: %v\nstdout: %s", err, r.stdout)
	}
	seen := map[string]int{}
	for _, res := range rep.Results {
		seen[res.Variant]++
	}
	if want := map[string]int{"generic": 5, kernels.Variant(): 5}; !maps.Equal(seen, want) {
		t.Errorf("results per variant: got %v, want %v", seen, want)
	}
}

func TestBenchErrors(t *testing.T) {
	requireFailure(t, runArgs(t, "bench", "-variants", "sse9"), 2, `-variants: "sse9" is not a variant this CPU runs`)
	requireFailure(t, runArgs(t, "bench", "-shapes", "10x10"), 2, `-shapes: "10x10" is not 3 positive sizes joined by x`)
	requireFailure(t, runArgs(t, "bench", "-shapes", "0x1x1"), 2, `-shapes: "0x1x1" is not 3 positive sizes`)
	requireFailure(t, runArgs(t, "bench", "-softmax", "10"), 2, `-softmax: "10" is not 2 positive sizes`)
	requireFailure(t, runArgs(t, "bench", "-relu", "1x2"), 2, `-relu "1x2": want comma-separated integers ≥ 1`)
	requireFailure(t, runArgs(t, "bench", "-threads", "0"), 2, `-threads "0": want comma-separated integers ≥ 1`)
	requireFailure(t, runArgs(t, "bench", "-runs", "0"), 2, "-runs 0: want at least 1")
}

func TestNiceStep(t *testing.T) {
	for _, c := range []struct {
		span float64
		n    int
		want float64
		tick string
	}{
		{1, 5, 0.2, "0.2"},
		{0.9, 5, 0.2, "0.2"},
		{30, 5, 10, "10"},
		{14, 8, 2, "2"},
		{0.03, 5, 0.01, "0.01"},
		{0, 5, 1, "1"},
	} {
		got := niceStep(c.span, c.n)
		if !(math.Abs(c.want-got) <= 1e-12) {
			t.Errorf("niceStep(%v, %d): got %v, want %v", c.span, c.n, got, c.want)
		}
		if tick := formatTick(got, got); tick != c.tick {
			t.Errorf("formatTick(%v, %v): got %q, want %q", got, got, tick, c.tick)
		}
	}
	if got := formatTick(0.1+0.2, 0.1); got != "0.3" {
		t.Errorf("formatTick(0.1+0.2, 0.1): got %q, want %q (rounding error hidden)", got, "0.3")
	}
}
