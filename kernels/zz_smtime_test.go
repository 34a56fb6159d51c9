package kernels

import (
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
)

func TestZZSoftmaxTime(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	restore, _ := impl.Use("avx512")
	defer restore()
	rows, cols := 256, 10
	r := testutil.Rand(1)
	logits := make([]float32, rows*cols)
	testutil.Fill(r, logits, 5, 0)
	labels := make([]int32, rows)
	for i := range labels {
		labels[i] = int32(r.IntN(cols))
	}
	loss := make([]float32, rows)
	dl := make([]float32, rows*cols)
	var ts []float64
	for range 200 {
		t0 := time.Now()
		for range 200 {
			SoftmaxCrossEntropy(rows, cols, logits, cols, labels, loss, dl, cols, 1/float32(rows))
		}
		ts = append(ts, float64(time.Since(t0).Nanoseconds())/200)
	}
	slices.Sort(ts)
	fmt.Printf("min %.0f p10 %.0f med %.0f ns\n", ts[0], ts[20], ts[100])
}
