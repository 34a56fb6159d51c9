package main

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/simdkern/simdkern/mlp"
)

func TestEval(t *testing.T) {
	data, model := sharedFixture(t)
	r := runArgs(t, "eval", "-model", model, "-data", data, "-json")
	requireSuccess(t, r)
	var rep evalReport
	decodeOne(t, r.stdout, &rep)
	if rep.Images != 100 {
		t.Errorf("images: got %d, want 100", rep.Images)
	}
	total, trace := 0, 0
	for d, row := range rep.Confusion {
		for _, n := range row {
			total += n
		}
		trace += row[d]
	}
	if total != rep.Images {
		t.Errorf("confusion matrix total: got %d, want the %d images", total, rep.Images)
	}
	if trace != rep.Correct {
		t.Errorf("confusion matrix trace: got %d, want the %d correct", trace, rep.Correct)
	}
	if want := float64(trace) / 100; !(math.Abs(want-rep.Accuracy) <= 1e-12) {
		t.Errorf("accuracy: got %v, want %v", rep.Accuracy, want)
	}
	if !(rep.Accuracy >= 0.95) {
		t.Errorf("accuracy: got %v, want ≥ 0.95 (the fixture's bars are easy to tell apart)", rep.Accuracy)
	}

	r = runArgs(t, "eval", "-model", model, "-data", data, "-set", "train")
	requireSuccess(t, r)
	for _, want := range []string{", train set: accuracy ", "confusion matrix", "recall"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout %q: want it to contain %q", r.stdout, want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.model")
	if err := os.WriteFile(corrupt, []byte("SIMDKMLP but not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	small := filepath.Join(dir, "small.model")
	m, err := mlp.New(100, 10)
	if err != nil {
		t.Fatalf("mlp.New: %v", err)
	}
	if err := saveModel(small, m); err != nil {
		t.Fatalf("saveModel: %v", err)
	}

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
	if err := writePNG(path, img); err != nil {
		t.Fatalf("writePNG: %v", err)
	}
}

func TestPredict(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	digit := filepath.Join(dir, "one.png")
	writeDigitPNG(t, digit)

	r := runArgs(t, "predict", "-model", model, "-data", data, digit, "test:3", "-json")
	requireSuccess(t, r)
	var rep predictReport
	decodeOne(t, r.stdout, &rep)
	if len(rep.Predictions) != 2 {
		t.Fatalf("predictions: got %d, want 2", len(rep.Predictions))
	}

	probs := make([]float32, 10)
	want, err := fixture.m.PredictImage(decodePNG(t, digit), probs)
	if err != nil {
		t.Fatalf("PredictImage: %v", err)
	}
	p := rep.Predictions[0]
	if p.Input != digit {
		t.Errorf("input: got %q, want %q", p.Input, digit)
	}
	if p.Digit != want {
		t.Errorf("%s: digit: got %d, want %d", p.Input, p.Digit, want)
	}
	if !slices.Equal(p.Probabilities, probs) {
		t.Errorf("%s: probabilities: got %v, want %v", p.Input, p.Probabilities, probs)
	}
	if p.Label != nil {
		t.Errorf("%s: label: got %d, want none", p.Input, *p.Label)
	}

	p = rep.Predictions[1]
	if p.Input != "test:3" {
		t.Errorf("input: got %q, want %q", p.Input, "test:3")
	}
	if p.Label == nil {
		t.Fatalf("%s: label: got none, want one", p.Input)
	}
	if want := int(fixture.test.Labels[3]); *p.Label != want {
		t.Errorf("%s: label: got %d, want %d", p.Input, *p.Label, want)
	}
	if want := fixture.m.PredictPixels(fixture.test.Image(3), probs); p.Digit != want {
		t.Errorf("%s: digit: got %d, want %d", p.Input, p.Digit, want)
	}
	if !slices.Equal(p.Probabilities, probs) {
		t.Errorf("%s: probabilities: got %v, want %v", p.Input, p.Probabilities, probs)
	}
	sum := float32(0)
	for _, q := range p.Probabilities {
		sum += q
	}
	if !(math.Abs(1-float64(sum)) <= 1e-5) {
		t.Errorf("%s: sum of the probabilities: got %v, want 1 ± 1e-5", p.Input, sum)
	}

	r = runArgs(t, "predict", "-model", model, "-data", data, "test:3")
	requireSuccess(t, r)
	if re := regexp.MustCompile(`^test:3: \d \(p=\d\.\d{3}, label 3\)  probabilities: 0:\d\.\d{3} 1:`); !re.MatchString(r.stdout) {
		t.Errorf("stdout %q: want it to match %s", r.stdout, re)
	}
}

func TestPredictErrors(t *testing.T) {
	data, model := sharedFixture(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.png")
	if err := os.WriteFile(text, []byte("not an image"), 0o644); err != nil {
		t.Fatal(err)
	}
	blank := filepath.Join(dir, "blank.png")
	if err := writePNG(blank, image.NewGray(image.Rect(0, 0, 28, 28))); err != nil {
		t.Fatalf("writePNG: %v", err)
	}

	requireFailure(t, runArgs(t, "predict", "-model", model), 2, "want at least one PNG or JPEG file")
	requireFailure(t, runArgs(t, "predict", "test:1"), 2, "-model FILE is required")
	requireFailure(t, runArgs(t, "predict", "-model", model, "test:x"), 2, `"test:x": want test:N with N ≥ 0`)
	requireFailure(t, runArgs(t, "predict", "-model", model, "-data", data, "test:100"), 2, "the test set has 100 images")
	requireFailure(t, runArgs(t, "predict", "-model", model, filepath.Join(dir, "none.png")), 1, "no such file")
	requireFailure(t, runArgs(t, "predict", "-model", model, text), 1, "notes.png: not a readable PNG or JPEG image")
	requireFailure(t, runArgs(t, "predict", "-model", model, blank), 1, "blank.png: the image is blank")
	requireFailure(t, runArgs(t, "predict", "-model", text, blank), 1, "is not a valid simdkern model file")
}
