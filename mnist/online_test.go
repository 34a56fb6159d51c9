package mnist

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestOnlineModule downloads the real data through the Go module proxy
// into a fresh cache, checks it against MNIST's known shape and per-digit
// counts, then loads it again from the cache. It runs only with
// SIMDKERN_MNIST_ONLINE=1.
func TestOnlineModule(t *testing.T) {
	if os.Getenv("SIMDKERN_MNIST_ONLINE") != "1" {
		t.Skip("set SIMDKERN_MNIST_ONLINE=1 to download the real MNIST through the Go module proxy")
	}
	t.Setenv(EnvDir, "")
	var progress bytes.Buffer
	opts := Options{CacheDir: t.TempDir(), SkipMirrors: true, Progress: &progress}
	dir, err := Fetch(context.Background(), opts)
	if err != nil {
		t.Fatalf("Fetch: %v\nprogress:\n%s", err, progress.String())
	}
	if dir != opts.CacheDir {
		t.Errorf("Fetch: got directory %q, want %q", dir, opts.CacheDir)
	}
	if want := "mnist: downloading module " + ModulePath; !strings.Contains(progress.String(), want) {
		t.Errorf("progress %q: want it to contain %q", progress.String(), want)
	}

	start := time.Now()
	train, test, err := LoadDir(dir)
	if err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	t.Logf("LoadDir: %v for %d+%d images", time.Since(start), train.Len(), test.Len())

	for _, c := range []struct {
		set    *Set
		n      int
		counts [10]int
	}{
		{train, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{test, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		if got := c.set.Len(); got != c.n {
			t.Fatalf("Len: got %d, want %d", got, c.n)
		}
		if c.set.Rows != 28 {
			t.Errorf("Rows: got %d, want 28", c.set.Rows)
		}
		if c.set.Cols != 28 {
			t.Errorf("Cols: got %d, want 28", c.set.Cols)
		}
		if got, want := len(c.set.Images), c.n*28*28; got != want {
			t.Errorf("len(Images): got %d, want %d", got, want)
		}
		var counts [10]int
		for _, l := range c.set.Labels {
			counts[l]++
		}
		if counts != c.counts {
			t.Errorf("per-digit label counts of the %d-image set: got %v, want %v", c.n, counts, c.counts)
		}
	}

	progress.Reset()
	opts.SkipModule = true
	start = time.Now()
	train, _, err = Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open from the cache: %v", err)
	}
	t.Logf("Open from the cache: %v", time.Since(start))
	if got := train.Len(); got != 60000 {
		t.Errorf("training set Len: got %d, want 60000", got)
	}
	if got, want := progress.String(), "mnist: using verified files in "+opts.CacheDir+"\n"; got != want {
		t.Errorf("progress: got %q, want %q", got, want)
	}
}
