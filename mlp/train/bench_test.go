package train

import (
	"testing"

	"github.com/simdkern/simdkern/internal/impl"
	"github.com/simdkern/simdkern/kernels"
)

// One step of the seed recipe: batch 256, 784-256-10, plain SGD.
func BenchmarkStep(b *testing.B) {
	data := synthetic(4096, 784, 10, 1)
	m, err := NewModel([]int{784, 256, 10}, Normal, 1)
	if err != nil {
		b.Fatal(err)
	}
	tr := newTrainer(m, Recipe())
	idx := make([]int32, 256)
	for i := range idx {
		idx[i] = int32(i * 13 % 4096)
	}
	for _, v := range kernels.Variants() {
		restore, _ := impl.Use(v)
		b.Run(v, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr.step(&data, idx)
			}
		})
		restore()
	}
}
