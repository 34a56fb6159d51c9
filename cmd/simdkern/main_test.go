package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/simdkern/simdkern/kernels"
	"github.com/simdkern/simdkern/mlp"
	"github.com/simdkern/simdkern/mlp/train"
	"github.com/simdkern/simdkern/mnist"
)

// asMain makes the test binary behave as the command, so that tests can
// run it with another environment (SIMDKERN_CPU is read at start-up) and
// bench can start it as its child.
const asMain = "SIMDKERN_TEST_AS_MAIN"

// userMNISTDir is $SIMDKERN_MNIST_DIR as the tests found it.
var userMNISTDir string

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
	}
	userMNISTDir = os.Getenv(mnistDirEnv)
	// No test may fetch MNIST: a directory given is the only source the
	// mnist package tries, and this one does not exist. TestEndToEnd
	// restores the user's setting.
	os.Setenv(mnistDirEnv, filepath.Join(os.TempDir(), "simdkern-test-no-such-dir"))
	dir, err := os.MkdirTemp("", "simdkern-cmd-test-")
	if err != nil {
		panic(err)
	}
	fixture.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one command line printed and returned.
type result struct {
	stdout, stderr string
	code           int
}

func runArgs(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return result{out.String(), errb.String(), code}
}

// requireSuccess stops the test unless the command exited with status 0.
func requireSuccess(t *testing.T, r result) {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("exit status: got %d, want 0; stderr: %s", r.code, r.stderr)
	}
}

// requireFailure checks the contract for errors: the given exit status and
// exactly one line on stderr, "simdkern: …" containing want.
func requireFailure(t *testing.T, r result, code int, want string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit status: got %d, want %d; stderr: %s", r.code, code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	errLine := lines[len(lines)-1]
	if !strings.HasPrefix(errLine, "simdkern: ") {
		t.Errorf("last stderr line %q: want prefix %q", errLine, "simdkern: ")
	}
	if !strings.Contains(errLine, want) {
		t.Errorf("last stderr line %q: want it to contain %q", errLine, want)
	}
	for _, l := range lines[:len(lines)-1] {
		// Only progress reports may come before the error.
		if !strings.HasPrefix(l, "mnist: ") {
			t.Errorf("stderr line %q before the error: want prefix %q", l, "mnist: ")
		}
	}
	if strings.Contains(r.stderr, "goroutine ") {
		t.Errorf("stderr has a stack trace (contains %q): %s", "goroutine ", r.stderr)
	}
}

// writeFakeMNIST writes into dir a small MNIST-shaped data set (raw IDX
// files, which the mnist package uses unverified) that an MLP learns in a
// few steps: digit d is a bright bar on rows 2d+3 and 2d+4 over dark noise.
func writeFakeMNIST(dir string, nTrain, nTest int) error {
	rng := uint32(1)
	noise := func() uint8 { rng = rng*1664525 + 1013904223; return uint8(rng >> 27) } // 0..31
	for _, part := range []struct {
		prefix string
		n      int
	}{{"train", nTrain}, {"t10k", nTest}} {
		images := binary.BigEndian.AppendUint32(nil, 0x803)
		for _, d := range []int{part.n, 28, 28} {
			images = binary.BigEndian.AppendUint32(images, uint32(d))
		}
		labels := binary.BigEndian.AppendUint32(nil, 0x801)
		labels = binary.BigEndian.AppendUint32(labels, uint32(part.n))
		for i := range part.n {
			d := i % 10
			for y := range 28 {
				for x := range 28 {
					v := noise()
					if (y == 2*d+3 || y == 2*d+4) && x >= 4 && x < 24 {
						v = 255 - v
					}
					images = append(images, v)
				}
			}
			labels = append(labels, uint8(d))
		}
		if err := os.WriteFile(filepath.Join(dir, part.prefix+"-images-idx3-ubyte"), images, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, part.prefix+"-labels-idx1-ubyte"), labels, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// fakeMNIST returns a fresh directory holding a fake data set.
func fakeMNIST(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	dir := t.TempDir()
	if err := writeFakeMNIST(dir, nTrain, nTest); err != nil {
		t.Fatalf("writeFakeMNIST: %v", err)
	}
	return dir
}

// fixture is a fake data set and a model trained on it, shared by the
// tests; TestMain removes its directory.
var fixture struct {
	once      sync.Once
	dir       string
	modelPath string
	test      *mnist.Set
	m         *mlp.Model
}

func sharedFixture(t *testing.T) (dataDir, modelPath string) {
	fixture.once.Do(func() {
		if err := writeFakeMNIST(fixture.dir, 500, 100); err != nil {
			t.Fatalf("writeFakeMNIST: %v", err)
		}
		trainSet, testSet, err := mnist.LoadDir(fixture.dir)
		if err != nil {
			t.Fatalf("mnist.LoadDir: %v", err)
		}
		m, err := train.NewModel([]int{784, 32, 10}, train.He, 1)
		if err != nil {
			t.Fatalf("train.NewModel: %v", err)
		}
		_, err = train.Train(context.Background(), m, train.Images(trainSet.Images, trainSet.Labels),
			train.Config{Epochs: 2, BatchSize: 50, LearningRate: 0.1, Momentum: 0.9})
		if err != nil {
			t.Fatalf("train.Train: %v", err)
		}
		path := filepath.Join(fixture.dir, "fake.model")
		if err := saveModel(path, m); err != nil {
			t.Fatalf("saveModel: %v", err)
		}
		fixture.modelPath, fixture.test, fixture.m = path, testSet, m
	})
	if fixture.m == nil {
		t.Fatal("the shared fixture failed in an earlier test")
	}
	return fixture.dir, fixture.modelPath
}

func TestUsage(t *testing.T) {
	r := runArgs(t)
	if r.code != 2 {
		t.Errorf("no arguments: exit status: got %d, want 2", r.code)
	}
	if !strings.Contains(r.stderr, "usage: simdkern COMMAND") {
		t.Errorf("no arguments: stderr %q: want it to contain %q", r.stderr, "usage: simdkern COMMAND")
	}
	for _, c := range commands {
		if want := "\n  " + c.name + " "; !strings.Contains(r.stderr, want) {
			t.Errorf("no arguments: stderr %q: want it to contain %q", r.stderr, want)
		}
	}
	for _, h := range []string{"-h", "help", "--help"} {
		r = runArgs(t, h)
		if r.code != 0 {
			t.Errorf("%s: exit status: got %d, want 0", h, r.code)
		}
		if !strings.Contains(r.stdout, "usage: simdkern COMMAND") {
			t.Errorf("%s: stdout %q: want it to contain %q", h, r.stdout, "usage: simdkern COMMAND")
		}
	}
	for _, c := range commands {
		r = runArgs(t, c.name, "-h")
		if r.code != 0 {
			t.Errorf("%s -h: exit status: got %d, want 0", c.name, r.code)
		}
		if want := "usage: simdkern " + c.name; !strings.Contains(r.stdout, want) {
			t.Errorf("%s -h: stdout %q: want it to contain %q", c.name, r.stdout, want)
		}
		if r.stderr != "" {
			t.Errorf("%s -h: stderr: got %q, want empty", c.name, r.stderr)
		}
	}
}

func TestUnknownCommandAndFlags(t *testing.T) {
	requireFailure(t, runArgs(t, "trian"), 2, `unknown command "trian"`)
	requireFailure(t, runArgs(t, "cpu", "-bogus"), 2, "flag provided but not defined: -bogus")
	requireFailure(t, runArgs(t, "cpu", "extra"), 2, `unexpected argument "extra"`)
	requireFailure(t, runArgs(t, "train", "-epochs", "ten"), 2, `invalid value "ten" for flag -epochs`)
}

// runAsMain runs the test binary as the command with extra environment.
func runAsMain(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), append([]string{asMain + "=1"}, env...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if errors.Is(err, syscall.ENOEXEC) {
		t.Skipf("the test binary cannot start itself (an emulator without binfmt_misc): %v", err)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", os.Args[0], err)
	}
	return result{out.String(), errb.String(), code}
}

func TestBadSIMDKERNCPU(t *testing.T) {
	r := runAsMain(t, []string{"SIMDKERN_CPU=avx9000"}, "cpu")
	requireFailure(t, r, 2, `SIMDKERN_CPU="avx9000" is not a variant`)
	if r.stdout != "" {
		t.Errorf("stdout: got %q, want empty", r.stdout)
	}
	if !strings.Contains(strings.Join(kernels.Variants(), ","), "avx512") {
		r = runAsMain(t, []string{"SIMDKERN_CPU=avx512"}, "cpu")
		requireFailure(t, r, 2, "this CPU cannot run the avx512 variant")
	}
	r = runAsMain(t, []string{"SIMDKERN_CPU=generic"}, "cpu")
	requireSuccess(t, r)
	if !strings.Contains(r.stdout, "(active: generic)") {
		t.Errorf("stdout %q: want it to contain %q", r.stdout, "(active: generic)")
	}
}
