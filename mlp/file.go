package mlp

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The model file format; see the package documentation.
const (
	magic   = "SIMDKMLP"
	Version = 1 // the model file version Save writes and Load reads

	headerBytes = len(magic) + 4 + 4 // magic, version, number of sizes
	chunkFloats = 16 << 10           // parameters per read or write
)

// ErrFormat is wrapped by every error Load returns for a reader that does
// not hold a valid model file (as opposed to a failing reader).
var ErrFormat = errors.New("mlp: invalid model file")

func formatError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

// Save writes the model in the model file format. Equal parameters give
// byte-identical files.
func (m *Model) Save(w io.Writer) error {
	crc := crc32.NewIEEE()
	out := io.MultiWriter(w, crc)
	head := make([]byte, 0, headerBytes+4*len(m.sizes))
	head = append(head, magic...)
	head = binary.LittleEndian.AppendUint32(head, Version)
	head = binary.LittleEndian.AppendUint32(head, uint32(len(m.sizes)))
	for _, s := range m.sizes {
		head = binary.LittleEndian.AppendUint32(head, uint32(s))
	}
	if _, err := out.Write(head); err != nil {
		return err
	}
	buf := make([]byte, 4*min(chunkFloats, len(m.params)))
	for p := m.params; len(p) > 0; {
		n := min(chunkFloats, len(p))
		for i, v := range p[:n] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		if _, err := out.Write(buf[:4*n]); err != nil {
			return err
		}
		p = p[n:]
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, crc.Sum32()))
	return err
}

// Load reads a model written by Save. The reader must end where the model
// does. A reader that does not hold a valid model gives an error wrapping
// ErrFormat: wrong magic or version, sizes beyond MaxLayers, MaxWidth or
// MaxParams, truncation, a checksum mismatch or trailing data. Parameters
// are read in chunks into a buffer that grows only as data arrives, so a
// lying header costs at most about twice the bytes actually read.
func Load(r io.Reader) (*Model, error) {
	crc := crc32.NewIEEE()
	in := io.TeeReader(r, crc)
	head := make([]byte, headerBytes)
	if err := readFull(in, head); err != nil {
		return nil, err
	}
	if string(head[:len(magic)]) != magic {
		return nil, formatError("bad magic %q, want %q", head[:len(magic)], magic)
	}
	if v := binary.LittleEndian.Uint32(head[len(magic):]); v != Version {
		return nil, formatError("version %d, this package reads version %d", v, Version)
	}
	count := binary.LittleEndian.Uint32(head[len(magic)+4:])
	if count < 2 || count > MaxLayers+1 {
		return nil, formatError("%d layer sizes, want 2 to %d", count, MaxLayers+1)
	}
	raw := make([]byte, 4*count)
	if err := readFull(in, raw); err != nil {
		return nil, err
	}
	sizes := make([]int, count)
	for i := range sizes {
		sizes[i] = int(int32(binary.LittleEndian.Uint32(raw[4*i:]))) // huge values turn negative and are refused
	}
	total, err := checkSizes(sizes)
	if err != nil {
		return nil, formatError("%v", err)
	}
	params, err := readParams(in, total)
	if err != nil {
		return nil, err
	}
	want := crc.Sum32()
	sum := make([]byte, 4)
	if err := readFull(r, sum); err != nil {
		return nil, err
	}
	if got := binary.LittleEndian.Uint32(sum); got != want {
		return nil, formatError("checksum %08x, computed %08x", got, want)
	}
	switch _, err := io.ReadFull(r, sum[:1]); err {
	case nil:
		return nil, formatError("trailing data after the checksum")
	case io.EOF:
	default:
		return nil, fmt.Errorf("mlp: reading model: %w", err)
	}
	return build(sizes, params), nil
}

// readParams reads total little-endian float32 values.
func readParams(r io.Reader, total int) ([]float32, error) {
	buf := make([]byte, 4*min(chunkFloats, total))
	params := make([]float32, 0, min(chunkFloats, total))
	for len(params) < total {
		n := min(chunkFloats, total-len(params))
		if err := readFull(r, buf[:4*n]); err != nil {
			return nil, err
		}
		if cap(params)-len(params) < n {
			grown := make([]float32, len(params), min(total, 2*cap(params)))
			copy(grown, params)
			params = grown
		}
		for i := range n {
			params = append(params, math.Float32frombits(binary.LittleEndian.Uint32(buf[4*i:])))
		}
	}
	return params, nil
}

// readFull fills b, reporting a short read as a truncated file.
func readFull(r io.Reader, b []byte) error {
	_, err := io.ReadFull(r, b)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return formatError("truncated")
	case err != nil:
		return fmt.Errorf("mlp: reading model: %w", err)
	}
	return nil
}
