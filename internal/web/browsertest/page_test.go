// Package browsertest drives the page of "simdkern serve" in headless
// Chromium: it draws digits with mouse, pen and touch pointer events and
// checks what the page shows. It is a module of its own so that the main
// module needs no browser driver; run.sh runs it.
package browsertest

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdkern/simdkern/internal/web/browsertest/server"
)

var (
	chromium   = flag.String("chromium", "/usr/bin/chromium", "the Chromium binary to drive")
	bin        = flag.String("bin", "", "the simdkern binary to serve with (default: built from this checkout)")
	screenshot = flag.String("screenshot", "", "write a PNG screenshot of the page with a drawn digit to this file")
)

// startServer serves the page with the embedded model until the test ends,
// and checks that an interrupt then stops the server cleanly.
func startServer(t *testing.T) string {
	path := *bin
	if path == "" {
		var err error
		path, err = server.Build(t.TempDir())
		require.NoError(t, err)
	}
	s, err := server.Start(path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Stop(), "simdkern serve must exit cleanly on an interrupt") })
	return s.URL
}

// newTab starts a headless Chromium with the flags this machine's closed
// network needs and returns a context for one tab.
func newTab(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(*chromium),
		chromedp.NoSandbox, // the test runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(860, 760),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	return tab
}

// point is a position on the pad, in its 280×280 canvas pixels.
type point struct{ X, Y float64 }

// Strokes of digits, drawn as a person would, across most of the pad.
var (
	seven = []point{{70, 55}, {210, 55}, {185, 110}, {160, 165}, {135, 230}}
	one   = []point{{150, 45}, {145, 140}, {140, 235}}
)

// segments returns the stroke through pts as steps of about 8 pixels, the
// spacing of pointermove events of a moderately fast hand.
func segments(pts []point) []point {
	out := []point{pts[0]}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		n := max(1, int(math.Hypot(b.X-a.X, b.Y-a.Y)/8))
		for k := 1; k <= n; k++ {
			f := float64(k) / float64(n)
			out = append(out, point{a.X + f*(b.X-a.X), a.Y + f*(b.Y-a.Y)})
		}
	}
	return out
}

type rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
}

// pad returns where the pad is in the viewport.
func pad(t *testing.T, ctx context.Context) rect {
	r, err := chromedp.Run(ctx, chromedp.Evaluate[rect](
		`(() => { const r = document.getElementById('pad').getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width}; })()`))
	require.NoError(t, err)
	return r
}

// pointer names an input device of the Pointer Events the page listens to:
// its pointerType.
type pointer string

const (
	mouse pointer = "mouse"
	pen   pointer = "pen"
	touch pointer = "touch"
)

// draw dispatches one stroke through pts with the device, pausing between
// moves so that the page's throttled requests can run while the stroke
// goes on; during is the digit shown just before the stroke ended ("?"
// for none).
func draw(t *testing.T, ctx context.Context, dev pointer, pts []point, pause time.Duration) (during string) {
	r := pad(t, ctx)
	scale := r.W / 280
	at := func(p point) (float64, float64) { return r.X + p.X*scale, r.Y + p.Y*scale }
	path := segments(pts)
	step := func(i int) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			x, y := at(path[min(i, len(path)-1)])
			if dev == touch {
				typ := input.DispatchTouchEventTypeTouchMove
				var points []*input.TouchPoint
				switch i {
				case 0:
					typ = input.DispatchTouchEventTypeTouchStart
				case len(path):
					typ = input.DispatchTouchEventTypeTouchEnd
				}
				if typ != input.DispatchTouchEventTypeTouchEnd {
					points = []*input.TouchPoint{{X: x, Y: y}}
				}
				_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: points})
				return err
			}
			p := input.DispatchMouseEventParams{Type: chromedp.MouseMoved, X: x, Y: y,
				Button: input.MouseButtonLeft, Buttons: 1, PointerType: input.DispatchMouseEventPointerTypeMouse}
			if dev == pen {
				p.PointerType, p.Force = input.DispatchMouseEventPointerTypePen, 0.5
			}
			switch i {
			case 0:
				p.Type, p.ClickCount = chromedp.MousePressed, 1
			case len(path):
				p.Type, p.Buttons, p.ClickCount = chromedp.MouseReleased, 0, 1
			}
			_, err := cdp.Call(ctx, tg, input.DispatchMouseEvent, p)
			return err
		})
	}
	for i := range path {
		require.NoError(t, chromedp.Do(ctx, step(i)))
		time.Sleep(pause)
	}
	during, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('digit').textContent`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, step(len(path))))
	types, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.pointerTypes.splice(0)`))
	require.NoError(t, err)
	assert.Equal(t, []string{string(dev)}, types, "the pointerType of the stroke's pointerdown")
	return during
}

// shown is what the page displays of the latest answer.
type shown struct {
	Digit  string    `json:"digit"`
	Micros string    `json:"micros"`
	Status string    `json:"status"`
	Bars   []string  `json:"bars"`   // the percentages, digit 0 first
	Widths []float64 `json:"widths"` // each bar's filled fraction
	Top    []int     `json:"top"`    // the digits whose bar is highlighted
}

// answer waits until no request is running or waiting and the bars have
// stopped moving, then reads the page.
func answer(t *testing.T, ctx context.Context) shown {
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](
		`document.getElementById('result').getAttribute('aria-busy') === 'false' && document.getAnimations().length === 0`,
		chromedp.WithPollingTimeout(20*time.Second)))
	require.NoError(t, err)
	s, err := chromedp.Run(ctx, chromedp.Evaluate[shown](`({
		digit: document.getElementById('digit').textContent,
		micros: document.getElementById('micros').textContent,
		status: document.getElementById('status').textContent,
		bars: [...document.querySelectorAll('#bars li .pct')].map(e => e.textContent),
		widths: [...document.querySelectorAll('#bars .fill')].map(f => f.offsetWidth / f.parentElement.clientWidth),
		top: [...document.querySelectorAll('#bars li')].flatMap((li, d) => li.classList.contains('top') ? [d] : []),
	})`))
	require.NoError(t, err)
	return s
}

var microsText = regexp.MustCompile(`^\d+(\.\d)? µs server inference$`)

// checkShows checks that the page shows digit with its ten bars.
func checkShows(t *testing.T, s shown, digit string) {
	t.Helper()
	assert.Equal(t, digit, s.Digit, "%+v", s)
	assert.Empty(t, s.Status)
	assert.Regexp(t, microsText, s.Micros)
	require.Len(t, s.Bars, 10)
	require.Len(t, s.Widths, 10)
	for d, pct := range s.Bars {
		var p float64
		_, err := fmt.Sscanf(pct, "%f%%", &p)
		require.NoError(t, err, pct)
		assert.InDelta(t, p/100, s.Widths[d], 0.01, "the bar of %d shows %s", d, pct)
	}
	if assert.Len(t, s.Top, 1) {
		assert.Equal(t, digit, string(rune('0'+s.Top[0])))
	}
}

func clearPad(t *testing.T, ctx context.Context) {
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.ID("clear"))))
	s := answer(t, ctx)
	assert.Equal(t, "?", s.Digit)
	ink, err := chromedp.Run(ctx, chromedp.Evaluate[int](`(() => {
		const px = document.getElementById('pad').getContext('2d').getImageData(0, 0, 280, 280).data;
		return px.filter((v, i) => i % 4 !== 3 && v !== 255).length;
	})()`))
	require.NoError(t, err)
	assert.Zero(t, ink, "the pad is blank after Clear")
}

func TestPage(t *testing.T) {
	url := startServer(t)
	ctx := newTab(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(url)))
	require.NoError(t, chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.pointerTypes = [];
		document.getElementById('pad').addEventListener('pointerdown', e => pointerTypes.push(e.pointerType))`)))
	// The gallery arrives from /api/examples; the CSS makes touch draw.
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll('#examples button').length === 10`))
	require.NoError(t, err)
	touchAction, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.getElementById('pad')).touchAction`))
	require.NoError(t, err)
	assert.Equal(t, "none", touchAction)

	// Each device draws a digit. The mouse draws slowly, so that the
	// throttled requests show predictions before its stroke ends.
	for _, c := range []struct {
		dev   pointer
		pts   []point
		digit string
		pause time.Duration
	}{
		{mouse, seven, "7", 40 * time.Millisecond},
		{pen, one, "1", 0},
		{touch, seven, "7", 0},
	} {
		t.Run(string(c.dev), func(t *testing.T) {
			during := draw(t, ctx, c.dev, c.pts, c.pause)
			if c.pause > 0 {
				assert.NotEqual(t, "?", during, "a prediction shows while the stroke goes on")
			}
			checkShows(t, answer(t, ctx), c.digit)
			if c.dev == mouse && *screenshot != "" {
				png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(*screenshot, png, 0o644))
				t.Logf("screenshot: %s", *screenshot)
			}
			clearPad(t, ctx)
		})
	}
	t.Run("gallery", func(t *testing.T) {
		for _, d := range []string{"4", "9"} {
			require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#examples button[data-label="`+d+`"]`))))
			checkShows(t, answer(t, ctx), d)
		}
	})
}
