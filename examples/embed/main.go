// Command embed classifies a picture of a handwritten digit with a model
// compiled into the binary: the embedded-classifier use case. It imports
// package mlp alone, which loads and runs models; training is in mlp/train,
// which this program does not link (go list -deps ./examples/embed).
//
//	go run ./examples/embed [picture.png|picture.jpg]
//
// Without an argument it classifies the embedded sample, digit.png: an
// MNIST test digit drawn black on white, enlarged and off-centre, which
// mlp.Preprocess brings back to MNIST's form. go generate remakes
// model.bin and digit.png (internal/gen); the same data and seeds give the
// same bytes on every machine.
package main

//go:generate go run ./internal/gen

import (
	"bytes"
	_ "embed"
	"fmt"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"

	"github.com/simdkern/simdkern/mlp"
)

//go:embed model.bin
var modelFile []byte

//go:embed digit.png
var sample []byte

func main() {
	picture := sample
	if len(os.Args) > 1 {
		var err error
		if picture, err = os.ReadFile(os.Args[1]); err != nil {
			fmt.Fprintln(os.Stderr, "embed:", err)
			os.Exit(1)
		}
	}
	if err := classify(os.Stdout, picture); err != nil {
		fmt.Fprintln(os.Stderr, "embed:", err)
		os.Exit(1)
	}
}

// classify prints the digit in an encoded picture and its probability.
func classify(w io.Writer, picture []byte) error {
	model, err := mlp.Load(bytes.NewReader(modelFile))
	if err != nil {
		return err
	}
	img, _, err := image.Decode(bytes.NewReader(picture))
	if err != nil {
		return err
	}
	probs := make([]float32, model.Classes())
	digit, err := model.PredictImage(img, probs)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "digit %d (probability %.5f)\n", digit, probs[digit])
	return err
}
