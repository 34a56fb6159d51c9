package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// idxFile builds an IDX file: magic, one big-endian uint32 per dimension,
// then data.
func idxFile(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	binary.Write(&b, binary.BigEndian, dims)
	b.Write(data)
	return b.Bytes()
}

func gzipped(t testing.TB, raw []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(raw); err != nil {
		t.Fatalf("gzip Write: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("gzip Close: %v", err)
	}
	return b.Bytes()
}

// fakePixels returns n images of rows×cols pixels, every byte distinct in
// its position so that any misplaced byte shows.
func fakePixels(n, rows, cols int) []byte {
	pixels := make([]byte, n*rows*cols)
	for i := range pixels {
		pixels[i] = byte(i*7 + i/251)
	}
	return pixels
}

func fakeLabels(n int) []byte {
	labels := make([]byte, n)
	for i := range labels {
		labels[i] = byte((i * 3) % 10)
	}
	return labels
}

func imagesFile(n, rows, cols int) []byte {
	return idxFile(magicImages, []uint32{uint32(n), uint32(rows), uint32(cols)}, fakePixels(n, rows, cols))
}

func labelsFile(n int) []byte {
	return idxFile(magicLabels, []uint32{uint32(n)}, fakeLabels(n))
}

// encodings runs f on the raw file and on its gzipped form.
func encodings(t *testing.T, raw []byte, f func(t *testing.T, file []byte)) {
	t.Run("raw", func(t *testing.T) { f(t, raw) })
	t.Run("gzip", func(t *testing.T) { f(t, gzipped(t, raw)) })
}

func TestReadImages(t *testing.T) {
	encodings(t, imagesFile(5, 4, 3), func(t *testing.T, file []byte) {
		pixels, rows, cols, err := ReadImages(bytes.NewReader(file))
		if err != nil {
			t.Fatalf("ReadImages: %v", err)
		}
		if rows != 4 {
			t.Errorf("rows: got %d, want 4", rows)
		}
		if cols != 3 {
			t.Errorf("cols: got %d, want 3", cols)
		}
		if want := fakePixels(5, 4, 3); !bytes.Equal(pixels, want) {
			t.Errorf("pixels: got %v, want %v", pixels, want)
		}
	})
}

// TestReadImagesLarge crosses the first chunk and several doublings of the
// data buffer.
func TestReadImagesLarge(t *testing.T) {
	encodings(t, imagesFile(1000, 28, 28), func(t *testing.T, file []byte) {
		pixels, _, _, err := ReadImages(bytes.NewReader(file))
		if err != nil {
			t.Fatalf("ReadImages: %v", err)
		}
		if want := fakePixels(1000, 28, 28); !bytes.Equal(pixels, want) {
			t.Errorf("pixels: got %d bytes, want %d bytes; they differ", len(pixels), len(want))
		}
	})
}

func TestReadLabels(t *testing.T) {
	encodings(t, labelsFile(25), func(t *testing.T, file []byte) {
		labels, err := ReadLabels(bytes.NewReader(file))
		if err != nil {
			t.Fatalf("ReadLabels: %v", err)
		}
		if want := fakeLabels(25); !bytes.Equal(labels, want) {
			t.Errorf("labels: got %v, want %v", labels, want)
		}
	})
}

func TestReadEmptySet(t *testing.T) {
	set, err := ReadSet(bytes.NewReader(imagesFile(0, 28, 28)), bytes.NewReader(labelsFile(0)))
	if err != nil {
		t.Fatalf("ReadSet: %v", err)
	}
	if got := set.Len(); got != 0 {
		t.Errorf("Len: got %d, want 0", got)
	}
	if set.Rows != 28 {
		t.Errorf("Rows: got %d, want 28", set.Rows)
	}
}

func TestReadSet(t *testing.T) {
	set, err := ReadSet(bytes.NewReader(gzipped(t, imagesFile(6, 2, 5))), bytes.NewReader(labelsFile(6)))
	if err != nil {
		t.Fatalf("ReadSet: %v", err)
	}
	if got := set.Len(); got != 6 {
		t.Errorf("Len: got %d, want 6", got)
	}
	if want := fakeLabels(6); !bytes.Equal(set.Labels, want) {
		t.Errorf("Labels: got %v, want %v", set.Labels, want)
	}
	for i := range set.Len() {
		image := set.Image(i)
		if want := fakePixels(6, 2, 5)[i*10 : (i+1)*10]; !bytes.Equal(image, want) {
			t.Errorf("Image(%d): got %v, want %v", i, image, want)
		}
		if got := cap(image); got != 10 {
			t.Errorf("cap(Image(%d)): got %d, want 10; an image must not reach into the next one", i, got)
		}
	}
}

func TestReadSetCountMismatch(t *testing.T) {
	_, err := ReadSet(bytes.NewReader(imagesFile(6, 2, 5)), bytes.NewReader(labelsFile(5)))
	const want = "mnist: images holds 6 images but labels holds 5 labels"
	if err == nil || err.Error() != want {
		t.Errorf("ReadSet error: got %v, want %q", err, want)
	}
}

func TestFloat32(t *testing.T) {
	set := &Set{Rows: 1, Cols: 4, Images: []uint8{0, 51, 128, 255}, Labels: []uint8{1}}
	want := []float32{0, 0.2, 128.0 / 255, 1}
	if got := set.Float32(); !slices.Equal(got, want) {
		t.Errorf("Float32: got %v, want %v", got, want)
	}
}

func TestReadErrors(t *testing.T) {
	images := imagesFile(2, 2, 3)
	labels := labelsFile(4)
	badLabel := idxFile(magicLabels, []uint32{4}, []byte{0, 9, 3, 10})
	for _, tc := range []struct {
		name   string
		labels bool // read with ReadLabels, else ReadImages
		file   []byte
		want   string
	}{
		{"empty", false, nil, "reading magic number: truncated header"},
		{"short magic", false, []byte{0, 0, 8}, "reading magic number: truncated header"},
		{"unknown magic", false, idxFile(0x00000903, []uint32{1, 1, 1}, []byte{0}),
			"magic number 0x00000903, want 0x00000803 (uint8 images, 3 dimensions)"},
		{"float images", false, idxFile(0x00000d03, []uint32{1, 1, 1}, []byte{0, 0, 0, 0}), "magic number 0x00000d03"},
		{"labels as images", false, labels, "magic number 0x00000801, want 0x00000803"},
		{"images as labels", true, images, "magic number 0x00000803, want 0x00000801 (uint8 labels, 1 dimension)"},
		{"short dimensions", false, images[:10], "reading dimensions: truncated header"},
		{"no label count", true, labels[:6], "reading dimensions: truncated header"},
		{"zero rows", false, idxFile(magicImages, []uint32{1, 0, 3}, nil), "image dimensions [0 3]: rows and cols must be positive"},
		{"zero cols", false, idxFile(magicImages, []uint32{1, 3, 0}, nil), "rows and cols must be positive"},
		{"over the limit", false, idxFile(magicImages, []uint32{1 << 21, 32, 16 + 1}, nil),
			"dimensions [2097152 32 17] declare more than 1073741824 bytes of data"},
		{"overflow", false, idxFile(magicImages, []uint32{1<<32 - 1, 1<<32 - 1, 1<<32 - 1}, nil), "declare more than"},
		{"too many labels", true, idxFile(magicLabels, []uint32{MaxDataBytes + 1}, nil), "declare more than"},
		{"truncated images", false, images[:len(images)-1], "truncated: header declares 12 bytes of data, file holds 11"},
		{"no image data", false, images[:16], "truncated: header declares 12 bytes of data, file holds 0"},
		{"truncated labels", true, labels[:len(labels)-2], "truncated: header declares 4 bytes of data, file holds 2"},
		{"trailing image data", false, append(images[:len(images):len(images)], 0), "trailing data after the 12 bytes the header declares"},
		{"trailing label data", true, append(labels[:len(labels):len(labels)], 1, 2), "trailing data after the 4 bytes"},
		{"label over 9", true, badLabel, "label 10 at index 3 is not a digit 0..9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			encodings(t, tc.file, func(t *testing.T, file []byte) {
				var err error
				prefix := "mnist: images: "
				if tc.labels {
					prefix = "mnist: labels: "
					_, err = ReadLabels(bytes.NewReader(file))
				} else {
					_, _, _, err = ReadImages(bytes.NewReader(file))
				}
				if err == nil {
					t.Fatalf("got no error, want one containing %q", tc.want)
				}
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error %q: want prefix %q", err, prefix)
				}
				if !strings.Contains(err.Error(), tc.want) {
					t.Errorf("error %q: want it to contain %q", err, tc.want)
				}
			})
		})
	}
}

func TestReadGzipErrors(t *testing.T) {
	valid := gzipped(t, imagesFile(3, 4, 4))
	badCRC := bytes.Clone(valid)
	badCRC[len(badCRC)-8] ^= 1 // the CRC-32 precedes the 4-byte size in the trailer
	for _, tc := range []struct {
		name string
		file []byte
		want string
	}{
		{"bad header", []byte{0x1f, 0x8b, 0, 0, 0}, "mnist: images: gzip: truncated header"},
		{"unknown method", []byte{0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0}, "mnist: images: gzip: invalid header"},
		{"cut stream", valid[:len(valid)/2], "truncated: header declares 48 bytes of data"},
		{"no trailer", valid[:len(valid)-8], "after the data: unexpected EOF"},
		{"bad CRC", badCRC, "after the data: gzip: invalid checksum"},
		{"garbage after stream", append(bytes.Clone(valid), 'x', 'y'), "after the data: "},
		{"second stream", append(bytes.Clone(valid), gzipped(t, []byte{1})...), "trailing data"},
	} {
		_, _, _, err := ReadImages(bytes.NewReader(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestLyingHeaderAllocatesLittle reads a header that declares 1 GiB of
// pixels followed by a few bytes: the reader must fail having allocated
// only in proportion to what it read.
func TestLyingHeaderAllocatesLittle(t *testing.T) {
	lying := idxFile(magicImages, []uint32{1 << 20, 32, 32}, make([]byte, 100))
	encodings(t, lying, func(t *testing.T, file []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, _, err := ReadImages(bytes.NewReader(file))
		runtime.ReadMemStats(&after)
		const want = "truncated: header declares 1073741824 bytes of data, file holds 100"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadImages: got error %v, want one containing %q", err, want)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got >= 1<<20 {
			t.Errorf("allocated %d bytes, want less than %d", got, 1<<20)
		}
	})
}

func writeFile(t testing.TB, path string, content []byte) {
	t.Helper()
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSet(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "images"), gzipped(t, imagesFile(3, 2, 2)))
	writeFile(t, filepath.Join(dir, "labels"), labelsFile(3))
	set, err := LoadSet(filepath.Join(dir, "images"), filepath.Join(dir, "labels"))
	if err != nil {
		t.Fatalf("LoadSet: %v", err)
	}
	if want := fakePixels(3, 2, 2); !bytes.Equal(set.Images, want) {
		t.Errorf("Images: got %v, want %v", set.Images, want)
	}
	if want := fakeLabels(3); !bytes.Equal(set.Labels, want) {
		t.Errorf("Labels: got %v, want %v", set.Labels, want)
	}

	_, err = LoadSet(filepath.Join(dir, "images"), filepath.Join(dir, "nothing"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadSet with missing labels: got error %v, want os.ErrNotExist", err)
	}
	_, err = LoadSet(filepath.Join(dir, "nothing"), filepath.Join(dir, "labels"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadSet with missing images: got error %v, want os.ErrNotExist", err)
	}

	writeFile(t, filepath.Join(dir, "four labels"), labelsFile(4))
	_, err = LoadSet(filepath.Join(dir, "images"), filepath.Join(dir, "four labels"))
	if want := "images holds 3 images but " + filepath.Join(dir, "four labels") + " holds 4 labels"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadSet with 4 labels: got error %v, want one containing %q", err, want)
	}

	_, err = LoadSet(filepath.Join(dir, "labels"), filepath.Join(dir, "labels"))
	if want := "mnist: " + filepath.Join(dir, "labels") + ": magic number 0x00000801"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadSet of labels as images: got error %v, want one containing %q", err, want)
	}
	_, err = LoadSet(filepath.Join(dir, "images"), filepath.Join(dir, "images"))
	if want := "mnist: " + filepath.Join(dir, "images") + ": magic number 0x00000803"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("LoadSet of images as labels: got error %v, want one containing %q", err, want)
	}
}

func FuzzReadIDX(f *testing.F) {
	images := imagesFile(3, 2, 4)
	labels := labelsFile(7)
	for _, seed := range [][]byte{
		images, labels, gzipped(f, images), gzipped(f, labels),
		images[:20], labels[:9], append(bytes.Clone(labels), 0),
		idxFile(magicImages, []uint32{1 << 20, 32, 32}, nil),
		idxFile(magicLabels, []uint32{3}, []byte{1, 12, 3}),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		pixels, rows, cols, err := ReadImages(bytes.NewReader(file))
		if err == nil {
			if rows <= 0 {
				t.Fatalf("rows: got %d, want > 0", rows)
			}
			if cols <= 0 {
				t.Fatalf("cols: got %d, want > 0", cols)
			}
			n := int(binary.BigEndian.Uint32(uncompressed(t, file)[4:]))
			if len(pixels) != n*rows*cols {
				t.Fatalf("len(pixels): got %d, want %d×%d×%d = %d", len(pixels), n, rows, cols, n*rows*cols)
			}
		}
		labels, err := ReadLabels(bytes.NewReader(file))
		if err == nil {
			for i, l := range labels {
				if l > 9 {
					t.Fatalf("label %d: got %d, want <= 9", i, l)
				}
			}
		}
		runtime.ReadMemStats(&after)
		// Raw input bounds the data read; gzip input can legitimately
		// expand a thousandfold.
		if !bytes.HasPrefix(file, []byte{0x1f, 0x8b}) {
			if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(512<<10+4*len(file)); got >= limit {
				t.Fatalf("allocated %d bytes, want less than %d", got, limit)
			}
		}
	})
}

func uncompressed(t *testing.T, file []byte) []byte {
	if !bytes.HasPrefix(file, []byte{0x1f, 0x8b}) {
		return file
	}
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("gzip.NewReader: %v", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("reading gzip stream: %v", err)
	}
	return raw
}

// BenchmarkReadImages reads 60000 gzipped 28×28 images shaped like MNIST:
// a blank background around a blurred stroke.
func BenchmarkReadImages(b *testing.B) {
	const n, side = 60000, 28
	rng := rand.New(rand.NewPCG(1, 2))
	pixels := make([]byte, n*side*side)
	for i := range n {
		image := pixels[i*side*side : (i+1)*side*side]
		x, y := 8+rng.IntN(12), 8+rng.IntN(12)
		for step := range 40 {
			x = min(max(x+rng.IntN(3)-1, 4), side-5)
			y = min(max(y+rng.IntN(3)-1, 4), side-5)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					image[(y+dy)*side+x+dx] = byte(max(int(image[(y+dy)*side+x+dx]), 255-step*2-40*(dx*dx+dy*dy)))
				}
			}
		}
	}
	file := gzipped(b, idxFile(magicImages, []uint32{n, side, side}, pixels))
	b.SetBytes(int64(len(pixels)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := ReadImages(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadDir loads the real data from $SIMDKERN_MNIST_DIR.
func BenchmarkLoadDir(b *testing.B) {
	dir := os.Getenv(EnvDir)
	if dir == "" {
		b.Skip("set " + EnvDir + " to a directory holding the MNIST files")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := LoadDir(dir); err != nil {
			b.Fatal(err)
		}
	}
}
