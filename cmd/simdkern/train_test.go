package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
		if strings.Contains(r.stderr, "mnist:") {
			t.Errorf("data loaded before the flags were checked: %v: stderr %q contains %q", c.args, r.stderr, "mnist:")
		}
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

	if err := os.WriteFile(filepath.Join(dir, "t10k-labels-idx1-ubyte"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	requireFailure(t, runArgs(t, "train", "-data", dir), 1, "t10k-labels-idx1-ubyte")
}

// decodeOne decodes stdout as exactly one JSON object into v.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding stdout as JSON: %v\nstdout: %s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Errorf("more than one JSON value on stdout: after the first, got error %v, want %v\nstdout: %s", err, io.EOF, stdout)
	}
}

func TestTrainJSON(t *testing.T) {
	dir := fakeMNIST(t, 500, 100)
	out := t.TempDir()
	model, plot := filepath.Join(out, "m.model"), filepath.Join(out, "curves.svg")
	r := runArgs(t, "train", "-data", dir, "-layers", "784,32,10", "-epochs", "3", "-batch", "50", "-lr", "0.1",
		"-samples", "400", "-seed", "7", "-threads", "1", "-json", "-out", model, "-plot", plot)
	requireSuccess(t, r)

	// Every key, and nothing else.
	var keys map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil {
		t.Fatalf("decoding stdout as JSON: %v\nstdout: %s", err, r.stdout)
	}
	for _, k := range []string{"test_accuracy", "train_seconds", "eval_seconds", "load_seconds", "epochs", "variant",
		"threads", "layers", "recipe", "init", "lr", "momentum", "weight_decay", "batch", "seed", "samples",
		"test_samples", "model", "plot", "history"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("JSON report: key %q missing", k)
		}
	}
	var rep trainReport
	decodeOne(t, r.stdout, &rep)
	if want := []int{784, 32, 10}; !slices.Equal(rep.Layers, want) {
		t.Errorf("layers: got %v, want %v", rep.Layers, want)
	}
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"epochs", rep.Epochs, 3}, {"samples", rep.Samples, 400}, {"test samples", rep.TestSamples, 100},
		{"threads", rep.Threads, 1}, {"seed", rep.Seed, uint64(7)}, {"lr", rep.LR, 0.1}, {"batch", rep.Batch, 50},
		{"init", rep.Init, "he"}, {"momentum (the default recipe's)", rep.Momentum, 0.9},
		{"variant", rep.Variant, kernels.Variant()},
	} {
		if f.got != f.want {
			t.Errorf("%s: got %v (%T), want %v (%T)", f.name, f.got, f.got, f.want, f.want)
		}
	}
	if !(rep.TrainSeconds > 0) {
		t.Errorf("train seconds: got %v, want > 0", rep.TrainSeconds)
	}
	if len(rep.History) != 3 {
		t.Fatalf("history: got %d epochs, want 3", len(rep.History))
	}
	for i, h := range rep.History {
		if h.Epoch != i+1 {
			t.Errorf("history[%d]: epoch: got %d, want %d", i, h.Epoch, i+1)
		}
		if !(h.Loss > 0) {
			t.Errorf("history[%d]: loss: got %v, want > 0", i, h.Loss)
		}
	}
	// The bars are easy to tell apart.
	if !(rep.TestAccuracy >= 0.95) {
		t.Errorf("test accuracy: got %v, want ≥ 0.95", rep.TestAccuracy)
	}
	if rep.TestAccuracy != rep.History[2].TestAccuracy {
		t.Errorf("test accuracy: got %v, want the last epoch's %v", rep.TestAccuracy, rep.History[2].TestAccuracy)
	}
	// Progress goes to stderr, never to stdout.
	if !strings.Contains(r.stderr, "epoch 3/3") {
		t.Errorf("stderr %q: want it to contain %q", r.stderr, "epoch 3/3")
	}

	m, err := loadModel(model)
	if err != nil {
		t.Fatalf("loadModel: %v", err)
	}
	if got, want := m.Sizes(), []int{784, 32, 10}; !slices.Equal(got, want) {
		t.Errorf("saved model sizes: got %v, want %v", got, want)
	}

	svg, err := os.ReadFile(plot)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
	}
	for _, want := range []string{">epoch</text>", ">accuracy (%)</text>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG does not contain %q", want)
		}
	}
}

func TestTrainText(t *testing.T) {
	dir := fakeMNIST(t, 100, 20)
	plot := filepath.Join(t.TempDir(), "curves.png")
	// The seed recipe with one flag overridden.
	r := runArgs(t, "train", "-data", dir, "-layers", "784,16,10", "-recipe", "seed", "-epochs", "2", "-plot", plot)
	requireSuccess(t, r)
	for _, want := range []string{"normal init, lr 0.01, momentum 0, weight decay 0, batch 256", "epoch 1/2  loss ", "epoch 2/2  loss "} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr %q: want it to contain %q", r.stderr, want)
		}
	}
	if strings.Contains(r.stderr, "\r") {
		t.Errorf("a progress bar when stderr is not a terminal: stderr %q contains \\r", r.stderr)
	}
	if re := regexp.MustCompile(`^test accuracy \d+\.\d\d% after 2 epochs; training took`); !re.MatchString(r.stdout) {
		t.Errorf("stdout %q: want it to match %s", r.stdout, re)
	}
	f, err := os.Open(plot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decoding the PNG plot: %v", err)
	}
	if got := img.Bounds().Dx(); got != figW {
		t.Errorf("plot width: got %d, want %d", got, figW)
	}
	if got := img.Bounds().Dy(); got != figH {
		t.Errorf("plot height: got %d, want %d", got, figH)
	}
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
	for _, want := range []string{
		"epoch 2/2 [==============================] 100%  loss 0.2500  train 75.00%  ETA 0s",
		"\r\033[Kepoch 1/2  loss 0.5000  train 90.00%  test 80.00%  1.00 s\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("output %q: want it to contain %q", s, want)
		}
	}
	if !strings.HasSuffix(s, "\r\033[K") {
		t.Errorf("output %q: want it to end with %q", s, "\r\033[K")
	}
}

func trainBatch(epoch, batch int) train.Batch {
	return train.Batch{Epoch: epoch, Epochs: 2, Batch: batch, Batches: 4, Loss: 0.25, Correct: 3, Images: 4}
}
