package main

import (
	"fmt"
	"html"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The training curves: loss per epoch on the left, train and test
// accuracy on the right. The layout is drawn once on a canvas that either
// writes SVG or rasterises into a PNG.

type anchor int

const (
	anchorStart anchor = iota
	anchorMiddle
	anchorEnd
)

// canvas is a drawing surface in pixels, y pointing down.
type canvas interface {
	line(x0, y0, x1, y1 float64, c color.RGBA, width float64)
	// text draws s vertically centred on y, starting at, centred on or
	// ending at x.
	text(x, y float64, s string, a anchor, c color.RGBA)
	dot(x, y float64, c color.RGBA)
}

var (
	black     = color.RGBA{0, 0, 0, 0xFF}
	gridColor = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
	blue      = color.RGBA{0x1F, 0x77, 0xB4, 0xFF}
	orange    = color.RGBA{0xFF, 0x7F, 0x0E, 0xFF}
)

const (
	figW, figH   = 960, 400
	panelW       = figW / 2
	plotL, plotR = 80, 30 // margins inside a panel
	plotT, plotB = 60, 60
)

type series struct {
	name  string
	color color.RGBA
	y     []float64
}

type panel struct {
	ylabel string
	zero   bool // the y axis starts at 0
	series []series
}

func writePlot(path, title string, h []epochStats) error {
	loss := make([]float64, len(h))
	trainAcc := make([]float64, len(h))
	testAcc := make([]float64, len(h))
	for i, s := range h {
		loss[i], trainAcc[i], testAcc[i] = s.Loss, 100*s.TrainAccuracy, 100*s.TestAccuracy
	}
	panels := []panel{
		{ylabel: "loss", zero: true, series: []series{{"train loss", blue, loss}}},
		{ylabel: "accuracy (%)", series: []series{{"train", blue, trainAcc}, {"test", orange, testAcc}}},
	}
	if strings.EqualFold(filepath.Ext(path), ".svg") {
		c := newSVG()
		drawFigure(c, title, panels)
		return os.WriteFile(path, c.bytes(), 0o644)
	}
	c := newRaster()
	drawFigure(c, title, panels)
	return writePNG(path, c.img)
}

func drawFigure(c canvas, title string, panels []panel) {
	c.text(figW/2, 20, title, anchorMiddle, black)
	for i, p := range panels {
		drawPanel(c, float64(i*panelW), p)
	}
}

func drawPanel(c canvas, left float64, p panel) {
	x0, x1 := left+plotL, left+panelW-plotR
	y0, y1 := float64(figH-plotB), float64(plotT) // y0 is the bottom
	n := len(p.series[0].y)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range p.series {
		for _, v := range s.y {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if p.zero {
		lo = 0
	}
	ystep := niceStep(hi-lo, 5)
	lo, hi = math.Floor(lo/ystep)*ystep, math.Ceil(hi/ystep)*ystep
	if hi == lo {
		hi = lo + ystep
	}
	// Epochs run from 1 to n; a single epoch sits in the middle.
	xlo, xhi := 1.0, float64(max(n, 2))
	if n == 1 {
		xlo, xhi = 0, 2
	}
	px := func(e float64) float64 { return x0 + (e-xlo)/(xhi-xlo)*(x1-x0) }
	py := func(v float64) float64 { return y0 + (v-lo)/(hi-lo)*(y1-y0) }

	for v := lo; v <= hi+ystep/2; v += ystep {
		c.line(x0, py(v), x1, py(v), gridColor, 1)
		c.text(x0-8, py(v), formatTick(v, ystep), anchorEnd, black)
	}
	xstep := math.Max(1, niceStep(xhi-xlo, 8))
	for e := math.Ceil(xlo/xstep) * xstep; e <= xhi; e += xstep {
		if e >= 1 && e <= float64(n) {
			c.line(px(e), y0, px(e), y0+5, black, 1)
			c.text(px(e), y0+16, strconv.Itoa(int(e)), anchorMiddle, black)
		}
	}
	c.line(x0, y0, x1, y0, black, 1)
	c.line(x0, y0, x0, y1, black, 1)
	c.text((x0+x1)/2, y0+40, "epoch", anchorMiddle, black)
	c.text(x0, y1-16, p.ylabel, anchorMiddle, black)

	for i, s := range p.series {
		for e, v := range s.y {
			if e > 0 {
				c.line(px(float64(e)), py(s.y[e-1]), px(float64(e+1)), py(v), s.color, 2)
			}
			c.dot(px(float64(e+1)), py(v), s.color)
		}
		// Legend, top right.
		ly := y1 + 12 + float64(i)*18
		c.line(x1-160, ly, x1-140, ly, s.color, 2)
		c.text(x1-134, ly, s.name, anchorStart, black)
	}
}

// niceStep returns a step of 1, 2 or 5 times a power of ten that cuts span
// into about n intervals.
func niceStep(span float64, n int) float64 {
	if !(span > 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// formatTick prints v with as many decimals as the step needs.
func formatTick(v, step float64) string {
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// svgCanvas writes SVG elements.
type svgCanvas struct{ b strings.Builder }

func newSVG() *svgCanvas {
	c := &svgCanvas{}
	fmt.Fprintf(&c.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="14">`+"\n", figW, figH, figW, figH)
	fmt.Fprintf(&c.b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	return c
}

func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

func (c *svgCanvas) line(x0, y0, x1, y1 float64, col color.RGBA, width float64) {
	fmt.Fprintf(&c.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="%g"/>`+"\n", x0, y0, x1, y1, hexColor(col), width)
}

func (c *svgCanvas) text(x, y float64, s string, a anchor, col color.RGBA) {
	fmt.Fprintf(&c.b, `<text x="%.1f" y="%.1f" text-anchor="%s" dominant-baseline="middle" fill="%s">%s</text>`+"\n",
		x, y, [...]string{"start", "middle", "end"}[a], hexColor(col), html.EscapeString(s))
}

func (c *svgCanvas) dot(x, y float64, col color.RGBA) {
	fmt.Fprintf(&c.b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", x, y, hexColor(col))
}

func (c *svgCanvas) bytes() []byte { return []byte(c.b.String() + "</svg>\n") }

// rasterCanvas draws into an image with the bitmap font.
type rasterCanvas struct{ img *image.RGBA }

const rasterFontScale = 2

func newRaster() *rasterCanvas {
	c := &rasterCanvas{img: image.NewRGBA(image.Rect(0, 0, figW, figH))}
	fillRect(c.img, 0, 0, figW, figH, color.RGBA{0xFF, 0xFF, 0xFF, 0xFF})
	return c
}

// line steps along the longer axis one pixel at a time and stamps a
// width×width square at each step.
func (c *rasterCanvas) line(x0, y0, x1, y1 float64, col color.RGBA, width float64) {
	steps := int(math.Max(math.Abs(x1-x0), math.Abs(y1-y0))) + 1
	w := max(1, int(width))
	for i := 0; i <= steps; i++ {
		t := float64(i) / float64(steps)
		x, y := x0+t*(x1-x0), y0+t*(y1-y0)
		fillRect(c.img, int(math.Round(x))-w/2, int(math.Round(y))-w/2, w, w, col)
	}
}

func (c *rasterCanvas) text(x, y float64, s string, a anchor, col color.RGBA) {
	w := float64(textWidth(s, rasterFontScale))
	left := x - w*float64(a)/2
	drawText(c.img, int(math.Round(left)), int(math.Round(y))-glyphH*rasterFontScale/2, s, rasterFontScale, col)
}

func (c *rasterCanvas) dot(x, y float64, col color.RGBA) {
	fillRect(c.img, int(math.Round(x))-3, int(math.Round(y))-3, 7, 7, col)
}
