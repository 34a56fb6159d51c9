package mlp

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/simdkern/simdkern/internal/testutil"
)

func saved(t testing.TB, m *Model) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The format, byte for byte, for a 2-1 model.
func TestFileLayout(t *testing.T) {
	m, err := New(2, 1)
	if err != nil {
		t.Fatal(err)
	}
	copy(m.Params(), []float32{1, -2, 0.5})
	body := "53494d444b4d4c50" + // "SIMDKMLP"
		"01000000" + "02000000" + "02000000" + "01000000" + // version 1, 2 sizes: 2, 1
		"0000803f" + "000000c0" + "0000003f" // 1, -2 (weights), 0.5 (bias)
	raw, _ := hex.DecodeString(body)
	want := hex.EncodeToString(binary.LittleEndian.AppendUint32(raw, crc32.ChecksumIEEE(raw)))
	if got := hex.EncodeToString(saved(t, m)); got != want {
		t.Errorf("file\n%s, want\n%s", got, want)
	}
}

func TestSaveLoad(t *testing.T) {
	m := testModel(t, 7, 1, 40, 20000, 3, 2) // more parameters than one chunk
	m.Params()[5] = float32(math.Copysign(0, -1))
	m.Params()[6] = math.Float32frombits(0x7fc00123) // a NaN payload survives
	file := saved(t, m)
	got, err := Load(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if d := testutil.Diff(m.Params(), got.Params()); d != "" || !bytes.Equal(saved(t, got), file) {
		t.Fatalf("round trip changed the model: %s", d)
	}
	if math.Float32bits(got.Params()[6]) != 0x7fc00123 {
		t.Error("NaN payload lost")
	}
	// A reader that returns one byte at a time.
	if _, err := Load(iotest.OneByteReader(bytes.NewReader(file))); err != nil {
		t.Errorf("one byte at a time: %v", err)
	}
}

func TestSaveWriterError(t *testing.T) {
	m := testModel(t, 1, 1, 3, 2)
	for n := range len(saved(t, m)) {
		w := &limitedWriter{n: n}
		if err := m.Save(w); !errors.Is(err, errFull) {
			t.Errorf("writer failing after %d bytes: error %v", n, err)
		}
	}
}

var errFull = errors.New("disk full")

type limitedWriter struct{ n int }

func (w *limitedWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

// header returns a file start with the given version and sizes.
func header(version uint32, sizes ...uint32) []byte {
	b := []byte(magic)
	b = binary.LittleEndian.AppendUint32(b, version)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(sizes)))
	for _, s := range sizes {
		b = binary.LittleEndian.AppendUint32(b, s)
	}
	return b
}

// withCRC appends the right checksum.
func withCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

func TestLoadErrors(t *testing.T) {
	good := saved(t, testModel(t, 1, 1, 3, 2))
	flipped := bytes.Clone(good)
	flipped[30] ^= 1
	for _, tc := range []struct {
		name, file, want string
	}{
		{"empty", "", "truncated"},
		{"magic", "SIMDKMLQ" + string(good[8:]), "bad magic"},
		{"version", string(withCRC(header(2, 3, 2))), "version 2"},
		{"one size", string(withCRC(header(1, 3))), "1 layer sizes"},
		{"too many sizes", string(header(1, make([]uint32, MaxLayers+2)...)), "66 layer sizes"},
		{"huge count", string(header(1)[:12]) + "\xff\xff\xff\xff", "4294967295 layer sizes"},
		{"zero width", string(header(1, 3, 0)), "layer size 1 is 0"},
		{"wide", string(header(1, 3, MaxWidth+1)), "layer size 1 is 65537"},
		{"negative", string(header(1, 3, 1<<31)), "layer size 1 is"},
		{"too many params", string(header(1, MaxWidth, MaxWidth)), "parameters"},
		{"checksum", string(flipped), "checksum"},
		{"trailing", string(good) + "x", "trailing data"},
	} {
		_, err := Load(strings.NewReader(tc.file))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrFormat with %q", tc.name, err, tc.want)
		}
	}
	for n := range len(good) {
		if _, err := Load(bytes.NewReader(good[:n])); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("truncated to %d bytes: error %v", n, err)
		}
	}
	for n := range len(good) + 1 {
		r := io.MultiReader(bytes.NewReader(good[:n]), iotest.ErrReader(errFull))
		if _, err := Load(r); !errors.Is(err, errFull) || errors.Is(err, ErrFormat) {
			t.Errorf("reader failing after %d bytes: error %v", n, err)
		}
	}
}

// A header announcing 2^28 parameters followed by 1 MiB costs about 2 MiB,
// not the 1 GiB it claims.
func TestLoadLyingHeader(t *testing.T) {
	file := append(header(1, 16384, 16383), make([]byte, 1<<20)...)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Load(bytes.NewReader(file))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrFormat) {
		t.Fatalf("error %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
		t.Errorf("Load allocated %d bytes for a 1 MiB file", n)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(saved(f, testModel(f, 1, 1, 3, 2)))
	f.Add(saved(f, testModel(f, 2, 1, 2, 4, 3, 2)))
	f.Add(withCRC(header(1, 1, 1)))
	f.Add(header(1, 16384, 16383))
	f.Fuzz(func(t *testing.T, file []byte) {
		m, err := Load(bytes.NewReader(file))
		if err != nil {
			if m != nil {
				t.Fatal("a model with an error")
			}
			return
		}
		// Whatever loads saves back to the same bytes and can predict.
		if !bytes.Equal(saved(t, m), file) {
			t.Fatal("Save(Load(file)) != file")
		}
		m.Predict(make([]float32, m.Inputs()), make([]float32, m.Classes()))
	})
}
