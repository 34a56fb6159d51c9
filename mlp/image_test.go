package mlp

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"testing"
)

// shape reports whether a point (in units of the shape's size, origin at
// its centre) is ink.
type shape func(x, y float64) bool

// ring of outer radius 1 and stroke 0.25: area π(1 − 0.75²).
func ring(x, y float64) bool {
	r := math.Hypot(x, y)
	return r <= 1 && r >= 0.75
}

// bar is a vertical stroke 2 high and 0.3 wide.
func bar(x, y float64) bool { return math.Abs(x) <= 0.15 && math.Abs(y) <= 1 }

// draw renders s, size pixels per unit, centred at (cx, cy) on a w×h
// white canvas in black, antialiased by 4×4 supersampling.
func draw(w, h int, s shape, cx, cy, size float64) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for py := range h {
		for px := range w {
			n := 0
			for sy := range 4 {
				for sx := range 4 {
					x := (float64(px) + (float64(sx)+0.5)/4 - cx) / size
					y := (float64(py) + (float64(sy)+0.5)/4 - cy) / size
					if s(x, y) {
						n++
					}
				}
			}
			img.Pix[py*img.Stride+px] = uint8(255 - n*255/16)
		}
	}
	return img
}

func negative(img *image.Gray) *image.Gray {
	out := image.NewGray(img.Rect)
	for i, v := range img.Pix {
		out.Pix[i] = 255 - v
	}
	return out
}

// stats returns the mass, centre of mass (pixel x spanning [x, x+1)) and
// the bounding box size of the non-zero pixels of a preprocessed image.
func stats(x []float32) (mass, cx, cy float64, bw, bh int) {
	x0, y0, x1, y1 := ImageSide, ImageSide, 0, 0
	for y := range ImageSide {
		for xx := range ImageSide {
			v := float64(x[y*ImageSide+xx])
			if v == 0 {
				continue
			}
			mass += v
			cx += v * (float64(xx) + 0.5)
			cy += v * (float64(y) + 0.5)
			x0, y0, x1, y1 = min(x0, xx), min(y0, y), max(x1, xx+1), max(y1, y+1)
		}
	}
	return mass, cx / mass, cy / mass, x1 - x0, y1 - y0
}

func preprocessed(t *testing.T, img image.Image) []float32 {
	t.Helper()
	x := make([]float32, ImageSide*ImageSide)
	if err := Preprocess(x, img); err != nil {
		t.Fatal(err)
	}
	for _, v := range x {
		if !(v >= 0 && v <= 1) {
			t.Fatalf("value %v outside [0, 1]", v)
		}
	}
	return x
}

func TestPreprocessStrokes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s         shape
		mass      float64 // of the shape scaled to 20 pixels
		bw, bh    int
		positions [][3]float64 // cx, cy, size
	}{
		{"ring", ring, math.Pi * (1 - 0.75*0.75) * 100, 20, 20,
			[][3]float64{{50, 40, 30}, {20, 15, 12}, {70, 30, 5}, {60, 60, 19}}},
		{"bar", bar, 0.3 * 2 * 100, 4, 20,
			[][3]float64{{50, 40, 30}, {10, 60, 8}, {80, 12, 10}}},
	} {
		for _, p := range tc.positions {
			name := fmt.Sprintf("%s at %v", tc.name, p)
			img := draw(100, 80, tc.s, p[0], p[1], p[2])
			x := preprocessed(t, img)
			mass, cx, cy, bw, bh := stats(x)
			if math.Abs(cx-14.5) > 0.5 || math.Abs(cy-14.5) > 0.5 {
				t.Errorf("%s: centre of mass (%.2f, %.2f), want (14.5, 14.5) ± 0.5", name, cx, cy)
			}
			if bh != tc.bh || bw < tc.bw-1 || bw > tc.bw+1 {
				t.Errorf("%s: box %d×%d, want %d×%d", name, bw, bh, tc.bw, tc.bh)
			}
			if math.Abs(mass-tc.mass) > 0.12*tc.mass {
				t.Errorf("%s: mass %.1f, want %.1f ± 12%%", name, mass, tc.mass)
			}
			// White on black is already MNIST's polarity: same result.
			inv := preprocessed(t, negative(img))
			for i := range x {
				if x[i] != inv[i] {
					t.Fatalf("%s: polarity changes pixel %d: %v vs %v", name, i, x[i], inv[i])
				}
			}
		}
	}
}

// Black ink on a transparent background reads as ink on paper; an image
// without the fast RGBA64At path reads the same.
func TestPreprocessColour(t *testing.T) {
	gray := draw(60, 50, ring, 25, 30, 15)
	nrgba := image.NewNRGBA(gray.Rect)
	for i, v := range gray.Pix {
		nrgba.Pix[4*i+3] = 255 - v // black, with coverage as alpha
	}
	want := preprocessed(t, gray)
	for name, img := range map[string]image.Image{"transparent": nrgba, "At only": atOnly{gray}} {
		got := preprocessed(t, img)
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("%s: pixel %d is %v, want %v", name, i, got[i], want[i])
			}
		}
	}
}

type atOnly struct{ img image.Image }

func (a atOnly) ColorModel() color.Model { return a.img.ColorModel() }
func (a atOnly) Bounds() image.Rectangle { return a.img.Bounds() }
func (a atOnly) At(x, y int) color.Color { return a.img.At(x, y) }

// Faint grey ink on grey paper is stretched to full contrast.
func TestPreprocessContrast(t *testing.T) {
	img := draw(40, 40, bar, 20, 20, 12)
	for i, v := range img.Pix {
		img.Pix[i] = 100 + v/5 // paper 151, ink 100
	}
	x := preprocessed(t, img)
	peak := float32(0)
	for _, v := range x {
		peak = max(peak, v)
	}
	if peak != 1 {
		t.Errorf("strongest ink %v, want 1", peak)
	}
}

func TestPreprocessErrors(t *testing.T) {
	x := make([]float32, ImageSide*ImageSide)
	blank := image.NewGray(image.Rect(0, 0, 30, 30))
	for i := range blank.Pix {
		blank.Pix[i] = uint8(200 + i%10) // noise below 1/16 of the range
	}
	if err := Preprocess(x, blank); !errors.Is(err, ErrNoInk) {
		t.Errorf("blank image: error %v, want ErrNoInk", err)
	}
	if err := Preprocess(x, image.NewGray(image.Rect(3, 3, 3, 9))); err == nil {
		t.Error("empty image: no error")
	}
	m := testModel(t, 1, 1, 4, 2)
	if _, err := m.PredictImage(draw(30, 30, ring, 15, 15, 10), nil); err == nil {
		t.Error("PredictImage on a 4-input model: no error")
	}
}

// A single ink pixel, in a corner, becomes a 20×20 square centred within
// half a pixel.
func TestPreprocessDot(t *testing.T) {
	img := image.NewGray(image.Rect(-5, -5, 5, 5))
	img.SetGray(-5, -5, color.Gray{255})
	x := preprocessed(t, img)
	mass, cx, cy, bw, bh := stats(x)
	if mass != 400 || cx != 15 || cy != 15 || bw != 20 || bh != 20 {
		t.Errorf("mass %v, centre (%v, %v), box %d×%d; want 400, (15, 15), 20×20", mass, cx, cy, bw, bh)
	}
}

// Preprocessing its own output, rounded to 8 bits, changes little: the
// result is already in MNIST's form.
func TestPreprocessIdempotent(t *testing.T) {
	for _, img := range []*image.Gray{draw(100, 80, ring, 30, 50, 20), draw(50, 90, bar, 25, 40, 30)} {
		x := preprocessed(t, img)
		again := image.NewGray(image.Rect(0, 0, ImageSide, ImageSide))
		for i, v := range x {
			again.Pix[i] = uint8(v*255 + 0.5)
		}
		var diff float64
		for i, v := range preprocessed(t, again) {
			diff += math.Abs(float64(v - x[i]))
		}
		if diff > 0.5 {
			t.Errorf("preprocessing twice moves %.3f of ink", diff)
		}
	}
}
