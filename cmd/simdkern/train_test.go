package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/simdkern/simdkern/kernels"
	"github.com/simdkern/simdkern/mlp/train"
)

func TestTrainFlagErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-epochs", "-1"}, "-epochs -1: want at least 1"},
		{[]string{"-epochs", "0"}, "-epochs 0: want at least 1"},
		{[]string{"-layers", "784,abc,10"}, `-layers "784,abc,10": want comma-separated integers ≥ 1`},
		{[]string{"-layers", "784,0,10"}, "want comma-separated integers ≥ 1"},
		{[]string{"-layers", "10"}, "want at least two sizes"},
		{[]string{"-layers", "784,256,9"}, "the last size must be 10"},
		{[]string{"-layers", "784,100000,10"}, "layer size 1 is 100000"},
		{[]string{"-lr", "0"}, "-lr 0: want a finite value > 0"},
		{[]string{"-lr", "-0.1"}, "-lr -0.1: want a finite value > 0"},
		{[]string{"-lr", "NaN"}, "-lr NaN"},
		{[]string{"-lr", "+Inf"}, "-lr +Inf"},
		{[]string{"-momentum", "1"}, "-momentum 1: want 0 ≤ momentum < 1"},
		{[]string{"-weight-decay", "-1"}, "-weight-decay -1"},
		{[]string{"-batch", "0"}, "-batch 0: want at least 1"},
		{[]string{"-threads", "-2"}, "-threads -2"},
		{[]string{"-samples", "-5"}, "-samples -5"},
		{[]string{"-recipe", "fast"}, `-recipe "fast": want default or seed`},
		{[]string{"-recipe", "seed", "-init", "xavier"}, `-init "xavier": want normal or he`},
		{[]string{"-plot", "curves.gif"}, "must end in .svg or .png"},
		{[]string{"-out", filepath.Join(missing, "m.model")}, "does not exist"},
		{[]string{"-plot", filepath.Join(missing, "p.svg")}, "does not exist"},
		{[]string{"-nope"}, "flag provided but not defined: -nope"},
		{[]string{"now"}, `unexpected argument "now"`},
	} {
		// The data directory does not exist: flags are checked before.
		r := runArgs(t, append([]string{"train", "-data", missing}, c.args...)...)
		requireFailure(t, r, 2, c.want)
		assert.NotContains(t, r.stderr, "mnist:", "data loaded before the flags were checked: %v", c.args)
	}
}

func TestTrainDataErrors(t *testing.T) {
	requireFailure(t, runArgs(t, "train", "-data", filepath.Join(t.TempDir(), "missing")), 1, "missing")
	// Without -data, SIMDKERN_MNIST_DIR (set by TestMain to a missing
	// directory) is the only source.
	requireFailure(t, runArgs(t, "train"), 1, "simdkern-test-no-such-dir")

	dir := fakeMNIST(t, 20, 10)
	requireFailure(t, runArgs(t, "train", "-data", dir, "-samples", "21"), 2, "-samples 21: the training set has 20 images")
	requireFailure(t, runArgs(t, "train", "-data", dir, "-layers", "100,10"), 2, "the first size must be the 784 pixels")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte"), []byte("garbage"), 0o644))
	requireFailure(t, runArgs(t, "train", "-data", dir), 1, "t10k-labels-idx1-ubyte")
}

// decodeOne decodes stdout as exactly one JSON object into v.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(v), stdout)
	_, err := dec.Token()
	assert.Equal(t, io.EOF, err, "more than one JSON value on stdout")
}

func TestTrainJSON(t *testing.T) {
	dir := fakeMNIST(t, 500, 100)
	out := t.TempDir()
	model, plot := filepath.Join(out, "m.model"), filepath.Join(out, "curves.svg")
	r := runArgs(t, "train", "-data", dir, "-layers", "784,32,10", "-epochs", "3", "-batch", "50", "-lr", "0.1",
		"-samples", "400", "-seed", "7", "-threads", "1", "-json", "-out", model, "-plot", plot)
	require.Equal(t, 0, r.code, r.stderr)

	// Every key, and nothing else.
	var keys map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &keys))
	for _, k := range []string{"test_accuracy", "train_seconds", "eval_seconds", "load_seconds", "epochs", "variant",
		"threads", "layers", "recipe", "init", "lr", "momentum", "weight_decay", "batch", "seed", "samples",
		"test_samples", "model", "plot", "history"} {
		assert.Contains(t, keys, k)
	}
	var rep trainReport
	decodeOne(t, r.stdout, &rep)
	assert.Equal(t, []int{784, 32, 10}, rep.Layers)
	assert.Equal(t, 3, rep.Epochs)
	assert.Equal(t, 400, rep.Samples)
	assert.Equal(t, 100, rep.TestSamples)
	assert.Equal(t, 1, rep.Threads)
	assert.Equal(t, uint64(7), rep.Seed)
	assert.Equal(t, 0.1, rep.LR)
	assert.Equal(t, 50, rep.Batch)
	assert.Equal(t, "he", rep.Init)
	assert.Equal(t, 0.9, rep.Momentum, "the default recipe's momentum")
	assert.Equal(t, kernels.Variant(), rep.Variant)
	assert.Positive(t, rep.TrainSeconds)
	require.Len(t, rep.History, 3)
	for i, h := range rep.History {
		assert.Equal(t, i+1, h.Epoch)
		assert.Positive(t, h.Loss)
	}
	// The bars are easy to tell apart.
	assert.GreaterOrEqual(t, rep.TestAccuracy, 0.95)
	assert.Equal(t, rep.History[2].TestAccuracy, rep.TestAccuracy)
	// Progress goes to stderr, never to stdout.
	assert.Contains(t, r.stderr, "epoch 3/3")

	m, err := loadModel(model)
	require.NoError(t, err)
	assert.Equal(t, []int{784, 32, 10}, m.Sizes())

	svg, err := os.ReadFile(plot)
	require.NoError(t, err)
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is not well-formed XML")
	}
	assert.Contains(t, string(svg), ">epoch</text>")
	assert.Contains(t, string(svg), ">accuracy (%)</text>")
}

func TestTrainText(t *testing.T) {
	dir := fakeMNIST(t, 100, 20)
	plot := filepath.Join(t.TempDir(), "curves.png")
	// The seed recipe with one flag overridden.
	r := runArgs(t, "train", "-data", dir, "-layers", "784,16,10", "-recipe", "seed", "-epochs", "2", "-plot", plot)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "normal init, lr 0.01, momentum 0, weight decay 0, batch 256")
	assert.Contains(t, r.stderr, "epoch 1/2  loss ")
	assert.Contains(t, r.stderr, "epoch 2/2  loss ")
	assert.NotContains(t, r.stderr, "\r", "a progress bar when stderr is not a terminal")
	assert.Regexp(t, `^test accuracy \d+\.\d\d% after 2 epochs; training took`, r.stdout)
	f, err := os.Open(plot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Equal(t, figW, img.Bounds().Dx())
	assert.Equal(t, figH, img.Bounds().Dy())
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 2)
	p.bar = true
	for e := 1; e <= 2; e++ {
		for b := 1; b <= 4; b++ {
			p.batch(trainBatch(e, b))
		}
		p.epoch(epochStats{Epoch: e, Loss: 0.5, TrainAccuracy: 0.9, TestAccuracy: 0.8, Seconds: 1})
	}
	p.done()
	s := buf.String()
	// The last batch of an epoch is always drawn: a full bar.
	assert.Contains(t, s, "epoch 2/2 [==============================] 100%  loss 0.2500  train 75.00%  ETA 0s")
	assert.Contains(t, s, "\r\033[Kepoch 1/2  loss 0.5000  train 90.00%  test 80.00%  1.00 s\n")
	assert.True(t, strings.HasSuffix(s, "\r\033[K"))
}

func trainBatch(epoch, batch int) train.Batch {
	return train.Batch{Epoch: epoch, Epochs: 2, Batch: batch, Batches: 4, Loss: 0.25, Correct: 3, Images: 4}
}
