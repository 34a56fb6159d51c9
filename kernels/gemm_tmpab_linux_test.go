package kernels

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/simdkern/simdkern/asm"
)

// tmpAB compares gemmImpl configurations on shapes, interleaved rounds.
func tmpAB(t *testing.T, cfgs map[string]gemmImpl, names []string, shapes []gemmBenchShape, rounds int) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, s := range shapes {
		x, lda, y, ldb, z := s.operands()
		rates := map[string][]float64{}
		for range rounds {
			for _, n := range names {
				v := &variant{gemm: cfgs[n]}
				gemmAliasBytes = 4096
				if strings.HasSuffix(n, "/al256") {
					gemmAliasBytes = 256
				}
				call := func() { Threads(1).sgemm(v, s.transA, s.transB, s.m, s.n, s.k, 1, x, lda, y, ldb, 0, z, s.n) }
				call()
				calls, t0 := 0, threadCPU()
				for ; threadCPU()-t0 < 3*time.Millisecond; calls++ {
					call()
				}
				rates[n] = append(rates[n], s.flops()*float64(calls)/(threadCPU()-t0).Seconds()/1e9)
			}
		}
		for _, n := range names {
			r := rates[n]
			slices.Sort(r)
			fmt.Printf("ab %-22s %-14s median %6.1f  p75 %6.1f best %6.1f\n", s, n, r[len(r)/2], r[len(r)*3/4], r[len(r)-1])
		}
	}
}

func TestTmpAB(t *testing.T) {
	if *gemmCPUTime == "" {
		t.Skip()
	}
	cfgs := map[string]gemmImpl{}
	var names []string
	for _, kc := range []int{256} {
		for _, mc := range []int{72, 120} {
			for _, al := range []string{"", "/al256"} {
				n := fmt.Sprintf("kc%d/mc%d%s", kc, mc, al)
				names = append(names, n)
				cfgs[n] = gemmImpl{mr: 12, nr: 32, kc: kc, mc: mc, nc: 4096, kernel: asm.SgemmKernel12x32P}
			}
		}
	}
	tmpAB(t, cfgs, names, []gemmBenchShape{{m: 1024, n: 1024, k: 1024}, {m: 256, n: 256, k: 784}, {transA: true, m: 784, n: 256, k: 256}, {transB: true, m: 256, n: 256, k: 10}}, 15)
}
