package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"

	"github.com/simdkern/simdkern/mlp"
	"github.com/simdkern/simdkern/mnist"
)

var (
	gridBackground = color.RGBA{0x40, 0x40, 0x40, 0xFF}
	labelColor     = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
	rightColor     = color.RGBA{0x40, 0xE0, 0x40, 0xFF}
	wrongColor     = color.RGBA{0xFF, 0x50, 0x50, 0xFF}
)

const gridPad = 2 // pixels around each cell, as in torchvision's make_grid

func runShow(e *env, args []string) error {
	fs := newFlags("show")
	out := fs.String("out", "digits.png", "PNG file to write")
	n := fs.Int("n", 64, "number of digits")
	set := setFlag(fs)
	offset := fs.Int("offset", 0, "index of the first digit in the set")
	cols := fs.Int("cols", 8, "digits per row")
	scale := fs.Int("scale", 2, "pixels per MNIST pixel")
	modelPath := fs.String("model", "", "also draw this model's prediction after each label: green when right, red when wrong")
	data := dataFlag(fs)
	if err := parseNoArgs(e, fs, args); err != nil {
		return err
	}
	switch {
	case *n < 1:
		return usagef("show: -n %d: want at least 1", *n)
	case *offset < 0:
		return usagef("show: -offset %d: want at least 0", *offset)
	case *cols < 1:
		return usagef("show: -cols %d: want at least 1", *cols)
	case *scale < 1 || *scale > 16:
		return usagef("show: -scale %d: want 1 to 16", *scale)
	case *out == "":
		return usagef("show: -out: want a file name")
	}
	if err := checkSetName(*set); err != nil {
		return err
	}
	var model *mlp.Model
	if *modelPath != "" {
		var err error
		if model, err = loadModel(*modelPath); err != nil {
			return err
		}
	}
	train, test, err := loadMNIST(e, *data)
	if err != nil {
		return err
	}
	s := pickSet(*set, train, test)
	if model != nil {
		if err := checkModelFits(*modelPath, model, s); err != nil {
			return err
		}
	}
	if *offset+*n > s.Len() {
		return usagef("show: -offset %d -n %d: the %s set has %d images", *offset, *n, *set, s.Len())
	}
	img := digitGrid(s, *offset, *n, *cols, *scale, model)
	if err := writePNG(*out, img); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %s images %d to %d\n", *out, *set, *offset, *offset+*n-1)
	return nil
}

// digitGrid draws n digits of s from offset, cols to a row, each with its
// label underneath and, given a model, the predicted digit beside it.
func digitGrid(s *mnist.Set, offset, n, cols, scale int, model *mlp.Model) *image.RGBA {
	cols = min(cols, n)
	rows := (n + cols - 1) / cols
	fontScale := max(1, scale)
	cellW := max(s.Cols*scale, textWidth("0>0", fontScale))
	cellH := s.Rows*scale + gridPad + glyphH*fontScale
	img := image.NewRGBA(image.Rect(0, 0, cols*(cellW+gridPad)+gridPad, rows*(cellH+gridPad)+gridPad))
	fillRect(img, 0, 0, img.Bounds().Dx(), img.Bounds().Dy(), gridBackground)
	for i := range n {
		idx := offset + i
		x0 := gridPad + (i%cols)*(cellW+gridPad) + (cellW-s.Cols*scale)/2
		y0 := gridPad + (i/cols)*(cellH+gridPad)
		for y := range s.Rows {
			for x := range s.Cols {
				v := s.Image(idx)[y*s.Cols+x]
				fillRect(img, x0+x*scale, y0+y*scale, scale, scale, color.RGBA{v, v, v, 0xFF})
			}
		}
		label := strconv.Itoa(int(s.Labels[idx]))
		c := labelColor
		if model != nil {
			pred := model.PredictPixels(s.Image(idx), nil)
			label += ">" + strconv.Itoa(pred)
			c = rightColor
			if pred != int(s.Labels[idx]) {
				c = wrongColor
			}
		}
		tx := gridPad + (i%cols)*(cellW+gridPad) + (cellW-textWidth(label, fontScale))/2
		drawText(img, tx, y0+s.Rows*scale+gridPad, label, fontScale, c)
	}
	return img
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}
