package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/simdkern/simdkern/kernels"
)

// The default Sgemm shapes are the MLP's GEMMs at batch 256 (forward,
// weight gradient, output layer) and the square one of the usual tables;
// ReLU and softmax-cross-entropy use the sizes of the PyTorch figures, in
// L2 and beyond it.
const (
	defaultShapes  = "256x256x784,784x256x256,256x10x256,1024x1024x1024"
	defaultRelu    = "65536,4194304"
	defaultSoftmax = "256x10,4096x1000"
)

type benchResult struct {
	Variant string  `json:"variant"`
	Kernel  string  `json:"kernel"` // sgemm, relu or softmax_ce
	Shape   string  `json:"shape"`  // MxNxK for sgemm, the length for relu, ROWSxCOLS for softmax_ce
	Threads int     `json:"threads"`
	Seconds float64 `json:"seconds"` // median time of one call
	Best    float64 `json:"best_seconds"`
	GFLOPS  float64 `json:"gflops,omitempty"`   // sgemm: 2·M·N·K per call
	GBps    float64 `json:"gb_per_s,omitempty"` // relu: 4 bytes read and 4 written per element
	// PeakPercent compares sgemm with threads × clock × the variant's
	// FLOP per cycle; absent when the clock or that figure is unknown.
	PeakPercent float64 `json:"peak_percent,omitempty"`
}

type benchReport struct {
	CPU        string        `json:"cpu"`
	GOMAXPROCS int           `json:"gomaxprocs"`
	ClockGHz   float64       `json:"clock_ghz,omitempty"`
	Runs       int           `json:"runs"`
	Results    []benchResult `json:"results"`
}

type benchConfig struct {
	variants []string
	shapes   [][]int // M, N, K
	relu     []int
	softmax  [][]int // rows, cols
	threads  []int
	runs     int
	minRun   time.Duration
}

func runBench(e *env, args []string) error {
	fs := newFlags("bench")
	asJSON := jsonFlag(fs)
	variants := fs.String("variants", strings.Join(kernels.Variants(), ","),
		"comma-separated kernel variants to measure (generic is by far the slowest); each one but the active variant runs in a child process with SIMDKERN_CPU set")
	shapes := fs.String("shapes", defaultShapes, "comma-separated Sgemm shapes MxNxK (C is MxN)")
	relu := fs.String("relu", defaultRelu, "comma-separated ReLU lengths")
	softmax := fs.String("softmax", defaultSoftmax, "comma-separated softmax-cross-entropy shapes ROWSxCOLS")
	threads := fs.String("threads", defaultThreads(), "comma-separated Sgemm thread counts")
	runs := fs.Int("runs", 5, "timed runs per figure; the median is reported (at least 5 for a stable figure)")
	minRun := fs.Duration("min-run", 100*time.Millisecond, "each timed run repeats the call for at least this long")
	if err := parseNoArgs(e, fs, args); err != nil {
		return err
	}
	cfg := benchConfig{runs: *runs, minRun: *minRun}
	var err error
	if cfg.variants, err = parseVariants(*variants); err != nil {
		return err
	}
	if cfg.shapes, err = parseDims("-shapes", *shapes, 3); err != nil {
		return err
	}
	if cfg.relu, err = parseInts("-relu", *relu, 1); err != nil {
		return err
	}
	if cfg.softmax, err = parseDims("-softmax", *softmax, 2); err != nil {
		return err
	}
	if cfg.threads, err = parseInts("-threads", *threads, 1); err != nil {
		return err
	}
	if cfg.runs < 1 {
		return usagef("bench: -runs %d: want at least 1", cfg.runs)
	}
	if cfg.minRun < 0 {
		return usagef("bench: -min-run %v: want a duration ≥ 0", cfg.minRun)
	}

	rep := benchReport{CPU: describeCPU().Brand, GOMAXPROCS: runtime.GOMAXPROCS(0), Runs: cfg.runs, ClockGHz: clockGHz()}
	if !*asJSON {
		printBenchHeader(e.stdout, rep)
	}
	for _, v := range cfg.variants {
		var res []benchResult
		if v == kernels.Variant() {
			res = benchActive(cfg)
		} else {
			if !*asJSON {
				fmt.Fprintf(e.stderr, "bench: measuring the %s variant in a child process\n", v)
			}
			if res, err = benchChild(e, v, args); err != nil {
				return err
			}
		}
		for i := range res {
			res[i].PeakPercent = peakPercent(res[i], rep.ClockGHz)
			if !*asJSON {
				printBenchRow(e.stdout, res[i])
			}
		}
		rep.Results = append(rep.Results, res...)
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	return nil
}

func defaultThreads() string {
	if n := runtime.GOMAXPROCS(0); n > 1 {
		return "1," + strconv.Itoa(n)
	}
	return "1"
}

func parseVariants(list string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(list, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(kernels.Variants(), v) {
			return nil, usagef("bench: -variants: %q is not a variant this CPU runs (available: %s)", v, strings.Join(kernels.Variants(), ", "))
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

// parseDims parses a comma-separated list of sizes such as 256x10, each
// of n positive dimensions.
func parseDims(flagName, list string, n int) ([][]int, error) {
	var out [][]int
	for _, s := range strings.Split(list, ",") {
		dims, err := parseInts(flagName, strings.ReplaceAll(strings.TrimSpace(s), "x", ","), 1)
		if err != nil || len(dims) != n {
			return nil, usagef("bench: %s: %q is not %d positive sizes joined by x", flagName, s, n)
		}
		out = append(out, dims)
	}
	return out, nil
}

// parseInts parses a comma-separated list of integers ≥ lo.
func parseInts(flagName, list string, lo int) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < lo {
			return nil, usagef("%s %q: want comma-separated integers ≥ %d", flagName, list, lo)
		}
		out = append(out, n)
	}
	return out, nil
}

// benchChild measures variant v in a child process of this program with
// SIMDKERN_CPU=v: the variant is chosen once per process.
func benchChild(e *env, v string, args []string) ([]benchResult, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("bench: cannot run the %s variant: %v", v, err)
	}
	childArgs := append([]string{"bench"}, args...)
	childArgs = append(childArgs, "-json", "-variants", v)
	cmd := exec.CommandContext(e.ctx, exe, childArgs...)
	cmd.Env = append(os.Environ(), "SIMDKERN_CPU="+v)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: the %s variant's run failed: %v: %s", v, err, strings.TrimSpace(errOut.String()))
	}
	var rep benchReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return nil, fmt.Errorf("bench: reading the %s variant's results: %v", v, err)
	}
	return rep.Results, nil
}

// benchActive measures the active variant in this process.
func benchActive(cfg benchConfig) []benchResult {
	v := kernels.Variant()
	var out []benchResult
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range cfg.shapes {
		m, n, k := s[0], s[1], s[2]
		a, b, c := randFloats(rng, m*k), randFloats(rng, k*n), make([]float32, m*n)
		for _, t := range cfg.threads {
			med, best := measure(cfg, func() {
				kernels.Threads(t).Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
			})
			out = append(out, benchResult{Variant: v, Kernel: "sgemm", Shape: fmt.Sprintf("%dx%dx%d", m, n, k),
				Threads: t, Seconds: med, Best: best, GFLOPS: 2 * float64(m) * float64(n) * float64(k) / med / 1e9})
		}
	}
	for _, n := range cfg.relu {
		src, dst := randFloats(rng, n), make([]float32, n)
		med, best := measure(cfg, func() { kernels.Relu(dst, src) })
		out = append(out, benchResult{Variant: v, Kernel: "relu", Shape: strconv.Itoa(n), Threads: 1,
			Seconds: med, Best: best, GBps: 8 * float64(n) / med / 1e9})
	}
	for _, s := range cfg.softmax {
		rows, cols := s[0], s[1]
		logits, dlogits, loss := randFloats(rng, rows*cols), make([]float32, rows*cols), make([]float32, rows)
		labels := make([]int32, rows)
		for i := range labels {
			labels[i] = int32(rng.IntN(cols))
		}
		med, best := measure(cfg, func() {
			kernels.SoftmaxCrossEntropy(rows, cols, logits, cols, labels, loss, dlogits, cols, 1/float32(rows))
		})
		out = append(out, benchResult{Variant: v, Kernel: "softmax_ce", Shape: fmt.Sprintf("%dx%d", rows, cols), Threads: 1,
			Seconds: med, Best: best})
	}
	return out
}

func randFloats(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = rng.Float32()*2 - 1
	}
	return x
}

// measure calls f once to warm up, then times cfg.runs runs of enough calls
// to last cfg.minRun each, and returns the median and best time per call in
// seconds.
func measure(cfg benchConfig, f func()) (median, best float64) {
	start := time.Now()
	f()
	reps := 1
	if once := time.Since(start); once < cfg.minRun {
		reps = int(cfg.minRun/max(once, time.Microsecond)) + 1
	}
	times := make([]float64, cfg.runs)
	for i := range times {
		start := time.Now()
		for range reps {
			f()
		}
		times[i] = time.Since(start).Seconds() / float64(reps)
	}
	slices.Sort(times)
	return times[len(times)/2], times[0]
}

// flopsPerCycle is one core's FP32 peak per variant: lanes × 2 (an FMA is
// two operations) × 2 FMA units, as on the cores these variants target.
var flopsPerCycle = map[string]float64{"avx2": 32, "avx512": 64}

func peakPercent(r benchResult, ghz float64) float64 {
	fpc := flopsPerCycle[r.Variant]
	if r.Kernel != "sgemm" || ghz == 0 || fpc == 0 {
		return 0
	}
	return 100 * r.GFLOPS / (float64(r.Threads) * ghz * fpc)
}

func printBenchHeader(w io.Writer, rep benchReport) {
	clock := "unknown (no % of peak)"
	if rep.ClockGHz > 0 {
		clock = fmt.Sprintf("%.2f GHz, measured by a chain of dependent integer multiplications", rep.ClockGHz)
	}
	fmt.Fprintf(w, "cpu: %s, GOMAXPROCS %d\nclock: %s\npeak: threads × clock × FLOP/cycle (avx2 32, avx512 64); median of %d runs\n\n",
		rep.CPU, rep.GOMAXPROCS, clock, rep.Runs)
	fmt.Fprintf(w, benchRowFormat, "kernel", "shape", "variant", "threads", "median", "rate", "of peak")
}

// Fixed widths rather than a tabwriter: rows appear as they are measured.
const benchRowFormat = "%-10s  %-14s  %-7s  %7s  %9s  %14s  %7s\n"

func printBenchRow(w io.Writer, r benchResult) {
	rate := fmt.Sprintf("%.1f GFLOP/s", r.GFLOPS)
	switch r.Kernel {
	case "relu":
		rate = fmt.Sprintf("%.1f GB/s", r.GBps)
	case "softmax_ce":
		rate = ""
	}
	peak := ""
	if r.PeakPercent > 0 {
		peak = fmt.Sprintf("%.0f%%", r.PeakPercent)
	}
	fmt.Fprintf(w, benchRowFormat, r.Kernel, r.Shape, r.Variant, strconv.Itoa(r.Threads), formatSeconds(r.Seconds), rate, peak)
}

// formatSeconds prints a duration with three significant digits.
func formatSeconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.3g µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.3g ms", s*1e3)
	}
	return fmt.Sprintf("%.3g s", s)
}
