package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/simdkern/simdkern/mlp"
)

// Prediction is the answer of POST /api/predict.
type Prediction struct {
	Digit         int       `json:"digit"`
	Probabilities []float32 `json:"probabilities"`
	// Micros is the server's inference time in microseconds: the model's
	// forward pass, plus mlp.Preprocess for an image; reading and decoding
	// the body are not counted.
	Micros float64 `json:"micros"`
}

// requestError is a client's mistake, answered with its status.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func (s *server) predict(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeError(w, http.StatusMethodNotAllowed, "%s /api/predict: want POST", r.Method)
		return
	}
	p, err := s.classify(w, r)
	var re *requestError
	switch {
	case errors.As(err, &re):
		writeError(w, re.status, "%s", re.msg)
	case err != nil: // the request was cancelled
		writeError(w, http.StatusServiceUnavailable, "%v", err)
	default:
		writeJSON(w, http.StatusOK, p)
	}
}

// classify reads the body by its content type and runs the model.
func (s *server) classify(w http.ResponseWriter, r *http.Request) (Prediction, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = ct // reported as it is below
	}
	p := Prediction{Probabilities: make([]float32, digits)}
	switch mt {
	case "application/json":
		var x [inputs]float32
		if err := decodePixels(limit(w, r, MaxJSONBytes), x[:]); err != nil {
			return p, err
		}
		start := time.Now()
		p.Digit = s.model.Predict(x[:], p.Probabilities)
		p.Micros = micros(time.Since(start))
	case "image/png", "image/jpeg":
		body, err := io.ReadAll(limit(w, r, MaxImageBytes))
		if err != nil {
			return p, bodyError(err)
		}
		select {
		case s.decoding <- struct{}{}:
			defer func() { <-s.decoding }()
		case <-r.Context().Done():
			return p, r.Context().Err()
		}
		img, err := decodeImage(body, mt)
		if err != nil {
			return p, err
		}
		start := time.Now()
		p.Digit, err = s.model.PredictImage(img, p.Probabilities)
		p.Micros = micros(time.Since(start))
		if err != nil {
			return p, badRequest("%v", err)
		}
	default:
		return p, &requestError{http.StatusUnsupportedMediaType,
			fmt.Sprintf("Content-Type %q: want application/json, image/png or image/jpeg", ct)}
	}
	return p, nil
}

// limit returns r's body cut at n bytes, refusing at once a body that
// announces more.
func limit(w http.ResponseWriter, r *http.Request, n int64) io.Reader {
	if r.ContentLength > n {
		return errReader{&http.MaxBytesError{Limit: n}}
	}
	return http.MaxBytesReader(w, r.Body, n)
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// bodyError turns a failure to read the body into the client's error.
func bodyError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &requestError{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", tooBig.Limit)}
	}
	return badRequest("reading the body: %v", err)
}

func micros(d time.Duration) float64 {
	return math.Round(float64(d.Nanoseconds())/100) / 10
}

const bodyShape = `{"pixels": [784 numbers in [0, 1]]}`

// decodePixels reads {"pixels": [784 numbers in [0, 1]]} into dst. It
// walks the tokens rather than unmarshalling, so that it never holds more
// than len(dst) values, takes no null for a number, and can say which
// value is wrong.
func decodePixels(r io.Reader, dst []float32) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	switch tok, err := dec.Token(); {
	case err == io.EOF:
		return badRequest("the body is empty: want %s", bodyShape)
	case err != nil:
		return jsonError(err)
	case tok != json.Delim('{'):
		return badRequest("the body is %s, want %s", describe(tok), bodyShape)
	}
	seen := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jsonError(err)
		}
		if key, _ := tok.(string); key != "pixels" {
			return badRequest("unknown field %q: want %s", key, bodyShape)
		}
		if seen {
			return badRequest(`"pixels" is given twice`)
		}
		seen = true
		if err := expect(dec, '[', `"pixels"`); err != nil {
			return err
		}
		n := 0
		for ; dec.More(); n++ {
			tok, err := dec.Token()
			if err != nil {
				return jsonError(err)
			}
			if n == len(dst) {
				return badRequest(`"pixels" holds more than %d values`, len(dst))
			}
			num, ok := tok.(json.Number)
			if !ok {
				return badRequest("pixels[%d] is %s, want a number in [0, 1]", n, describe(tok))
			}
			v, err := strconv.ParseFloat(string(num), 64)
			if err != nil || v < 0 || v > 1 {
				return badRequest("pixels[%d] is %s, want a number in [0, 1]", n, num)
			}
			dst[n] = float32(v)
		}
		if err := expect(dec, ']', `"pixels"`); err != nil {
			return err
		}
		if n != len(dst) {
			return badRequest(`"pixels" holds %d values, want %d (%d×%d, row-major)`, n, len(dst), mlp.ImageSide, mlp.ImageSide)
		}
	}
	if err := expect(dec, '}', "the body"); err != nil {
		return err
	}
	if !seen {
		return badRequest(`missing "pixels": want %s`, bodyShape)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return jsonError(err)
		}
		return badRequest("data after the JSON object")
	}
	return nil
}

// expect reads the delimiter d, which opens or closes what.
func expect(dec *json.Decoder, d json.Delim, what string) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonError(err)
	}
	if tok != d {
		return badRequest("%s is %s, want %q", what, describe(tok), d.String())
	}
	return nil
}

func jsonError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return bodyError(err)
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("the JSON ends early")
	}
	return badRequest("malformed JSON: %v", err)
}

// describe names a JSON token in an error message.
func describe(tok json.Token) string {
	switch t := tok.(type) {
	case nil:
		return "null"
	case json.Delim:
		return fmt.Sprintf("%q", t.String())
	case string:
		return fmt.Sprintf("the string %q", t)
	default:
		return fmt.Sprint(t)
	}
}

// decodeImage decodes a PNG or JPEG (mt) after checking from its header
// that the picture is not too large to hold in memory.
func decodeImage(body []byte, mt string) (image.Image, error) {
	config, decode := png.DecodeConfig, png.Decode
	if mt == "image/jpeg" {
		config, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	cfg, err := config(bytes.NewReader(body))
	if err != nil {
		return nil, badRequest("undecodable %s: %v", mt, err)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, &requestError{http.StatusRequestEntityTooLarge,
			fmt.Sprintf("the image is %d×%d pixels, more than %d in all", cfg.Width, cfg.Height, MaxImagePixels)}
	}
	img, err := decode(bytes.NewReader(body))
	if err != nil {
		return nil, badRequest("undecodable %s: %v", mt, err)
	}
	return img, nil
}
