package web

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdkern/simdkern/mlp"
)

var (
	handlerOnce sync.Once
	handler     http.Handler
	handlerErr  error
)

// testHandler serves the embedded model, built once for all tests.
func testHandler(t testing.TB) http.Handler {
	handlerOnce.Do(func() {
		m, err := DefaultModel()
		if err != nil {
			handlerErr = err
			return
		}
		handler, handlerErr = Handler(m)
	})
	require.NoError(t, handlerErr)
	return handler
}

func do(t testing.TB, method, path, contentType string, body io.Reader) *httptest.ResponseRecorder {
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
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var p Prediction
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p))
	require.Len(t, p.Probabilities, digits)
	var sum float32
	for _, q := range p.Probabilities {
		sum += q
	}
	assert.InDelta(t, 1, sum, 1e-5)
	assert.Equal(t, mlp.Argmax(p.Probabilities), p.Digit)
	assert.Positive(t, p.Micros)
	return p
}

// The gallery holds one test digit per class, served exactly as Examples
// returns it, and the embedded model reads each as its label.
func TestExamplesPredicted(t *testing.T) {
	want, err := Examples()
	require.NoError(t, err)
	rec := do(t, http.MethodGet, "/api/examples", "", nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var got []Example
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
	require.Equal(t, want, got, "the served pixels are the float32 values themselves")
	for d, ex := range got {
		require.Equal(t, d, ex.Label, "one example per digit, in order")
		p := decodePrediction(t, do(t, http.MethodPost, "/api/predict", "application/json", bytes.NewReader(pixelsJSON(ex.Pixels))))
		assert.Equal(t, ex.Label, p.Digit, "test image %d", ex.Index)
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
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}))
	return buf.Bytes()
}

// Pictures of the gallery's digits, ten times larger and inverted, go
// through mlp.Preprocess and still read as their labels.
func TestPredictImages(t *testing.T) {
	exs, err := Examples()
	require.NoError(t, err)
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
			assert.Equal(t, ex.Label, p.Digit, "%s of test image %d", c.name, ex.Index)
		}
	}
}

// Concurrent requests, of both kinds, each get their own answer.
func TestConcurrentPredictions(t *testing.T) {
	exs, err := Examples()
	require.NoError(t, err)
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
	testHandler(t) // built here: do's require must not fail in a goroutine
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range len(reqs) {
				r := reqs[(g*3+i)%len(reqs)]
				rec := do(t, http.MethodPost, "/api/predict", r.contentType, bytes.NewReader(r.body))
				var p Prediction
				if assert.Equal(t, http.StatusOK, rec.Code) && assert.NoError(t, json.Unmarshal(rec.Body.Bytes(), &p)) {
					assert.Equal(t, r.digit, p.Digit, r.contentType)
				}
			}
		})
	}
	wg.Wait()
}

// The content type's parameters are ignored.
func TestContentTypeParameters(t *testing.T) {
	exs, err := Examples()
	require.NoError(t, err)
	p := decodePrediction(t, do(t, http.MethodPost, "/api/predict", "application/json; charset=utf-8", bytes.NewReader(pixelsJSON(exs[3].Pixels))))
	assert.Equal(t, 3, p.Digit)
}

// errorOf checks that rec is a JSON error with the status and returns its
// message.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder, status int) string {
	t.Helper()
	assert.Equal(t, status, rec.Code, rec.Body.String())
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var e errorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &e), rec.Body.String())
	assert.NotEmpty(t, e.Error)
	return e.Error
}

func TestPredictBadRequests(t *testing.T) {
	valid := strings.TrimSuffix(strings.Repeat("0,", inputs), ",")
	blank := image.NewGray(image.Rect(0, 0, 280, 280))
	exs, err := Examples()
	require.NoError(t, err)
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
			assert.Contains(t, msg, c.msg)
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
		assert.Contains(t, errorOf(t, do(t, http.MethodPost, "/api/predict", "application/json", strings.NewReader(body)), 413),
			"over 65536 bytes")
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
			assert.LessOrEqual(t, body.n, c.limit+64<<10)
		})
	}
	t.Run("too many pixels", func(t *testing.T) {
		// A white picture compresses to a few KB however large it is.
		img := image.NewGray(image.Rect(0, 0, 4096, MaxImagePixels/4096+1))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		body := encodePNG(t, img)
		require.Less(t, len(body), MaxImageBytes)
		assert.Contains(t, errorOf(t, do(t, http.MethodPost, "/api/predict", "image/png", bytes.NewReader(body)), 413),
			"the image is 4096×1025 pixels")
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
		assert.Equal(t, http.StatusOK, rec.Code, c.path)
		assert.Equal(t, c.contentType, rec.Header().Get("Content-Type"), c.path)
		assert.Contains(t, rec.Body.String(), c.contains, c.path)
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"), c.path)
		assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "default-src 'self'", c.path)
	}
	assert.Equal(t, http.StatusNotFound, do(t, http.MethodGet, "/nothing.js", "", nil).Code)
	assert.Contains(t, errorOf(t, do(t, http.MethodGet, "/api/nothing", "", nil), 404), "/api/nothing")
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodGet, "/api/predict", "POST"},
		{http.MethodPut, "/api/predict", "POST"},
		{http.MethodPost, "/api/examples", "GET, HEAD"},
		{http.MethodDelete, "/healthz", "GET, HEAD"},
		{http.MethodPost, "/", "GET, HEAD"},
	} {
		rec := do(t, c.method, c.path, "application/json", strings.NewReader("{}"))
		assert.Contains(t, errorOf(t, rec, http.StatusMethodNotAllowed), c.method+" "+c.path)
		assert.Equal(t, c.allow, rec.Header().Get("Allow"))
	}
}

func TestHandlerRejectsOtherModels(t *testing.T) {
	for _, sizes := range [][]int{{784, 16, 9}, {100, 10}} {
		m, err := mlp.New(sizes...)
		require.NoError(t, err)
		_, err = Handler(m)
		assert.ErrorContains(t, err, "the page needs 784 (28×28 pixels) and 10", sizes)
	}
}

// Whatever the body, the answer is a prediction or a JSON client error.
func FuzzPredict(f *testing.F) {
	exs, err := Examples()
	require.NoError(f, err)
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
