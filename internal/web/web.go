// Package web serves a page to draw a digit and have an MNIST model
// classify it, and the JSON API behind it (simdkern serve).
//
// The page (static/) is plain HTML, CSS and JavaScript embedded in the
// binary. It sends the canvas as PNG; the server turns it into the model's
// 28×28 input with mlp.Preprocess, so a drawing goes through the same code
// as any other picture.
//
// model.bin, the model used when none is given, and examples.json, the
// gallery of MNIST test digits, are generated from the real MNIST data by
// go generate and checked in, so the command works without training first.
// The command that trains the model embeds both files, so regenerating
// needs them to exist: to start from nothing, create them empty.
package web

//go:generate go run ../../cmd/simdkern train -out model.bin
//go:generate go run ./gen -out examples.json

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"runtime"
	"time"

	"github.com/simdkern/simdkern/mlp"
)

var (
	//go:embed model.bin
	modelFile []byte
	//go:embed examples.json
	examplesFile []byte
	//go:embed static
	static embed.FS
)

const (
	inputs = mlp.ImageSide * mlp.ImageSide
	digits = 10

	// MaxJSONBytes and MaxImageBytes bound request bodies. 784 numbers
	// take under 16 KB of JSON even in float64 precision; the page's PNG
	// of a drawn 7 took 6 KB, and the rest leaves room for photographs.
	MaxJSONBytes  = 64 << 10
	MaxImageBytes = 4 << 20
	// MaxImagePixels bounds a decoded image (width × height): up to 8
	// bytes per pixel (16-bit RGBA), and mlp.Preprocess takes 2 more.
	MaxImagePixels = 4 << 20
)

// DefaultModel returns the embedded model, trained by "simdkern train"
// with its default recipe.
func DefaultModel() (*mlp.Model, error) {
	m, err := mlp.Load(bytes.NewReader(modelFile))
	if err != nil {
		return nil, fmt.Errorf("the embedded model: %w", err)
	}
	return m, nil
}

// Example is one MNIST test digit of the gallery, in the form that POST
// /api/predict accepts.
type Example struct {
	Index  int       `json:"index"` // position in the MNIST test set
	Label  int       `json:"label"`
	Pixels []float32 `json:"pixels"` // 784 values in [0, 1], row-major
}

// Examples returns the gallery, pixels scaled as mnist.Set.Float32 does.
func Examples() ([]Example, error) {
	var raw []struct {
		Index, Label int
		Pixels       []uint8
	}
	if err := json.Unmarshal(examplesFile, &raw); err != nil {
		return nil, fmt.Errorf("examples.json: %w", err)
	}
	out := make([]Example, len(raw))
	for i, r := range raw {
		if len(r.Pixels) != inputs {
			return nil, fmt.Errorf("examples.json: example %d has %d pixels, want %d", i, len(r.Pixels), inputs)
		}
		out[i] = Example{Index: r.Index, Label: r.Label, Pixels: make([]float32, inputs)}
		for j, v := range r.Pixels {
			out[i].Pixels[j] = float32(v) / 255
		}
	}
	return out, nil
}

type server struct {
	model    *mlp.Model
	examples []byte // the /api/examples answer
	// decoding bounds the images decoded at once, each up to
	// MaxImagePixels·10 bytes of memory; decoding is CPU-bound anyway.
	decoding chan struct{}
}

// Handler returns the page and the API for m, which must take 28×28
// images and have 10 classes:
//
//	GET  /               the page, and its assets
//	POST /api/predict    classify a JSON body of pixels, or a PNG or JPEG
//	GET  /api/examples   the gallery of MNIST test digits
//	GET  /healthz        liveness
func Handler(m *mlp.Model) (http.Handler, error) {
	if m.Inputs() != inputs || m.Classes() != digits {
		return nil, fmt.Errorf("the model has %d inputs and %d classes; the page needs %d (%d×%d pixels) and %d",
			m.Inputs(), m.Classes(), inputs, mlp.ImageSide, mlp.ImageSide, digits)
	}
	ex, err := Examples()
	if err != nil {
		return nil, err
	}
	exJSON, err := json.Marshal(ex)
	if err != nil {
		return nil, err
	}
	s := &server{model: m, examples: exJSON, decoding: make(chan struct{}, runtime.GOMAXPROCS(0))}
	assets, err := fs.Sub(static, "static")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	// Handlers check methods themselves so that every error is JSON.
	mux.Handle("/", get(http.FileServerFS(assets).ServeHTTP))
	mux.HandleFunc("/api/predict", s.predict)
	mux.HandleFunc("/api/examples", get(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(s.examples)
	}))
	mux.HandleFunc("/healthz", get(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	}))
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint: %s", r.URL.Path)
	})
	return securityHeaders(mux), nil
}

// NewServer returns a server for h whose timeouts bound how long a client
// may hold a connection: slow headers, slow bodies, slow readers and idle
// keep-alives.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second, // a MaxImageBytes body at 1.1 Mbit/s
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// securityHeaders forbids content sniffing and everything the page does
// not load from this server.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:")
		h.ServeHTTP(w, r)
	})
}

// get answers 405 to any method but GET and HEAD.
func get(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "%s %s: want GET", r.Method, r.URL.Path)
			return
		}
		h(w, r)
	}
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, errorBody{fmt.Sprintf(format, args...)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
