package web

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/simdkern/simdkern/mlp"
)

var (
	handlerOnce sync.Once
	handler     http.Handler
	handlerErr  error
)

// testHandler serves the embedded model, built once for all tests.
func testHandler(t testing.TB) http.Handler {
	t.Helper()
	handlerOnce.Do(func() {
		m, err := DefaultModel()
		if err != nil {
			handlerErr = err
			return
		}
		handler, handlerErr = Handler(m)
	})
	if handlerErr != nil {
		t.Fatalf("building the handler: %v", handlerErr)
	}
	return handler
}

func do(t testing.TB, method, path, contentType string, body io.Reader) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	testHandler(t).ServeHTTP(rec, req)
	return rec
}

func pixelsJSON(px []float32) []byte {
	b, _ := json.Marshal(map[string][]float32{"pixels": px})
	return b
}

func decodePrediction(t *testing.T, rec *httptest.ResponseRecorder) Prediction {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want %d: %s", rec.Code, http.StatusOK, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: got %q, want %q", got, "application/json")
	}
	var p Prediction
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("decoding the prediction: %v", err)
	}
	if len(p.Probabilities) != digits {
		t.Fatalf("len(probabilities): got %d, want %d", len(p.Probabilities), digits)
	}
	var sum float32
	for _, q := range p.Probabilities {
		sum += q
	}
	if d := math.Abs(float64(sum) - 1); !(d <= 1e-5) {
		t.Errorf("sum of probabilities: got %v, want 1 ± 1e-5", sum)
	}
	if want := mlp.Argmax(p.Probabilities); p.Digit != want {
		t.Errorf("digit: got %d, want the argmax %d", p.Digit, want)
	}
	if !(p.Micros > 0) {
		t.Errorf("micros: got %v, want > 0", p.Micros)
	}
	return p
}

// The gallery holds one test digit per class, served exactly as Examples
// returns it, and the embedded model reads each as its label.
func TestExamplesPredicted(t *testing.T) {
	want, err := Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	rec := do(t, http.MethodGet, "/api/examples", "", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: got %d, want %d", rec.Code, http.StatusOK)
	}
	var got []Example
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("decoding the examples: %v", err)
	}
	// The served pixels are the float32 values themselves.
	if !reflect.DeepEqual(got, want) {
		if len(got) != len(want) {
			t.Fatalf("served examples: got %d, want %d", len(got), len(want))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("served example %d: got %+v, want %+v", i, got[i], want[i])
			}
		}
		t.Fatalf("served examples: got %+v, want %+v", got, want)
	}
	for d, ex := range got {
		if ex.Label != d {
			t.Fatalf("example %d (one per digit, in order): got label %d, want %d", d, ex.Label, d)
		}
		p := decodePrediction(t, do(t, http.MethodPost, "/api/predict", "application/json", bytes.NewReader(pixelsJSON(ex.Pixels))))
		if p.Digit != ex.Label {
			t.Errorf("test image %d: got digit %d, want %d", ex.Index, p.Digit, ex.Label)
		}
	}
}

// render draws an MNIST digit as the page's pad holds one: scale× larger,
// dark ink on light paper. transparent leaves the paper transparent, as a
// canvas that was never filled.
func render(px []float32, scale int, transparent bool) image.Image {
	side := mlp.ImageSide * scale
	img := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := range side {
		for x := range side {
			ink := uint8(255*px[(y/scale)*mlp.ImageSide+x/scale] + 0.5)
			c := color.NRGBA{255 - ink, 255 - ink, 255 - ink, 255}
			if transparent {
				c = color.NRGBA{0, 0, 0, ink}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encoding PNG: %v", err)
	}
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("encoding JPEG: %v", err)
	}
	return buf.Bytes()
}

// Pictures of the gallery's digits, ten times larger and inverted, go
// through mlp.Preprocess and still read as their labels.
func TestPredictImages(t *testing.T) {
	exs, err := Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	for _, ex := range exs {
		for _, c := range []struct {
			name, contentType string
			body              []byte
		}{
			{"png", "image/png", encodePNG(t, render(ex.Pixels, 10, false))},
			{"transparent png", "image/png", encodePNG(t, render(ex.Pixels, 10, true))},
			{"jpeg", "image/jpeg", encodeJPEG(t, render(ex.Pixels, 10, false))},
		} {
			p := decodePrediction(t, do(t, http.MethodPost, "/api/predict", c.contentType, bytes.NewReader(c.body)))
			if p.Digit != ex.Label {
				t.Errorf("%s of test image %d: got digit %d, want %d", c.name, ex.Index, p.Digit, ex.Label)
			}
		}
	}
}

// Concurrent requests, of both kinds, each get their own answer.
func TestConcurrentPredictions(t *testing.T) {
	exs, err := Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	type request struct {
		contentType string
		body        []byte
		digit       int
	}
	var reqs []request
	for _, ex := range exs {
		reqs = append(reqs,
			request{"application/json", pixelsJSON(ex.Pixels), ex.Label},
			request{"image/png", encodePNG(t, render(ex.Pixels, 4, false)), ex.Label})
	}
	testHandler(t) // built here: do's t.Fatalf must not run in a goroutine
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range len(reqs) {
				r := reqs[(g*3+i)%len(reqs)]
				rec := do(t, http.MethodPost, "/api/predict", r.contentType, bytes.NewReader(r.body))
				var p Prediction
				if rec.Code != http.StatusOK {
					t.Errorf("%s: status: got %d, want %d", r.contentType, rec.Code, http.StatusOK)
				} else if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
					t.Errorf("%s: decoding the prediction: %v", r.contentType, err)
				} else if p.Digit != r.digit {
					t.Errorf("%s: got digit %d, want %d", r.contentType, p.Digit, r.digit)
				}
			}
		})
	}
	wg.Wait()
}

// The content type's parameters are ignored.
func TestContentTypeParameters(t *testing.T) {
	exs, err := Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	p := decodePrediction(t, do(t, http.MethodPost, "/api/predict", "application/json; charset=utf-8", bytes.NewReader(pixelsJSON(exs[3].Pixels))))
	if p.Digit != 3 {
		t.Errorf("digit: got %d, want 3", p.Digit)
	}
}

// errorOf checks that rec is a JSON error with the status and returns its
// message.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder, status int) string {
	t.Helper()
	if rec.Code != status {
		t.Errorf("status: got %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type: got %q, want %q", got, "application/json")
	}
	var e errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("decoding the error %s: %v", rec.Body, err)
	}
	if e.Error == "" {
		t.Errorf("error message: got %q, want it non-empty", e.Error)
	}
	return e.Error
}

func TestPredictBadRequests(t *testing.T) {
	valid := strings.TrimSuffix(strings.Repeat("0,", inputs), ",")
	blank := image.NewGray(image.Rect(0, 0, 280, 280))
	exs, err := Examples()
	if err != nil {
		t.Fatalf("Examples: %v", err)
	}
	for _, c := range []struct {
		name, contentType, body string
		status                  int
		msg                     string
	}{
		{"no content type", "", `{"pixels":[` + valid + `]}`, 415, "want application/json, image/png or image/jpeg"},
		{"text", "text/plain", "7", 415, `"text/plain"`},
		{"form", "application/x-www-form-urlencoded", "pixels=0", 415, "form-urlencoded"},
		{"gif", "image/gif", "GIF89a", 415, "image/gif"},
		{"empty", "application/json", "", 400, "the body is empty"},
		{"not an object", "application/json", "[0, 1]", 400, `the body is "["`},
		{"a number", "application/json", "0.5", 400, "the body is 0.5"},
		{"malformed", "application/json", `{"pixels": [0,]}`, 400, "malformed JSON"},
		{"truncated", "application/json", `{"pixels": [0, 0.5`, 400, "ends early"},
		{"unknown field", "application/json", `{"pixel": []}`, 400, `unknown field "pixel"`},
		{"missing pixels", "application/json", `{}`, 400, `missing "pixels"`},
		{"pixels twice", "application/json", `{"pixels": [` + valid + `], "pixels": []}`, 400, "twice"},
		{"pixels not an array", "application/json", `{"pixels": "AAAA"}`, 400, `"pixels" is the string "AAAA"`},
		{"too few", "application/json", `{"pixels": [` + valid[2:] + `]}`, 400, "holds 783 values, want 784"},
		{"too many", "application/json", `{"pixels": [0,` + valid + `]}`, 400, "more than 784"},
		{"negative", "application/json", `{"pixels": [-0.1,` + valid[2:] + `]}`, 400, "pixels[0] is -0.1"},
		{"over one", "application/json", `{"pixels": [` + valid[2:] + `,1.0001]}`, 400, "pixels[783] is 1.0001"},
		{"overflow", "application/json", `{"pixels": [1e999,` + valid[2:] + `]}`, 400, "pixels[0] is 1e999"},
		{"null", "application/json", `{"pixels": [null,` + valid[2:] + `]}`, 400, "pixels[0] is null"},
		{"string", "application/json", `{"pixels": ["0",` + valid[2:] + `]}`, 400, `pixels[0] is the string "0"`},
		{"nested", "application/json", `{"pixels": [[0],` + valid[2:] + `]}`, 400, `pixels[0] is "["`},
		{"trailing object", "application/json", `{"pixels": [` + valid + `]} {}`, 400, "data after the JSON object"},
		{"trailing garbage", "application/json", `{"pixels": [` + valid + `]} x`, 400, "malformed JSON"},
		{"garbage png", "image/png", "not a png", 400, "undecodable image/png"},
		{"jpeg sent as png", "image/png", string(encodeJPEG(t, render(exs[0].Pixels, 1, false))), 400, "undecodable image/png"},
		{"png sent as jpeg", "image/jpeg", string(encodePNG(t, render(exs[0].Pixels, 1, false))), 400, "undecodable image/jpeg"},
		{"blank png", "image/png", string(encodePNG(t, blank)), 400, "no drawing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := errorOf(t, do(t, http.MethodPost, "/api/predict", c.contentType, strings.NewReader(c.body)), c.status)
			if !strings.Contains(msg, c.msg) {
				t.Errorf("error message: got %q, want it to contain %q", msg, c.msg)
			}
		})
	}
}

// streamed hides the body's length, as a chunked upload does.
type streamed struct{ io.Reader }

// counter counts the bytes read through it.
type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless repeats a byte forever.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestTooLarge(t *testing.T) {
	t.Run("announced", func(t *testing.T) {
		body := `{"pixels": [` + strings.Repeat(" ", MaxJSONBytes) + `]}`
		msg := errorOf(t, do(t, http.MethodPost, "/api/predict", "application/json", strings.NewReader(body)), 413)
		if want := "over 65536 bytes"; !strings.Contains(msg, want) {
			t.Errorf("error message: got %q, want it to contain %q", msg, want)
		}
	})
	// An endless body is read no further than the limit, plus the
	// buffering of one read.
	for _, c := range []struct {
		contentType string
		limit       int64
		head        string
		fill        byte
	}{
		{"application/json", MaxJSONBytes, `{"pixels": [`, ' '},
		{"image/png", MaxImageBytes, "\x89PNG\r\n\x1a\n", 0},
		{"image/jpeg", MaxImageBytes, "\xff\xd8", 0},
	} {
		t.Run("streamed "+c.contentType, func(t *testing.T) {
			body := &counter{r: io.MultiReader(strings.NewReader(c.head), endless(c.fill))}
			errorOf(t, do(t, http.MethodPost, "/api/predict", c.contentType, streamed{body}), 413)
			if most := c.limit + 64<<10; body.n > most {
				t.Errorf("bytes read: got %d, want at most %d", body.n, most)
			}
		})
	}
	t.Run("too many pixels", func(t *testing.T) {
		// A white picture compresses to a few KB however large it is.
		img := image.NewGray(image.Rect(0, 0, 4096, MaxImagePixels/4096+1))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		body := encodePNG(t, img)
		if len(body) >= MaxImageBytes {
			t.Fatalf("PNG size: got %d bytes, want under %d", len(body), MaxImageBytes)
		}
		msg := errorOf(t, do(t, http.MethodPost, "/api/predict", "image/png", bytes.NewReader(body)), 413)
		if want := "the image is 4096×1025 pixels"; !strings.Contains(msg, want) {
			t.Errorf("error message: got %q, want it to contain %q", msg, want)
		}
	})
}

func TestRoutes(t *testing.T) {
	for _, c := range []struct {
		path, contentType, contains string
	}{
		{"/", "text/html; charset=utf-8", `<canvas id="pad"`},
		{"/app.js", "text/javascript; charset=utf-8", "/api/predict"},
		{"/style.css", "text/css; charset=utf-8", "touch-action: none"},
		{"/healthz", "application/json", `{"status":"ok"}`},
		{"/api/examples", "application/json", `"pixels":[0,`},
	} {
		rec := do(t, http.MethodGet, c.path, "", nil)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status: got %d, want %d", c.path, rec.Code, http.StatusOK)
		}
		if got := rec.Header().Get("Content-Type"); got != c.contentType {
			t.Errorf("%s: Content-Type: got %q, want %q", c.path, got, c.contentType)
		}
		if got := rec.Body.String(); !strings.Contains(got, c.contains) {
			t.Errorf("%s: body: got %q, want it to contain %q", c.path, got, c.contains)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options: got %q, want %q", c.path, got, "nosniff")
		}
		if got, want := rec.Header().Get("Content-Security-Policy"), "default-src 'self'"; !strings.Contains(got, want) {
			t.Errorf("%s: Content-Security-Policy: got %q, want it to contain %q", c.path, got, want)
		}
	}
	if got := do(t, http.MethodGet, "/nothing.js", "", nil).Code; got != http.StatusNotFound {
		t.Errorf("/nothing.js: status: got %d, want %d", got, http.StatusNotFound)
	}
	if msg := errorOf(t, do(t, http.MethodGet, "/api/nothing", "", nil), 404); !strings.Contains(msg, "/api/nothing") {
		t.Errorf("/api/nothing: error message: got %q, want it to contain %q", msg, "/api/nothing")
	}
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodGet, "/api/predict", "POST"},
		{http.MethodPut, "/api/predict", "POST"},
		{http.MethodPost, "/api/examples", "GET, HEAD"},
		{http.MethodDelete, "/healthz", "GET, HEAD"},
		{http.MethodPost, "/", "GET, HEAD"},
	} {
		rec := do(t, c.method, c.path, "application/json", strings.NewReader("{}"))
		if msg, want := errorOf(t, rec, http.StatusMethodNotAllowed), c.method+" "+c.path; !strings.Contains(msg, want) {
			t.Errorf("%s %s: error message: got %q, want it to contain %q", c.method, c.path, msg, want)
		}
		if got := rec.Header().Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow: got %q, want %q", c.method, c.path, got, c.allow)
		}
	}
}

func TestHandlerRejectsOtherModels(t *testing.T) {
	for _, sizes := range [][]int{{784, 16, 9}, {100, 10}} {
		m, err := mlp.New(sizes...)
		if err != nil {
			t.Fatalf("mlp.New(%v): %v", sizes, err)
		}
		_, err = Handler(m)
		if want := "the page needs 784 (28×28 pixels) and 10"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Handler(%v): got error %v, want one containing %q", sizes, err, want)
		}
	}
}

// Whatever the body, the answer is a prediction or a JSON client error.
func FuzzPredict(f *testing.F) {
	exs, err := Examples()
	if err != nil {
		f.Fatalf("Examples: %v", err)
	}
	types := []string{"application/json", "image/png", "image/jpeg"}
	f.Add(uint8(0), pixelsJSON(exs[0].Pixels))
	f.Add(uint8(0), []byte(`{"pixels": [0.5, null, "x", [], {}]}`))
	f.Add(uint8(0), []byte(`{"pixels": [1e999]} {}`))
	f.Add(uint8(1), encodePNG(f, render(exs[1].Pixels, 2, true)))
	f.Add(uint8(2), encodeJPEG(f, render(exs[2].Pixels, 2, false)))
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		rec := do(t, http.MethodPost, "/api/predict", types[int(kind)%len(types)], bytes.NewReader(body))
		switch rec.Code {
		case http.StatusOK:
			decodePrediction(t, rec)
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			errorOf(t, rec, rec.Code)
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}
