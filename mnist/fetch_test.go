package mnist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeGoEnv, when set, makes the test binary act as the go command: it
// answers "go mod download -json" with the module directory given in the
// variable, or with an error when the variable is empty.
const fakeGoEnv = "SIMDKERN_MNIST_TEST_FAKE_GO"

func TestMain(m *testing.M) {
	if moduleDir, ok := os.LookupEnv(fakeGoEnv); ok {
		os.Exit(fakeGo(moduleDir))
	}
	os.Exit(m.Run())
}

func fakeGo(moduleDir string) int {
	want := []string{"mod", "download", "-json", ModulePath + "@" + ModuleVersion}
	if args := os.Args[1:]; !slices.Equal(args, want) {
		fmt.Fprintf(os.Stderr, "fake go: arguments %q, want %q\n", args, want)
		return 2
	}
	if os.Getenv("GOWORK") != "off" || os.Getenv("GOFLAGS") != "" {
		fmt.Fprintln(os.Stderr, "fake go: GOWORK or GOFLAGS not neutralised")
		return 2
	}
	if moduleDir == "" {
		json.NewEncoder(os.Stdout).Encode(map[string]string{"Path": ModulePath, "Error": "module lookup disabled by GOPROXY=off"})
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(map[string]string{"Path": ModulePath, "Dir": moduleDir})
	return 0
}

// fakeData holds the four gzipped fake files, by canonical name, and
// their checksums.
type fakeData struct {
	files map[string][]byte
	sums  map[string]string
}

func newFakeData(t testing.TB) fakeData {
	d := fakeData{
		files: map[string][]byte{
			TrainImagesFile: gzipped(t, imagesFile(5, 4, 3)),
			TrainLabelsFile: gzipped(t, labelsFile(5)),
			TestImagesFile:  gzipped(t, imagesFile(3, 4, 3)),
			TestLabelsFile:  gzipped(t, labelsFile(3)),
		},
		sums: map[string]string{},
	}
	for name, content := range d.files {
		sum := sha256.Sum256(content)
		d.sums[name] = hex.EncodeToString(sum[:])
	}
	return d
}

// writeGzip writes the four files into dir under their .gz names.
func (d fakeData) writeGzip(t testing.TB, dir string) {
	for name, content := range d.files {
		writeFile(t, filepath.Join(dir, name), content)
	}
}

// writeRaw writes the four files into dir uncompressed, under their raw
// names.
func (d fakeData) writeRaw(t *testing.T, dir string) {
	for name, content := range d.files {
		writeFile(t, filepath.Join(dir, strings.TrimSuffix(name, ".gz")), uncompressed(t, content))
	}
}

// offline returns options that use only the given directories, so that
// tests touch neither the user's cache nor the network.
func offline(t *testing.T, d fakeData) Options {
	t.Setenv(EnvDir, "")
	return Options{
		CacheDir:    t.TempDir(),
		SkipModule:  true,
		SkipMirrors: true,
		Checksums:   d.sums,
		Timeout:     10 * time.Second,
	}
}

func checkFakeSets(t *testing.T, train, test *Set) {
	t.Helper()
	assert.Equal(t, 5, train.Len())
	assert.Equal(t, 3, test.Len())
	assert.Equal(t, fakePixels(5, 4, 3), train.Images)
	assert.Equal(t, fakeLabels(3), test.Labels)
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if !errors.Is(err, os.ErrNotExist) {
		require.NoError(t, err)
	}
	assert.Empty(t, entries)
}

func TestOpenDir(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	opts := offline(t, d)
	opts.Dir = dir
	var progress bytes.Buffer
	opts.Progress = &progress
	train, test, err := Open(context.Background(), opts)
	require.NoError(t, err)
	checkFakeSets(t, train, test)
	assert.Contains(t, progress.String(), "mnist: verified "+filepath.Join(dir, TrainImagesFile)+"\n")
	assertEmpty(t, opts.CacheDir)
}

func TestOpenDirFromEnv(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeRaw(t, dir)
	opts := offline(t, d)
	t.Setenv(EnvDir, dir)
	var progress bytes.Buffer
	opts.Progress = &progress
	train, test, err := Open(context.Background(), opts)
	require.NoError(t, err)
	checkFakeSets(t, train, test)
	assert.Contains(t, progress.String(), "from $"+EnvDir)
	assert.Contains(t, progress.String(), "t10k-labels-idx1-ubyte: raw file, no canonical checksum to verify")
}

// TestFetchDirIsTheOnlySource checks that a bad given directory is an
// error even though the cache holds good files.
func TestFetchDirIsTheOnlySource(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	d.writeGzip(t, opts.CacheDir)
	opts.Dir = t.TempDir()
	d.writeGzip(t, opts.Dir)
	require.NoError(t, os.Remove(filepath.Join(opts.Dir, TestLabelsFile)))
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, fmt.Sprintf("mnist: %s holds neither %s nor %s",
		opts.Dir, TestLabelsFile, strings.TrimSuffix(TestLabelsFile, ".gz")))
}

func TestFetchEnvDirMissing(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	dir := filepath.Join(t.TempDir(), "absent")
	t.Setenv(EnvDir, dir)
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, fmt.Sprintf("mnist: %s holds neither %s nor %s (directory from $%s)",
		dir, TrainImagesFile, strings.TrimSuffix(TrainImagesFile, ".gz"), EnvDir))
}

func TestFetchDirChecksumMismatch(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, TrainLabelsFile), gzipped(t, labelsFile(5)[:12]))
	opts := offline(t, d)
	opts.Dir = dir
	_, err := Fetch(context.Background(), opts)
	var sumErr *ChecksumError
	require.ErrorAs(t, err, &sumErr)
	assert.Equal(t, filepath.Join(dir, TrainLabelsFile), sumErr.File)
	assert.Equal(t, d.sums[TrainLabelsFile], sumErr.Want)
	assert.NotEqual(t, sumErr.Want, sumErr.Got)
	assert.EqualError(t, err, fmt.Sprintf("mnist: %s: SHA-256 %s, want %s",
		sumErr.File, sumErr.Got, sumErr.Want))
}

// TestFetchDirPrefersGzip checks that the gzipped file, which can be
// verified, wins over a raw file of the same name.
func TestFetchDirPrefersGzip(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, "train-images-idx3-ubyte"), []byte("not an IDX file"))
	opts := offline(t, d)
	opts.Dir = dir
	train, test, err := Open(context.Background(), opts)
	require.NoError(t, err)
	checkFakeSets(t, train, test)
}

func TestLoadDirShapeMismatch(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, TestImagesFile), imagesFile(3, 3, 4))
	_, _, err := LoadDir(dir)
	assert.EqualError(t, err, "mnist: "+dir+": training images are 4×3 but test images are 3×4")
}

func TestLoadDirBadFile(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, TestLabelsFile), labelsFile(4))
	_, _, err := LoadDir(dir)
	assert.ErrorContains(t, err, "holds 3 images but")
}

func TestChecksumsOption(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	opts.Checksums = map[string]string{TrainImagesFile: d.sums[TrainImagesFile]}
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, `mnist: Options.Checksums["train-labels-idx1-ubyte.gz"] = "" is not a hex SHA-256`)
}

func TestFetchCache(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	d.writeGzip(t, opts.CacheDir)
	opts.SkipMirrors = false
	opts.Mirrors = []string{unusedServer(t).URL}
	var progress bytes.Buffer
	opts.Progress = &progress
	dir, err := Fetch(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, opts.CacheDir, dir)
	assert.Equal(t, "mnist: using verified files in "+dir+"\n", progress.String())
}

// unusedServer fails the test if any request reaches it.
func unusedServer(t *testing.T) *httptest.Server {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request for %s", r.URL)
	}))
	t.Cleanup(server.Close)
	return server
}

func TestFetchNothing(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, "mnist: no data: dir: none given and "+EnvDir+" unset; cache "+opts.CacheDir+
		": empty; go module: skipped; mirrors: skipped")
}

// moduleDir lays out a fake module whose data/ directory is read-only, as
// in the module cache, and makes the test binary the go command.
func fakeModule(t *testing.T, d fakeData, opts *Options) string {
	moduleDir := t.TempDir()
	data := filepath.Join(moduleDir, "data")
	require.NoError(t, os.Mkdir(data, 0o755))
	d.writeGzip(t, data)
	for name := range d.files {
		require.NoError(t, os.Chmod(filepath.Join(data, name), 0o444))
	}
	executable, err := os.Executable()
	require.NoError(t, err)
	// Under user-mode emulation (qemu-aarch64 as -exec) the test binary
	// cannot be started as a child process.
	if err := exec.Command(executable, "-test.run=^$").Run(); errors.Is(err, syscall.ENOEXEC) {
		t.Skipf("cannot run the test binary as the go command here: %v", err)
	}
	opts.GoCommand = executable
	opts.SkipModule = false
	t.Setenv(fakeGoEnv, moduleDir)
	return data
}

func TestFetchModule(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	data := fakeModule(t, d, &opts)
	var progress bytes.Buffer
	opts.Progress = &progress
	train, test, err := Open(context.Background(), opts)
	require.NoError(t, err)
	checkFakeSets(t, train, test)
	assert.Contains(t, progress.String(), "mnist: downloading module "+ModulePath+"@"+ModuleVersion+"\n")
	assert.Contains(t, progress.String(), "mnist: verified "+TestImagesFile+"\n")
	for name, content := range d.files {
		cached, err := os.ReadFile(filepath.Join(opts.CacheDir, name))
		require.NoError(t, err)
		assert.Equal(t, content, cached)
		_, err = os.Stat(filepath.Join(data, name))
		assert.NoError(t, err, "the module cache must be left as it was")
	}
	// The next call finds the cache and runs no go command.
	t.Setenv(fakeGoEnv, "")
	dir, err := Fetch(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, opts.CacheDir, dir)
}

func TestFetchModuleWithoutCache(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	data := fakeModule(t, d, &opts)
	notDir := filepath.Join(t.TempDir(), "file")
	writeFile(t, notDir, nil)
	opts.CacheDir = filepath.Join(notDir, "cache")
	var progress bytes.Buffer
	opts.Progress = &progress
	dir, err := Fetch(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, data, dir)
	assert.Contains(t, progress.String(), "cannot cache the files")
}

func TestFetchModuleChecksumMismatch(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	data := fakeModule(t, d, &opts)
	good := d.sums[TestImagesFile]
	d.sums[TestImagesFile] = strings.Repeat("0", 64)
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, "mnist: no data: dir: none given and "+EnvDir+" unset; cache "+opts.CacheDir+
		": empty; go module "+ModulePath+"@"+ModuleVersion+": "+filepath.Join(data, TestImagesFile)+
		": SHA-256 "+good+", want "+d.sums[TestImagesFile]+"; mirrors: skipped")
	_, err = os.Stat(filepath.Join(opts.CacheDir, TestImagesFile))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestFetchModuleError(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	fakeModule(t, d, &opts)
	t.Setenv(fakeGoEnv, "")
	_, err := Fetch(context.Background(), opts)
	assert.ErrorContains(t, err, "; go module "+ModulePath+"@"+ModuleVersion+": module lookup disabled by GOPROXY=off; mirrors: skipped")
}

func TestFetchModuleNoGoCommand(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	opts.SkipModule = false
	opts.GoCommand = filepath.Join(t.TempDir(), "no-go")
	_, err := Fetch(context.Background(), opts)
	assert.ErrorContains(t, err, "; go module "+ModulePath+"@"+ModuleVersion+": "+opts.GoCommand+": ")
}

// mirror serves the fake files, or what serve decides, and counts requests.
type mirror struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

func newMirror(t *testing.T, d fakeData, serve func(w http.ResponseWriter, r *http.Request, name string) bool) *mirror {
	m := &mirror{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/mnist/")
		m.mu.Lock()
		m.requests = append(m.requests, name)
		m.mu.Unlock()
		if serve != nil && serve(w, r, name) {
			return
		}
		content, ok := d.files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(content)
	}))
	t.Cleanup(m.Close)
	return m
}

func (m *mirror) base() string { return m.URL + "/mnist/" }

func (m *mirror) served() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.requests)
}

func mirrorOptions(t *testing.T, d fakeData, mirrors ...*mirror) Options {
	opts := offline(t, d)
	opts.SkipMirrors = false
	for _, m := range mirrors {
		opts.Mirrors = append(opts.Mirrors, m.base())
	}
	return opts
}

func TestFetchMirror(t *testing.T) {
	d := newFakeData(t)
	m := newMirror(t, d, nil)
	opts := mirrorOptions(t, d, m)
	var progress bytes.Buffer
	opts.Progress = &progress
	train, test, err := Open(context.Background(), opts)
	require.NoError(t, err)
	checkFakeSets(t, train, test)
	assert.ElementsMatch(t, fileNames, m.served())
	assert.Contains(t, progress.String(), "mnist: downloading "+m.base()+TrainImagesFile+"\n")
	assert.Contains(t, progress.String(), "mnist: verified "+TrainImagesFile+"\n")
	assert.Regexp(t, `mnist: train-images-idx3-ubyte.gz: 0\.0 of 0\.0 MB`, progress.String())
	entries, err := os.ReadDir(opts.CacheDir)
	require.NoError(t, err)
	assert.Len(t, entries, len(fileNames), "no temporary file may remain")
}

// TestFetchMirrorRepairsCache checks that a corrupt cached file is
// downloaded again, and only that one.
func TestFetchMirrorRepairsCache(t *testing.T) {
	d := newFakeData(t)
	m := newMirror(t, d, nil)
	opts := mirrorOptions(t, d, m)
	d.writeGzip(t, opts.CacheDir)
	writeFile(t, filepath.Join(opts.CacheDir, TrainLabelsFile), []byte("corrupt"))
	_, _, err := Open(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, []string{TrainLabelsFile}, m.served())
}

func TestFetchMirrorFallsBack(t *testing.T) {
	d := newFakeData(t)
	broken := newMirror(t, d, func(w http.ResponseWriter, r *http.Request, name string) bool {
		http.Error(w, "gone", http.StatusGone)
		return true
	})
	good := newMirror(t, d, nil)
	opts := mirrorOptions(t, d, broken, good)
	dir, err := Fetch(context.Background(), opts)
	require.NoError(t, err)
	assert.Equal(t, opts.CacheDir, dir)
	assert.Len(t, broken.served(), len(fileNames))
	assert.Len(t, good.served(), len(fileNames))
}

func TestFetchMirrorErrors(t *testing.T) {
	d := newFakeData(t)
	for _, tc := range []struct {
		name    string
		maxSize int64
		serve   func(w http.ResponseWriter, r *http.Request, name string) bool
		want    string
	}{
		{"not found", 0, func(w http.ResponseWriter, r *http.Request, name string) bool {
			http.NotFound(w, r)
			return true
		}, ": HTTP 404 Not Found"},
		{"wrong checksum", 0, func(w http.ResponseWriter, r *http.Request, name string) bool {
			w.Write(gzipped(t, []byte("something else")))
			return true
		}, ": SHA-256 "},
		{"truncated body", 0, func(w http.ResponseWriter, r *http.Request, name string) bool {
			content := d.files[name]
			w.Header().Set("Content-Length", fmt.Sprint(len(content)))
			w.Write(content[:10])
			return true
		}, ": body truncated after 10 bytes: unexpected EOF"},
		{"declared too large", 20, nil, " bytes, more than the 20-byte limit"},
		{"streamed too large", 20, func(w http.ResponseWriter, r *http.Request, name string) bool {
			w.Write(d.files[name][:15])
			w.(http.Flusher).Flush() // no Content-Length from here on
			w.Write(d.files[name][15:])
			return true
		}, ": more than the 20-byte limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMirror(t, d, tc.serve)
			opts := mirrorOptions(t, d, m)
			opts.MaxDownloadBytes = tc.maxSize
			_, err := Fetch(context.Background(), opts)
			require.Error(t, err)
			prefix := "mnist: no data: dir: none given and " + EnvDir + " unset; cache " + opts.CacheDir +
				": empty; go module: skipped; " + m.base() + TrainImagesFile
			assert.True(t, strings.HasPrefix(err.Error(), prefix), err.Error())
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, []string{TrainImagesFile}, m.served(), "the other files are not tried")
			assertEmpty(t, opts.CacheDir)
		})
	}
}

func TestFetchMirrorTimeout(t *testing.T) {
	d := newFakeData(t)
	m := newMirror(t, d, func(w http.ResponseWriter, r *http.Request, name string) bool {
		<-r.Context().Done()
		return true
	})
	opts := mirrorOptions(t, d, m)
	opts.Timeout = 50 * time.Millisecond
	_, err := Fetch(context.Background(), opts)
	assert.ErrorContains(t, err, m.base()+TrainImagesFile+": context deadline exceeded")
}

func TestFetchCanceled(t *testing.T) {
	d := newFakeData(t)
	opts := mirrorOptions(t, d, newMirror(t, d, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, opts)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestFetchEverySourceFails(t *testing.T) {
	d := newFakeData(t)
	m := newMirror(t, d, func(w http.ResponseWriter, r *http.Request, name string) bool {
		http.NotFound(w, r)
		return true
	})
	opts := mirrorOptions(t, d, m)
	fakeModule(t, d, &opts)
	t.Setenv(fakeGoEnv, "")
	_, err := Fetch(context.Background(), opts)
	assert.EqualError(t, err, "mnist: no data: dir: none given and "+EnvDir+" unset; cache "+opts.CacheDir+
		": empty; go module "+ModulePath+"@"+ModuleVersion+": module lookup disabled by GOPROXY=off; "+
		m.base()+TrainImagesFile+": HTTP 404 Not Found")
}
