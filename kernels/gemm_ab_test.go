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
		for i, e := range exps {
			r := slices.Clone(rates[i])
			slices.Sort(r)
			slices.Sort(ratios[i])
			n := len(r)
			fmt.Printf("ab %s exp=%d: median %.1f best %.1f  ratio-to-first median %.3f\n", s, e, r[n/2], r[n-1], ratios[i][n/2])
		}
	}
}
