package mlp

import (
	"errors"
	"fmt"
	"image"
)

// Geometry of MNIST digits.
const (
	ImageSide = 28 // an MNIST image is ImageSide×ImageSide pixels
	boxSide   = 20 // the digit is scaled to fit boxSide×boxSide
)

const (
	full = 0xffff // 16-bit intensities, as image/color returns them
	// minContrast is the least difference between the ink and the
	// background (1/16 of the range) for an image to hold a drawing.
	minContrast = full / 16
	// inkThreshold decides which pixels count for the bounding box, 1/16
	// of the stretched range: above paper noise, below the antialiased
	// fringe of a stroke, which carries a good part of a thin stroke's ink.
	inkThreshold = full / 16
)

// ErrNoInk is returned by Preprocess for an image without contrast: blank,
// or a uniform colour.
var ErrNoInk = errors.New("mlp: the image holds no drawing (no contrast)")

// Preprocess turns a picture of one digit into an MNIST input in dst
// (ImageSide² values in [0, 1], row-major), the way the MNIST images were
// made, so that a model trained on MNIST sees what it learnt from:
//
//  1. Grayscale: the image is composited over white (a transparent
//     background is paper), then luminance is taken as color.GrayModel
//     does, in 16 bits.
//  2. Polarity: MNIST digits are white on black. When the mean of the
//     image's outermost pixels (its border) is light, intensities are
//     inverted. The border mean is then the background level: it is
//     subtracted, and the rest stretched so the strongest ink becomes 1.
//     An image whose ink differs from the background by less than 1/16 of
//     the range gives ErrNoInk.
//  3. Size: the bounding box of the pixels with at least 1/16 of full
//     ink is scaled by one factor on both axes so its longer side is 20
//     pixels (the shorter one may end in a partly covered pixel). Each
//     output pixel is the area-weighted mean of the source pixels it
//     covers (a box filter, which also interpolates when enlarging), so
//     the mass of the ink scales exactly with the area.
//  4. Position: the 20×20 (or narrower) patch is placed in the 28×28 field
//     so that its centre of mass lands, to the nearest pixel, on the
//     middle of pixel (14, 14), half a pixel right of and below the
//     field's centre, where the MNIST digits have theirs (the mean over
//     the test set is within 0.01 pixel of it). The patch stays whole
//     inside the field.
//
// MNIST's own digits come out nearly unchanged: over the 10,000 test
// images the absolute differences sum to 0.11 per image (of 784 pixels),
// and the example model classifies 95.77% of the preprocessed images
// correctly against 95.76% of the originals.
//
// All arithmetic is integer until one final division per pixel, so the
// result is the same on every architecture. Preprocess allocates a 16-bit
// copy of the image; images that implement image.RGBA64Image (all of the
// standard library's) are read without an allocation per pixel.
func Preprocess(dst []float32, img image.Image) error {
	if len(dst) != ImageSide*ImageSide {
		panic(fmt.Sprintf("mlp: Preprocess: len(dst) is %d, want %d", len(dst), ImageSide*ImageSide))
	}
	clear(dst)
	b := img.Bounds()
	if b.Empty() {
		return errors.New("mlp: the image is empty")
	}
	w, h := b.Dx(), b.Dy()
	ink := grayscale(img)
	if err := stretch(ink, w, h); err != nil {
		return err
	}
	x0, y0, x1, y1 := inkBox(ink, w, h)
	bw, bh := x1-x0, y1-y0
	long := max(bw, bh)

	// Area-weighted sums: rows first (tw×bh), then columns (tw×th). Each
	// output total is at most long²·full.
	cols, rows := overlaps(bw, long), overlaps(bh, long)
	tw, th := cols[len(cols)-1].dst+1, rows[len(rows)-1].dst+1
	tmp := make([]int64, tw*bh)
	for y := range bh {
		line := ink[(y0+y)*w+x0:]
		for _, o := range cols {
			tmp[y*tw+o.dst] += int64(o.weight) * int64(line[o.src])
		}
	}
	patch := make([]int64, tw*th)
	for _, o := range rows {
		for x := range tw {
			patch[o.dst*tw+x] += int64(o.weight) * tmp[o.src*tw+x]
		}
	}

	// The centre of mass, with pixel x spanning [x, x+1): the sums of
	// mass·(2x+1) and of mass are exact integers.
	var mass, mx, my int64
	for y := range th {
		for x := range tw {
			v := patch[y*tw+x]
			mass += v
			mx += v * int64(2*x+1)
			my += v * int64(2*y+1)
		}
	}
	ox := place(mx, mass, tw)
	oy := place(my, mass, th)
	scale := float64(long) * float64(long) * full
	for y := range th {
		for x := range tw {
			dst[(oy+y)*ImageSide+ox+x] = float32(float64(patch[y*tw+x]) / scale)
		}
	}
	return nil
}

// grayscale returns the image's luminance composited over white, 16 bits
// per pixel, row-major.
func grayscale(img image.Image) []uint16 {
	b := img.Bounds()
	out := make([]uint16, 0, b.Dx()*b.Dy())
	fast, _ := img.(image.RGBA64Image)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			var r, g, bl, a uint32
			if fast != nil {
				c := fast.RGBA64At(x, y)
				r, g, bl, a = uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
			} else {
				r, g, bl, a = img.At(x, y).RGBA()
			}
			// Premultiplied colour over white adds the uncovered white.
			r, g, bl = r+full-a, g+full-a, bl+full-a
			// color.GrayModel's weights, which sum to 1<<16.
			out = append(out, uint16((19595*r+38470*g+7471*bl+1<<15)>>16))
		}
	}
	return out
}

// stretch turns luminance into ink in place: inverted when the border is
// light, background subtracted and clamped at 0, the strongest ink
// scaled to full.
func stretch(px []uint16, w, h int) error {
	var sum, n int64
	for y := range h {
		step := w - 1
		if y == 0 || y == h-1 {
			step = 1
		}
		for x := 0; x < w; x += max(step, 1) {
			sum += int64(px[y*w+x])
			n++
		}
	}
	bg := (sum + n/2) / n
	if bg > full/2 {
		for i, v := range px {
			px[i] = full - v
		}
		bg = full - bg
	}
	peak := int64(0)
	for _, v := range px {
		peak = max(peak, int64(v))
	}
	if peak-bg < minContrast {
		return ErrNoInk
	}
	for i, v := range px {
		px[i] = uint16(max(int64(v)-bg, 0) * full / (peak - bg))
	}
	return nil
}

// inkBox returns the bounding box [x0, x1)×[y0, y1) of the pixels with at
// least inkThreshold; stretch guarantees one has full ink.
func inkBox(ink []uint16, w, h int) (x0, y0, x1, y1 int) {
	x0, y0 = w, h
	for y := range h {
		for x := range w {
			if ink[y*w+x] >= inkThreshold {
				x0, y0 = min(x0, x), min(y0, y)
				x1, y1 = max(x1, x+1), max(y1, y+1)
			}
		}
	}
	return x0, y0, x1, y1
}

// overlap says that output pixel dst covers weight units of source pixel
// src.
type overlap struct{ dst, src, weight int }

// overlaps maps n source pixels onto output pixels along one axis, long
// source pixels to boxSide output pixels. In units of 1/boxSide source
// pixel, source pixel i spans [i·boxSide, (i+1)·boxSide) and output pixel
// t spans [t·long, (t+1)·long); their intersection is the weight. Output
// pixels run to ⌈n·boxSide/long⌉, the last one partly covered.
func overlaps(n, long int) []overlap {
	var out []overlap
	end := n * boxSide
	for t := 0; t*long < end; t++ {
		lo, hi := t*long, min((t+1)*long, end)
		for i := lo / boxSide; i*boxSide < hi; i++ {
			out = append(out, overlap{t, i, min(hi, (i+1)*boxSide) - max(lo, i*boxSide)})
		}
	}
	return out
}

// place returns the offset in the field of a patch of size pixels whose
// centre of mass is sum2/(2·mass), rounded so the centre lands nearest to
// the middle of pixel ImageSide/2, and clamped so the patch stays inside.
func place(sum2, mass int64, size int) int {
	// round(ImageSide/2 + ½ − sum2/(2·mass)) = floor((mass·(ImageSide+2) − sum2) / (2·mass))
	num := mass*(ImageSide+2) - sum2
	off := num / (2 * mass)
	if num%(2*mass) < 0 {
		off-- // floor for negative quotients
	}
	return min(max(int(off), 0), ImageSide-size)
}

// PredictImage classifies a picture of a digit: Preprocess, then Predict.
// The model must take ImageSide² inputs (an MNIST model).
func (m *Model) PredictImage(img image.Image, probs []float32) (int, error) {
	if m.Inputs() != ImageSide*ImageSide {
		return 0, fmt.Errorf("mlp: PredictImage needs a model of %d inputs, this one has %d", ImageSide*ImageSide, m.Inputs())
	}
	var x [ImageSide * ImageSide]float32
	if err := Preprocess(x[:], img); err != nil {
		return 0, err
	}
	return m.Predict(x[:], probs), nil
}
