package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("opening the PNG: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding %s: %v", path, err)
	}
	return img
}

// count counts the pixels of img in rect whose colour satisfies ok.
func count(img image.Image, rect image.Rectangle, ok func(r, g, b uint8) bool) int {
	n := 0
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		for x := rect.Min.X; x < rect.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if ok(uint8(r>>8), uint8(g>>8), uint8(b>>8)) {
				n++
			}
		}
	}
	return n
}

func is(c color.RGBA) func(r, g, b uint8) bool {
	return func(r, g, b uint8) bool { return r == c.R && g == c.G && b == c.B }
}

func TestShow(t *testing.T) {
	data, model := sharedFixture(t)
	out := filepath.Join(t.TempDir(), "grid.png")
	r := runArgs(t, "show", "-data", data, "-out", out, "-n", "12", "-cols", "5", "-offset", "3", "-scale", "1")
	requireSuccess(t, r)
	if !strings.Contains(r.stderr, "test images 3 to 14") {
		t.Errorf("stderr %q: want it to contain %q", r.stderr, "test images 3 to 14")
	}
	img := decodePNG(t, out)
	// Cells are 28 wide (wider than a label) and 28+2+7 high, 2 pixels
	// apart and around: 3 rows of 5.
	if got, want := img.Bounds(), image.Rect(0, 0, 5*30+2, 3*39+2); got != want {
		t.Errorf("bounds: got %v, want %v", got, want)
	}
	// The first cell holds test image 3, digit 3: a bar on rows 9 and 10,
	// 20 pixels wide, of at least 255−31 over noise below 32; its label is
	// drawn in white underneath.
	bright := func(r, g, b uint8) bool { return r >= 224 }
	if got := count(img, image.Rect(2, 2, 30, 2+28), bright); got != 40 {
		t.Errorf("bright pixels in the first image: got %d, want 40", got)
	}
	if got := count(img, image.Rect(2, 2+9, 30, 2+11), bright); got != 40 {
		t.Errorf("bright pixels on rows 9 and 10 of the first image: got %d, want 40", got)
	}
	if got := count(img, image.Rect(2, 2+30, 30, 2+37), is(labelColor)); got <= 0 {
		t.Errorf("label-coloured pixels under the first image: got %d, want > 0", got)
	}

	// With a model, the labels are green (right) or red (wrong).
	r = runArgs(t, "show", "-data", data, "-out", out, "-n", "10", "-set", "train", "-model", model)
	requireSuccess(t, r)
	img = decodePNG(t, out)
	if got := count(img, img.Bounds(), is(rightColor)); got <= 0 {
		t.Errorf("pixels in the right-prediction colour: got %d, want > 0", got)
	}
}

func TestShowErrors(t *testing.T) {
	data, _ := sharedFixture(t)
	out := filepath.Join(t.TempDir(), "grid.png")
	requireFailure(t, runArgs(t, "show", "-n", "0"), 2, "-n 0: want at least 1")
	requireFailure(t, runArgs(t, "show", "-offset", "-1"), 2, "-offset -1")
	requireFailure(t, runArgs(t, "show", "-scale", "17"), 2, "-scale 17: want 1 to 16")
	requireFailure(t, runArgs(t, "show", "-set", "dev"), 2, `-set "dev": want test or train`)
	requireFailure(t, runArgs(t, "show", "-data", data, "-out", out, "-offset", "95", "-n", "6"), 2, "the test set has 100 images")
	requireFailure(t, runArgs(t, "show", "-data", data, "-out", filepath.Join(data, "missing", "g.png")), 1, "no such file or directory")
}
