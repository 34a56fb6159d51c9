package main

import (
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdkern/simdkern/mlp"
)

func TestEval(t *testing.T) {
	data, model := sharedFixture(t)
	r := runArgs(t, "eval", "-model", model, "-data", data, "-json")
	require.Equal(t, 0, r.code, r.stderr)
	var rep evalReport
	decodeOne(t, r.stdout, &rep)
	assert.Equal(t, 100, rep.Images)
	total, trace := 0, 0
	for d, row := range rep.Confusion {
		for _, n := range row {
			total += n
		}
		trace += row[d]
	}
	assert.Equal(t, rep.Images, total)
	assert.Equal(t, rep.Correct, trace)
	assert.InDelta(t, float64(trace)/100, rep.Accuracy, 1e-12)
	assert.GreaterOrEqual(t, rep.Accuracy, 0.95, "the fixture's bars are easy to tell apart")

	r = runArgs(t, "eval", "-model", model, "-data", data, "-set", "train")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, ", train set: accuracy ")
	assert.Contains(t, r.stdout, "confusion matrix")
	assert.Contains(t, r.stdout, "recall")
}

func TestEvalErrors(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.model")
	require.NoError(t, os.WriteFile(corrupt, []byte("SIMDKMLP but not really"), 0o644))
	small := filepath.Join(dir, "small.model")
	m, err := mlp.New(100, 10)
	require.NoError(t, err)
	require.NoError(t, saveModel(small, m))

	requireFailure(t, runArgs(t, "eval", "-data", data), 2, "-model FILE is required")
	requireFailure(t, runArgs(t, "eval", "-model", model, "-set", "validation"), 2, `-set "validation"`)
	requireFailure(t, runArgs(t, "eval", "-model", filepath.Join(dir, "none.model"), "-data", data), 1, "no such file")
	requireFailure(t, runArgs(t, "eval", "-model", corrupt, "-data", data), 1, "is not a valid simdkern model file")
	requireFailure(t, runArgs(t, "eval", "-model", data, "-data", data), 1, "is a directory")
	requireFailure(t, runArgs(t, "eval", "-model", small, "-data", data), 1, "the model has 100 inputs and 10 classes")
}

// writeDigitPNG draws a black stroke on white, the way people draw digits.
func writeDigitPNG(t *testing.T, path string) {
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	for y := 10; y < 70; y++ {
		for x := 27; x < 33; x++ {
			img.SetGray(x, y, color.Gray{0})
		}
	}
	require.NoError(t, writePNG(path, img))
}

func TestPredict(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	digit := filepath.Join(dir, "one.png")
	writeDigitPNG(t, digit)

	r := runArgs(t, "predict", "-model", model, "-data", data, digit, "test:3", "-json")
	require.Equal(t, 0, r.code, r.stderr)
	var rep predictReport
	decodeOne(t, r.stdout, &rep)
	require.Len(t, rep.Predictions, 2)

	probs := make([]float32, 10)
	want, err := fixture.m.PredictImage(decodePNG(t, digit), probs)
	require.NoError(t, err)
	p := rep.Predictions[0]
	assert.Equal(t, digit, p.Input)
	assert.Equal(t, want, p.Digit)
	assert.Equal(t, probs, p.Probabilities)
	assert.Nil(t, p.Label)

	p = rep.Predictions[1]
	assert.Equal(t, "test:3", p.Input)
	require.NotNil(t, p.Label)
	assert.Equal(t, int(fixture.test.Labels[3]), *p.Label)
	assert.Equal(t, fixture.m.PredictPixels(fixture.test.Image(3), probs), p.Digit)
	assert.Equal(t, probs, p.Probabilities)
	sum := float32(0)
	for _, q := range p.Probabilities {
		sum += q
	}
	assert.InDelta(t, 1, sum, 1e-5)

	r = runArgs(t, "predict", "-model", model, "-data", data, "test:3")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `^test:3: \d \(p=\d\.\d{3}, label 3\)  probabilities: 0:\d\.\d{3} 1:`, r.stdout)
}

func TestPredictErrors(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.png")
	require.NoError(t, os.WriteFile(text, []byte("not an image"), 0o644))
	blank := filepath.Join(dir, "blank.png")
	require.NoError(t, writePNG(blank, image.NewGray(image.Rect(0, 0, 28, 28))))

	requireFailure(t, runArgs(t, "predict", "-model", model), 2, "want at least one PNG or JPEG file")
	requireFailure(t, runArgs(t, "predict", "test:1"), 2, "-model FILE is required")
	requireFailure(t, runArgs(t, "predict", "-model", model, "test:x"), 2, `"test:x": want test:N with N ≥ 0`)
	requireFailure(t, runArgs(t, "predict", "-model", model, "-data", data, "test:100"), 2, "the test set has 100 images")
	requireFailure(t, runArgs(t, "predict", "-model", model, filepath.Join(dir, "none.png")), 1, "no such file")
	requireFailure(t, runArgs(t, "predict", "-model", model, text), 1, "notes.png: not a readable PNG or JPEG image")
	requireFailure(t, runArgs(t, "predict", "-model", model, blank), 1, "blank.png: the image is blank")
	requireFailure(t, runArgs(t, "predict", "-model", text, blank), 1, "is not a valid simdkern model file")
}
