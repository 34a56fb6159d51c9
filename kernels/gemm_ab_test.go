package kernels

import (
	"flag"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/simdkern/simdkern/internal/impl"
	"golang.org/x/sys/unix"
)

var abExps = flag.String("ab.exps", "", "gemmExp values to alternate, e.g. 0,1")
var abShapes = flag.String("ab.shapes", "1024x1024x1024", "shapes")
var abRounds = flag.Int("ab.rounds", 15, "rounds")
var abVariant = flag.String("ab.variant", "avx512", "variant")
var abThreads = flag.Int("ab.threads", 1, "threads")

func TestSgemmAB(t *testing.T) {
	if *abExps == "" {
		t.Skip()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	restore, _ := impl.Use(*abVariant)
	defer restore()
	var exps []int
	for _, s := range strings.Split(*abExps, ",") {
		e, _ := strconv.Atoi(s)
		exps = append(exps, e)
	}
	kc0, mc0 := active().gemm.kc, active().gemm.mc
	for _, s := range gemmBenchShapes() {
		if !slices.Contains(strings.Split(*abShapes, ","), s.String()) {
			continue
		}
		x, lda, y, ldb, z := s.operands()
		call := func() {
			Threads(*abThreads).Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n)
		}
		rates := make([][]float64, len(exps))
		ratios := make([][]float64, len(exps))
		for range *abRounds {
			for i, e := range exps {
				gemmExp = e
				active().gemm.kc, active().gemm.mc = kc0, mc0
				if e >= 1000 {
					gemmExp = 0
					g := &active().gemm
					g.kc, g.mc = e/1000, e%1000
				}
				call()
				calls, t0 := 0, threadCPU()
				for ; threadCPU()-t0 < 5*time.Millisecond; calls++ {
					call()
				}
				rates[i] = append(rates[i], s.flops()*float64(calls)/(threadCPU()-t0).Seconds()/1e9)
			}
			for i := range exps {
				ratios[i] = append(ratios[i], rates[i][len(rates[i])-1]/rates[0][len(rates[0])-1])
			}
		}
		gemmExp = 0
		active().gemm.kc, active().gemm.mc = kc0, mc0
		for i, e := range exps {
			r := slices.Clone(rates[i])
			slices.Sort(r)
			slices.Sort(ratios[i])
			n := len(r)
			fmt.Printf("ab %s exp=%d: median %.1f best %.1f  ratio-to-first median %.3f\n", s, e, r[n/2], r[n-1], ratios[i][n/2])
		}
	}
}

func procCPU() time.Duration {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

func TestSgemmThreadsAB(t *testing.T) {
	if *abExps == "" {
		t.Skip()
	}
	restore, _ := impl.Use(*abVariant)
	defer restore()
	type cfg struct {
		threads, exp int
	}
	cfgs := []cfg{{1, 0}, {2, 8}, {2, 0}}
	for _, s := range gemmBenchShapes() {
		if !slices.Contains(strings.Split(*abShapes, ","), s.String()) {
			continue
		}
		x, lda, y, ldb, z := s.operands()
		wall := make([][]float64, len(cfgs))
		cpu := make([][]float64, len(cfgs))
		for range *abRounds {
			for i, c := range cfgs {
				gemmExp = c.exp
				call := func() {
					Threads(c.threads).Sgemm(s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n)
				}
				call()
				calls, t0, c0 := 0, time.Now(), procCPU()
				for ; time.Since(t0) < 20*time.Millisecond; calls++ {
					call()
				}
				wall[i] = append(wall[i], s.flops()*float64(calls)/time.Since(t0).Seconds()/1e9)
				cpu[i] = append(cpu[i], s.flops()*float64(calls)/(procCPU()-c0).Seconds()/1e9)
			}
		}
		gemmExp = 0
		for i, c := range cfgs {
			slices.Sort(wall[i])
			slices.Sort(cpu[i])
			n := len(wall[i])
			fmt.Printf("thr %s t=%d exp=%d: wall median %.1f best %.1f | per-CPU-second median %.1f best %.1f\n", s, c.threads, c.exp, wall[i][n/2], wall[i][n-1], cpu[i][n/2], cpu[i][n-1])
		}
	}
}
