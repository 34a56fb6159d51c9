package kernels

import (
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/simdkern/simdkern/asm"
	"github.com/simdkern/simdkern/internal/testutil"
)

type tmpKern struct {
	name   string
	mr, nr int
	f      func(k int, a []float32, rsa, csa int, b []float32, sb int, beta float32, c []float32, ldc int)
}

func TestTmpKernelCPU(t *testing.T) {
	if *gemmCPUTime == "" {
		t.Skip()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	ks := []tmpKern{
		{"8x32", 8, 32, asm.SgemmKernel8x32},
		{"12x32", 12, 32, asm.SgemmKernel12x32},
		{"6x16", 6, 16, asm.SgemmKernel6x16},
	}
	const k = 256
	r := testutil.Rand(1)
	rates := make([][]float64, len(ks))
	for range 41 {
		for i, g := range ks {
			a := make([]float32, g.mr*k)
			b := make([]float32, g.nr*k)
			c := make([]float32, g.mr*g.nr)
			testutil.Fill(r, a, 1, 0)
			testutil.Fill(r, b, 1, 0)
			calls, t0 := 0, threadCPU()
			for ; threadCPU()-t0 < 2*time.Millisecond; calls++ {
				for range 100 {
					g.f(k, a, 1, g.mr, b, g.nr, 0, c, g.nr)
				}
			}
			rates[i] = append(rates[i], 2*float64(g.mr*g.nr*k)*100*float64(calls)/(threadCPU()-t0).Seconds()/1e9)
		}
	}
	for i, g := range ks {
		slices.Sort(rates[i])
		fmt.Printf("kernel %s k=%d: median %.1f (p90 %.1f worst %.1f)\n", g.name, k, rates[i][20], rates[i][36], rates[i][0])
	}
}
