package mnist

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
)

// MaxDataBytes bounds the data an IDX file may declare, so that a corrupt
// header is rejected before anything is read (MNIST's largest file holds
// 47 MB).
const MaxDataBytes = 1 << 30

const (
	magicLabels = 0x00000801 // unsigned bytes, 1 dimension
	magicImages = 0x00000803 // unsigned bytes, 3 dimensions

	// firstChunk is the first allocation for the data; the buffer then
	// doubles as bytes actually arrive, so a lying header costs at most
	// twice what the file really holds.
	firstChunk = 64 << 10
)

// Set is a labelled set of grayscale images.
type Set struct {
	Rows, Cols int
	// Images holds Len() images of Rows×Cols pixels each, row-major and
	// contiguous: image i is Images[i*Rows*Cols : (i+1)*Rows*Cols].
	Images []uint8
	// Labels holds one digit 0..9 per image.
	Labels []uint8
}

// Len returns the number of images.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the pixels of image i (a sub-slice of s.Images).
func (s *Set) Image(i int) []uint8 {
	size := s.Rows * s.Cols
	return s.Images[i*size : (i+1)*size : (i+1)*size]
}

// Float32 returns all pixels scaled to [0, 1] as value/255, in the layout of
// s.Images. Division (not multiplication by 1/255) keeps every value the
// correctly rounded quotient on every platform.
func (s *Set) Float32() []float32 {
	out := make([]float32, len(s.Images))
	for i, v := range s.Images {
		out[i] = float32(v) / 255
	}
	return out
}

// ReadImages reads an IDX image file (magic 0x00000803), raw or
// gzip-compressed, and returns its n images of rows×cols pixels as one
// contiguous row-major slice of n*rows*cols bytes.
func ReadImages(r io.Reader) (pixels []uint8, rows, cols int, err error) {
	pixels, rows, cols, err = readImages(r)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("mnist: images: %w", err)
	}
	return pixels, rows, cols, nil
}

// ReadLabels reads an IDX label file (magic 0x00000801), raw or
// gzip-compressed. Every label must be a digit 0..9.
func ReadLabels(r io.Reader) ([]uint8, error) {
	labels, err := readLabels(r)
	if err != nil {
		return nil, fmt.Errorf("mnist: labels: %w", err)
	}
	return labels, nil
}

// ReadSet reads an image file and its label file and checks that they
// hold the same number of examples.
func ReadSet(images, labels io.Reader) (*Set, error) {
	return readSet(images, "images", labels, "labels")
}

// LoadSet reads a set from an image file and a label file, each raw or
// gzip-compressed. It verifies no checksum: Fetch and Open do.
func LoadSet(imagesPath, labelsPath string) (*Set, error) {
	images, err := os.Open(imagesPath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer images.Close()
	labels, err := os.Open(labelsPath)
	if err != nil {
		return nil, fmt.Errorf("mnist: %w", err)
	}
	defer labels.Close()
	return readSet(images, imagesPath, labels, labelsPath)
}

// readSet names the two inputs in its errors.
func readSet(images io.Reader, imagesName string, labels io.Reader, labelsName string) (*Set, error) {
	pixels, rows, cols, err := readImages(images)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", imagesName, err)
	}
	lab, err := readLabels(labels)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: %w", labelsName, err)
	}
	if n := len(pixels) / (rows * cols); n != len(lab) {
		return nil, fmt.Errorf("mnist: %s holds %d images but %s holds %d labels", imagesName, n, labelsName, len(lab))
	}
	return &Set{Rows: rows, Cols: cols, Images: pixels, Labels: lab}, nil
}

func readImages(r io.Reader) (pixels []uint8, rows, cols int, err error) {
	dims, pixels, err := readIDX(r, magicImages)
	if err != nil {
		return nil, 0, 0, err
	}
	return pixels, dims[1], dims[2], nil
}

func readLabels(r io.Reader) ([]uint8, error) {
	_, labels, err := readIDX(r, magicLabels)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	return labels, nil
}

func checkLabels(labels []uint8) error {
	for i, l := range labels {
		if l > 9 {
			return fmt.Errorf("label %d at index %d is not a digit 0..9", l, i)
		}
	}
	return nil
}

// readIDX reads an IDX file of unsigned bytes whose magic must be want, and
// returns its dimensions and data. Images must have positive rows and cols.
func readIDX(r io.Reader, want uint32) (dims []int, data []byte, err error) {
	r, err = decompress(r)
	if err != nil {
		return nil, nil, err
	}
	var magic uint32
	if err := binary.Read(r, binary.BigEndian, &magic); err != nil {
		return nil, nil, fmt.Errorf("reading magic number: %w", noEOF(err))
	}
	if magic != want {
		return nil, nil, fmt.Errorf("magic number 0x%08x, want 0x%08x (%s)", magic, want, describeMagic(want))
	}
	declared := make([]uint32, want&0xff) // the magic's last byte counts the dimensions
	if err := binary.Read(r, binary.BigEndian, declared); err != nil {
		return nil, nil, fmt.Errorf("reading dimensions: %w", noEOF(err))
	}
	size := uint64(1)
	dims = make([]int, len(declared))
	for i, d := range declared {
		if i > 0 && d == 0 {
			return nil, nil, fmt.Errorf("image dimensions %v: rows and cols must be positive", declared[1:])
		}
		hi, lo := bits.Mul64(size, uint64(d))
		if hi != 0 || lo > MaxDataBytes {
			return nil, nil, fmt.Errorf("dimensions %v declare more than %d bytes of data", declared, MaxDataBytes)
		}
		size = lo
		dims[i] = int(d)
	}
	data, err = readData(r, int(size))
	if err != nil {
		return nil, nil, err
	}
	return dims, data, nil
}

func describeMagic(magic uint32) string {
	if magic == magicImages {
		return "uint8 images, 3 dimensions"
	}
	return "uint8 labels, 1 dimension"
}

// decompress returns a reader of r's content, gunzipped if r starts with
// the gzip magic bytes (raw IDX files start with two zero bytes).
func decompress(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); len(head) < 2 || head[0] != 0x1f || head[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, errors.New("gzip: truncated header")
	}
	if err != nil {
		return nil, err // gzip's own errors name gzip
	}
	return zr, nil
}

// readData reads exactly size bytes and then requires the end of the
// stream, which is also where gzip checks its CRC.
func readData(r io.Reader, size int) ([]byte, error) {
	buf := make([]byte, 0, min(size, firstChunk))
	for len(buf) < size {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, min(len(buf), size-len(buf)))...)[:len(buf)]
		}
		n, err := io.ReadFull(r, buf[len(buf):min(cap(buf), size)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("truncated: header declares %d bytes of data, file holds %d", size, len(buf))
		}
		if err != nil {
			return nil, fmt.Errorf("reading data: %w", err)
		}
	}
	var extra [1]byte
	switch _, err := io.ReadFull(r, extra[:]); {
	case err == nil:
		return nil, fmt.Errorf("trailing data after the %d bytes the header declares", size)
	case err != io.EOF:
		return nil, fmt.Errorf("after the data: %w", err)
	}
	return buf, nil
}

// noEOF turns the end of input inside a header into an explicit error.
func noEOF(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated header")
	}
	return err
}
