package main

import (
	"encoding/json"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdkern/simdkern/kernels"
)

func TestBench(t *testing.T) {
	v := kernels.Variant()
	r := runArgs(t, "bench", "-json", "-variants", v, "-shapes", "16x16x16,32x8x4", "-relu", "100,1000",
		"-softmax", "8x10,3x1000", "-threads", "1,2", "-runs", "3", "-min-run", "0")
	require.Equal(t, 0, r.code, r.stderr)
	var rep benchReport
	decodeOne(t, r.stdout, &rep)
	assert.Equal(t, 3, rep.Runs)
	assert.Equal(t, runtime.GOMAXPROCS(0), rep.GOMAXPROCS)
	if runtime.GOARCH == "amd64" {
		assert.Positive(t, rep.ClockGHz)
	}
	var shapes []string
	for _, res := range rep.Results {
		assert.Equal(t, v, res.Variant)
		assert.Positive(t, res.Seconds)
		assert.LessOrEqual(t, res.Best, res.Seconds)
		shapes = append(shapes, res.Kernel+" "+res.Shape)
		switch res.Kernel {
		case "sgemm":
			assert.Positive(t, res.GFLOPS)
			if flopsPerCycle[v] > 0 && rep.ClockGHz > 0 {
				assert.Positive(t, res.PeakPercent)
			}
		case "relu":
			assert.Positive(t, res.GBps)
		}
	}
	assert.Equal(t, []string{"sgemm 16x16x16", "sgemm 16x16x16", "sgemm 32x8x4", "sgemm 32x8x4",
		"relu 100", "relu 1000", "softmax_ce 8x10", "softmax_ce 3x1000"}, shapes)

	r = runArgs(t, "bench", "-variants", v, "-shapes", "8x8x8", "-relu", "64", "-softmax", "4x4", "-threads", "1", "-runs", "1", "-min-run", "0")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "kernel")
	assert.Contains(t, r.stdout, "GFLOP/s")
	assert.Contains(t, r.stdout, "GB/s")
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
	require.Equal(t, 0, r.code, r.stderr)
	var rep benchReport
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	seen := map[string]int{}
	for _, res := range rep.Results {
		seen[res.Variant]++
	}
	assert.Equal(t, map[string]int{"generic": 5, kernels.Variant(): 5}, seen)
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
		assert.InDelta(t, c.want, got, 1e-12, "niceStep(%v, %d)", c.span, c.n)
		assert.Equal(t, c.tick, formatTick(got, got))
	}
	assert.Equal(t, "0.3", formatTick(0.1+0.2, 0.1), "rounding error hidden")
}
