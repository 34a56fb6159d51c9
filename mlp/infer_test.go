package mlp

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/simdkern/simdkern/internal/testutil"
	"github.com/simdkern/simdkern/kernels"
)

// testModel returns a model of the given sizes with parameters uniform in
// ±scale.
func testModel(t testing.TB, seed uint64, scale float32, sizes ...int) *Model {
	t.Helper()
	m, err := New(sizes...)
	if err != nil {
		t.Fatal(err)
	}
	testutil.Fill(testutil.Rand(seed), m.Params(), scale, 0)
	return m
}

func randomPixels(r *rand.Rand, n int) []uint8 {
	px := make([]uint8, n)
	for i := range px {
		px[i] = uint8(r.Uint32())
	}
	return px
}

// referenceLogits is the forward pass as the kernels' contract defines
// it: each output starts from its bias and accumulates one FMA per input
// in order; hidden layers clamp negatives to +0.
func referenceLogits(m *Model, x []float32) []float32 {
	for l := range m.Layers() {
		w, b := m.Layer(l)
		out := make([]float32, len(b))
		for j := range out {
			acc := b[j]
			for i, v := range x {
				acc = kernels.FMA(v, w[i*len(b)+j], acc)
			}
			if l < m.Layers()-1 && acc < 0 {
				acc = 0
			}
			out[j] = acc
		}
		x = out
	}
	return x
}

func TestPredict(t *testing.T) {
	m := testModel(t, 1, 0.2, 50, 33, 17, 10)
	r := testutil.Rand(2)
	const n = 300 // more than batchRows, not a multiple
	px := randomPixels(r, n*50)
	x := make([]float32, len(px))
	for i, p := range px {
		x[i] = float32(p) / 255
	}
	testutil.ForEachVariant(t, func(t *testing.T) {
		classes, pixClasses := make([]int, n), make([]int, n)
		probs, pixProbs := make([]float32, n*10), make([]float32, n*10)
		m.PredictBatch(x, classes, probs)
		m.PredictPixelsBatch(px, pixClasses, pixProbs)
		one := make([]float32, 10)
		for i := range n {
			row := x[i*50 : (i+1)*50]
			logits := referenceLogits(m, row)
			want := Argmax(logits)
			if c := m.Predict(row, one); c != want || classes[i] != want || pixClasses[i] != want {
				t.Fatalf("input %d: Predict %d, PredictBatch %d, PredictPixelsBatch %d, want %d", i, c, classes[i], pixClasses[i], want)
			}
			testutil.Equal(t, one, probs[i*10:(i+1)*10], "input %d: batch probabilities", i)
			testutil.Equal(t, one, pixProbs[i*10:(i+1)*10], "input %d: pixel batch probabilities", i)
			if c := m.PredictPixels(px[i*50:(i+1)*50], one); c != want {
				t.Fatalf("input %d: PredictPixels %d, want %d", i, c, want)
			}
			testutil.Equal(t, probs[i*10:(i+1)*10], one, "input %d: PredictPixels probabilities", i)
			var sum float64
			for j, p := range one {
				sum += float64(p)
				if p < 0 || p > 1 || (j == want && p < 0.1) {
					t.Fatalf("input %d: probabilities %v for class %d", i, one, want)
				}
			}
			if sum < 0.9999 || sum > 1.0001 {
				t.Fatalf("input %d: probabilities sum to %v", i, sum)
			}
		}
	})
}

func TestArgmax(t *testing.T) {
	nan := float32(testutil.Specials[6])
	for _, tc := range []struct {
		x    []float32
		want int
	}{
		{[]float32{1, 3, 3, 2}, 1},
		{[]float32{nan, -1, nan, 0}, 3},
		{[]float32{nan, nan}, 0},
		{[]float32{-5}, 0},
	} {
		if got := Argmax(tc.x); got != tc.want {
			t.Errorf("Argmax(%v) = %d, want %d", tc.x, got, tc.want)
		}
	}
}

func TestPredictAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	m := testModel(t, 1, 0.1, 64, 32, 10)
	r := testutil.Rand(3)
	px := randomPixels(r, 300*64)
	x := make([]float32, 64)
	probs := make([]float32, 10)
	classes := make([]int, 300)
	batchProbs := make([]float32, 3000)
	for name, f := range map[string]func(){
		"Predict":            func() { m.Predict(x, probs) },
		"PredictPixels":      func() { m.PredictPixels(px[:64], probs) },
		"PredictBatch":       func() { m.PredictBatch(x, classes[:1], nil) },
		"PredictPixelsBatch": func() { m.PredictPixelsBatch(px, classes, batchProbs) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", name, n)
		}
	}
}

// Many goroutines share one model; run with -race.
func TestPredictConcurrent(t *testing.T) {
	m := testModel(t, 4, 0.2, 40, 24, 10)
	r := testutil.Rand(5)
	const n = 600
	px := randomPixels(r, n*40)
	want := make([]int, n)
	wantProbs := make([]float32, n*10)
	m.PredictPixelsBatch(px, want, wantProbs)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 16 {
		wg.Go(func() {
			probs := make([]float32, 10)
			classes := make([]int, n)
			for rep := range 5 {
				if g%2 == 0 {
					m.PredictPixelsBatch(px, classes, nil)
					if fmt.Sprint(classes) != fmt.Sprint(want) {
						errs <- fmt.Errorf("goroutine %d: batch classes differ", g)
						return
					}
					continue
				}
				for i := (g + rep) % 7; i < n; i += 7 {
					c := m.PredictPixels(px[i*40:(i+1)*40], probs)
					if c != want[i] || testutil.Diff(wantProbs[i*10:(i+1)*10], probs) != "" {
						errs <- fmt.Errorf("goroutine %d: input %d classified %d, want %d", g, i, c, want[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPredictPanics(t *testing.T) {
	m := testModel(t, 1, 0.1, 4, 3)
	for name, f := range map[string]func(){
		"short input":    func() { m.Predict(make([]float32, 3), nil) },
		"short probs":    func() { m.Predict(make([]float32, 4), make([]float32, 2)) },
		"batch mismatch": func() { m.PredictBatch(make([]float32, 9), make([]int, 2), nil) },
		"batch probs":    func() { m.PredictPixelsBatch(make([]uint8, 8), make([]int, 2), make([]float32, 3)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestNew(t *testing.T) {
	m, err := New(3, 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Params()) != 3*4+4+4*2+2 || m.Inputs() != 3 || m.Classes() != 2 || m.Layers() != 2 || fmt.Sprint(m.Sizes()) != "[3 4 2]" {
		t.Fatalf("shape: %d params, sizes %v", len(m.Params()), m.Sizes())
	}
	// Layer views follow the file order: W0, b0, W1, b1.
	for i := range m.Params() {
		m.Params()[i] = float32(i)
	}
	w0, b0 := m.Layer(0)
	w1, b1 := m.Layer(1)
	if w0[0] != 0 || b0[0] != 12 || w1[0] != 16 || b1[1] != 25 || len(w1) != 8 || cap(b0) != 4 {
		t.Errorf("layer views w0 %v b0 %v w1 %v b1 %v", w0, b0, w1, b1)
	}
	for _, sizes := range [][]int{nil, {5}, {0, 3}, {3, MaxWidth + 1}, {MaxWidth, MaxWidth}, make([]int, MaxLayers+2)} {
		if _, err := New(sizes...); err == nil {
			t.Errorf("New(%v): no error", sizes)
		}
	}
}
