// Command gen writes the page's gallery: the first image of each digit in
// the MNIST test set, as JSON ({"index", "label", "pixels": 784 bytes}),
// one example per line.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/simdkern/simdkern/mnist"
)

func main() {
	out := flag.String("out", "examples.json", "file to write")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type example struct {
	Index  int   `json:"index"`
	Label  int   `json:"label"`
	Pixels []int `json:"pixels"` // []int: encoding/json writes a []uint8 as base64
}

func run(out string) error {
	_, test, err := mnist.Open(context.Background(), mnist.Options{Progress: os.Stderr})
	if err != nil {
		return err
	}
	var found [10]*example
	for i := range test.Len() {
		d := test.Labels[i]
		if found[d] != nil {
			continue
		}
		ex := &example{Index: i, Label: int(d)}
		for _, v := range test.Image(i) {
			ex.Pixels = append(ex.Pixels, int(v))
		}
		found[d] = ex
	}
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for d, ex := range found {
		if ex == nil {
			return fmt.Errorf("the test set has no %d", d)
		}
		line, err := json.Marshal(ex)
		if err != nil {
			return err
		}
		buf.Write(line)
		if d < len(found)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
