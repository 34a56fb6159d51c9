package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
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
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "test images 3 to 14")
	img := decodePNG(t, out)
	// Cells are 28 wide (wider than a label) and 28+2+7 high, 2 pixels
	// apart and around: 3 rows of 5.
	assert.Equal(t, image.Rect(0, 0, 5*30+2, 3*39+2), img.Bounds())
	// The first cell holds test image 3, digit 3: a bar on rows 9 and 10,
	// 20 pixels wide, of at least 255−31 over noise below 32; its label is
	// drawn in white underneath.
	bright := func(r, g, b uint8) bool { return r >= 224 }
	assert.Equal(t, 40, count(img, image.Rect(2, 2, 30, 2+28), bright))
	assert.Equal(t, 40, count(img, image.Rect(2, 2+9, 30, 2+11), bright))
	assert.Positive(t, count(img, image.Rect(2, 2+30, 30, 2+37), is(labelColor)))

	// With a model, the labels are green (right) or red (wrong).
	r = runArgs(t, "show", "-data", data, "-out", out, "-n", "10", "-set", "train", "-model", model)
	require.Equal(t, 0, r.code, r.stderr)
	img = decodePNG(t, out)
	assert.Positive(t, count(img, img.Bounds(), is(rightColor)))
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
