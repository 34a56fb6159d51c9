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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// requireFailure checks the contract for errors: the given exit status and
// exactly one line on stderr, "simdkern: …" containing want.
func requireFailure(t *testing.T, r result, code int, want string) {
	t.Helper()
	require.Equal(t, code, r.code, "stderr: %s", r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	errLine := lines[len(lines)-1]
	assert.True(t, strings.HasPrefix(errLine, "simdkern: "), "last stderr line %q", errLine)
	assert.Contains(t, errLine, want)
	for _, l := range lines[:len(lines)-1] {
		// Only progress reports may come before the error.
		assert.True(t, strings.HasPrefix(l, "mnist: "), "stderr line %q before the error", l)
	}
	assert.NotContains(t, r.stderr, "goroutine ", "stack trace")
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
	require.NoError(t, writeFakeMNIST(dir, nTrain, nTest))
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
		require.NoError(t, writeFakeMNIST(fixture.dir, 500, 100))
		trainSet, testSet, err := mnist.LoadDir(fixture.dir)
		require.NoError(t, err)
		m, err := train.NewModel([]int{784, 32, 10}, train.He, 1)
		require.NoError(t, err)
		_, err = train.Train(context.Background(), m, train.Images(trainSet.Images, trainSet.Labels),
			train.Config{Epochs: 2, BatchSize: 50, LearningRate: 0.1, Momentum: 0.9})
		require.NoError(t, err)
		path := filepath.Join(fixture.dir, "fake.model")
		require.NoError(t, saveModel(path, m))
		fixture.modelPath, fixture.test, fixture.m = path, testSet, m
	})
	if fixture.m == nil {
		t.Fatal("the shared fixture failed in an earlier test")
	}
	return fixture.dir, fixture.modelPath
}

func TestUsage(t *testing.T) {
	r := runArgs(t)
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "usage: simdkern COMMAND")
	for _, c := range commands {
		assert.Contains(t, r.stderr, "\n  "+c.name+" ")
	}
	for _, h := range []string{"-h", "help", "--help"} {
		r = runArgs(t, h)
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stdout, "usage: simdkern COMMAND")
	}
	for _, c := range commands {
		r = runArgs(t, c.name, "-h")
		assert.Equal(t, 0, r.code, c.name)
		assert.Contains(t, r.stdout, "usage: simdkern "+c.name, c.name)
		assert.Empty(t, r.stderr, c.name)
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
	} else {
		require.NoError(t, err)
	}
	return result{out.String(), errb.String(), code}
}

func TestBadSIMDKERNCPU(t *testing.T) {
	r := runAsMain(t, []string{"SIMDKERN_CPU=avx9000"}, "cpu")
	requireFailure(t, r, 2, `SIMDKERN_CPU="avx9000" is not a variant`)
	assert.Empty(t, r.stdout)
	if !strings.Contains(strings.Join(kernels.Variants(), ","), "avx512") {
		r = runAsMain(t, []string{"SIMDKERN_CPU=avx512"}, "cpu")
		requireFailure(t, r, 2, "this CPU cannot run the avx512 variant")
	}
	r = runAsMain(t, []string{"SIMDKERN_CPU=generic"}, "cpu")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "(active: generic)")
}
