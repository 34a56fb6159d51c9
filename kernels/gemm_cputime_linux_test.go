package kernels

import (
	"flag"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/simdkern/simdkern/internal/impl"
	"golang.org/x/sys/unix"
)

// gemmCPUTime selects the variants TestSgemmCPUTime measures (comma
// separated, "all" for every available one); empty skips it.
var gemmCPUTime = flag.String("gemm.cputime", "", "variants whose one-thread Sgemm rates TestSgemmCPUTime prints, timed by thread CPU time")

// threadCPU is the CPU time the calling OS thread has used: on a shared,
// loaded machine it excludes the time other processes hold the core.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic(err)
	}
	return time.Duration(ts.Nano())
}

// gemmCPUShapes, when set, limits TestSgemmCPUTime to the shapes it lists
// (comma separated, as gemmBenchShape prints them).
var gemmCPUShapes = flag.String("gemm.shapes", "", "shapes TestSgemmCPUTime measures, e.g. 1024x1024x1024,784x256x256/TN (default all)")

// TestSgemmCPUTime prints one-thread GFLOP/s of the benchmark shapes timed
// by thread CPU time, for comparisons while the machine is shared: 11
// rounds, each timing every variant and shape for ≥ 3 ms in turn (so that
// slow periods of the host hit all alike), then the median and best round:
//
//	go test ./kernels/ -run SgemmCPUTime -v -args -gemm.cputime=avx512
func TestSgemmCPUTime(t *testing.T) {
	if *gemmCPUTime == "" {
		t.Skip("set -gemm.cputime")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	type job struct {
		name    string
		variant string
		s       gemmBenchShape
		call    func()
		rates   []float64
	}
	var jobs []*job
	for _, v := range impl.Available() {
		if *gemmCPUTime != "all" && !slices.Contains(strings.Split(*gemmCPUTime, ","), v) {
			continue
		}
		for _, s := range gemmBenchShapes() {
			if *gemmCPUShapes != "" && !slices.Contains(strings.Split(*gemmCPUShapes, ","), s.String()) {
				continue
			}
			x, lda, y, ldb, z := s.operands()
			jobs = append(jobs, &job{name: v + "/" + s.String(), variant: v, s: s, call: func() {
				Threads(1).Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n)
			}})
		}
	}
	const rounds = 11
	for range rounds {
		for _, j := range jobs {
			restore, _ := impl.Use(j.variant)
			j.call()
			calls, t0 := 0, threadCPU()
			for ; threadCPU()-t0 < 3*time.Millisecond; calls++ {
				j.call()
			}
			j.rates = append(j.rates, j.s.flops()*float64(calls)/(threadCPU()-t0).Seconds()/1e9)
			restore()
		}
	}
	for _, j := range jobs {
		slices.Sort(j.rates)
		fmt.Printf("cputime %s: median %.1f GFLOP/s (best %.1f)\n", j.name, j.rates[rounds/2], j.rates[rounds-1])
	}
}
