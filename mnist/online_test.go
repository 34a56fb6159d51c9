package mnist

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.NoError(t, err, progress.String())
	assert.Equal(t, opts.CacheDir, dir)
	assert.Contains(t, progress.String(), "mnist: downloading module "+ModulePath)

	start := time.Now()
	train, test, err := LoadDir(dir)
	require.NoError(t, err)
	t.Logf("LoadDir: %v for %d+%d images", time.Since(start), train.Len(), test.Len())

	for _, c := range []struct {
		set    *Set
		n      int
		counts [10]int
	}{
		{train, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{test, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		require.Equal(t, c.n, c.set.Len())
		assert.Equal(t, 28, c.set.Rows)
		assert.Equal(t, 28, c.set.Cols)
		assert.Len(t, c.set.Images, c.n*28*28)
		var counts [10]int
		for _, l := range c.set.Labels {
			counts[l]++
		}
		assert.Equal(t, c.counts, counts)
	}

	progress.Reset()
	opts.SkipModule = true
	start = time.Now()
	train, _, err = Open(context.Background(), opts)
	require.NoError(t, err)
	t.Logf("Open from the cache: %v", time.Since(start))
	assert.Equal(t, 60000, train.Len())
	assert.Equal(t, "mnist: using verified files in "+opts.CacheDir+"\n", progress.String())
}
