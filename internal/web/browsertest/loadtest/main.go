// Command loadtest measures POST /api/predict of "simdkern serve" on
// loopback: a fixed number of workers send requests back to back until a
// request count or a duration runs out, and it reports requests per second
// and latency percentiles. Every answer must be 200 with the digit of the
// example sent.
//
//	go run ./loadtest [-url URL | -bin SIMDKERN] [-c 8] [-n 20000] [-d 10s] [-body json,png]
//
// Without -url it builds simdkern from this checkout (or runs -bin) and
// serves on a free loopback port. Only loopback URLs are accepted.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/simdkern/simdkern/internal/web/browsertest/server"
)

func main() {
	target := flag.String("url", "", "server to load, on loopback (default: start one)")
	bin := flag.String("bin", "", "simdkern binary to start (default: built from this checkout)")
	workers := flag.Int("c", 8, "concurrent requests")
	count := flag.Int("n", 20000, "requests per body kind, at most")
	dur := flag.Duration("d", 10*time.Second, "time per body kind, at most")
	kinds := flag.String("body", "json,png", "body kinds to send, in order: json (784 pixels) and png (a 280×280 drawing)")
	flag.Parse()
	if err := run(*target, *bin, *workers, *count, *dur, strings.Split(*kinds, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// request is one body to send and the digit it must get.
type request struct {
	contentType string
	body        []byte
	digit       int
}

func run(target, bin string, workers, count int, dur time.Duration, kinds []string) error {
	if workers < 1 || count < 1 || dur <= 0 {
		return errors.New("-c, -n and -d must be positive")
	}
	if target == "" {
		if bin == "" {
			dir, err := os.MkdirTemp("", "loadtest")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			if bin, err = server.Build(dir); err != nil {
				return err
			}
		}
		s, err := server.Start(bin)
		if err != nil {
			return err
		}
		defer s.Stop()
		target = s.URL
	}
	if err := checkLoopback(target); err != nil {
		return err
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers},
	}
	examples, err := fetchExamples(client, target)
	if err != nil {
		return err
	}
	fmt.Printf("%s, GOMAXPROCS %d, %d workers, at most %d requests or %v per body kind\n",
		target, runtime.GOMAXPROCS(0), workers, count, dur)
	for _, kind := range kinds {
		reqs, err := bodies(kind, examples)
		if err != nil {
			return err
		}
		res, err := load(client, target+"/api/predict", reqs, workers, count, dur)
		if err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		fmt.Printf("%-4s %6d requests in %5.2f s: %7.0f req/s, latency p50 %6.2f ms, p99 %6.2f ms; server inference p50 %5.0f µs\n",
			kind, len(res.latencies), res.elapsed.Seconds(), float64(len(res.latencies))/res.elapsed.Seconds(),
			ms(percentile(res.latencies, 50)), ms(percentile(res.latencies, 99)), percentile(res.micros, 50))
	}
	return nil
}

// checkLoopback refuses any server but this machine's.
func checkLoopback(target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("%s is not a loopback address", host)
	}
	return nil
}

type example struct {
	Label  int       `json:"label"`
	Pixels []float32 `json:"pixels"`
}

func fetchExamples(client *http.Client, target string) ([]example, error) {
	resp, err := client.Get(target + "/api/examples")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/examples: %s", resp.Status)
	}
	var exs []example
	if err := json.NewDecoder(resp.Body).Decode(&exs); err != nil {
		return nil, err
	}
	if len(exs) == 0 {
		return nil, errors.New("GET /api/examples: no examples")
	}
	return exs, nil
}

// bodies returns a request per example: its pixels as JSON, or drawn ten
// times larger, black on white, as a PNG like the page's canvas.
func bodies(kind string, exs []example) ([]request, error) {
	var out []request
	for _, ex := range exs {
		r := request{digit: ex.Label}
		switch kind {
		case "json":
			r.contentType = "application/json"
			r.body, _ = json.Marshal(map[string][]float32{"pixels": ex.Pixels})
		case "png":
			const scale = 10
			side := 28 * scale
			img := image.NewGray(image.Rect(0, 0, side, side))
			for y := range side {
				for x := range side {
					img.SetGray(x, y, color.Gray{255 - uint8(255*ex.Pixels[(y/scale)*28+x/scale]+0.5)})
				}
			}
			var buf bytes.Buffer
			if err := png.Encode(&buf, img); err != nil {
				return nil, err
			}
			r.contentType, r.body = "image/png", buf.Bytes()
		default:
			return nil, fmt.Errorf("-body %q: want json or png", kind)
		}
		out = append(out, r)
	}
	return out, nil
}

type result struct {
	latencies []time.Duration
	micros    []float64
	elapsed   time.Duration
}

// load sends requests round robin from workers goroutines until count have
// been sent or dur has passed; it stops at the first failure.
func load(client *http.Client, endpoint string, reqs []request, workers, count int, dur time.Duration) (result, error) {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		res      result
		firstErr error
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(dur)
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var mic []float64
			var err error
			for {
				i := next.Add(1) - 1
				if i >= int64(count) || time.Now().After(deadline) {
					break
				}
				r := reqs[i%int64(len(reqs))]
				t0 := time.Now()
				var micros float64
				if micros, err = post(client, endpoint, r); err != nil {
					break
				}
				lat = append(lat, time.Since(t0))
				mic = append(mic, micros)
			}
			mu.Lock()
			res.latencies = append(res.latencies, lat...)
			res.micros = append(res.micros, mic...)
			if err != nil && firstErr == nil {
				firstErr = err
				next.Store(int64(count)) // stop the others
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res, firstErr
}

// post sends one request and checks the answer; it returns the server's
// inference time.
func post(client *http.Client, endpoint string, r request) (float64, error) {
	resp, err := client.Post(endpoint, r.contentType, bytes.NewReader(r.body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: %s", resp.Status, body)
	}
	var p struct {
		Digit  int     `json:"digit"`
		Micros float64 `json:"micros"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return 0, err
	}
	if p.Digit != r.digit {
		return 0, fmt.Errorf("answered %d for an example of %d", p.Digit, r.digit)
	}
	return p.Micros, nil
}

func percentile[T time.Duration | float64](xs []T, p int) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }
