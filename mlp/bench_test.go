package mlp

import (
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/internal/testutil"
	"github.com/simdkern/simdkern/kernels"
)

// eachVariant runs fn as a sub-benchmark per available kernel variant.
func eachVariant(b *testing.B, fn func(*testing.B)) {
	for _, v := range kernels.Variants() {
		restore, _ := impl.Use(v)
		b.Run(v, fn)
		restore()
	}
}

// The seed recipe's shape, 784-256-10, on random pixels.
func BenchmarkPredict(b *testing.B) {
	m := testModel(b, 1, 0.1, 784, 256, 10)
	px := randomPixels(testutil.Rand(2), 784)
	probs := make([]float32, 10)
	eachVariant(b, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.PredictPixels(px, probs)
		}
	})
}

func BenchmarkPredictBatch(b *testing.B) {
	const n = 10000
	m := testModel(b, 1, 0.1, 784, 256, 10)
	px := randomPixels(testutil.Rand(2), n*784)
	classes := make([]int, n)
	eachVariant(b, func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.PredictPixelsBatch(px, classes, nil)
		}
	})
}
