package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/simdkern/simdkern/mlp"
	"github.com/simdkern/simdkern/mnist"
)

// modelFlag registers -model, a required model file.
func modelFlag(fs *flag.FlagSet) *string {
	return fs.String("model", "", "model file written by simdkern train -out (required)")
}

// loadModel reads a model file written by train.
func loadModel(path string) (*mlp.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := mlp.Load(f)
	if errors.Is(err, mlp.ErrFormat) {
		return nil, fmt.Errorf("%s is not a valid simdkern model file (%v)", path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// checkModelFits checks that the model takes s's images and has a class per
// digit.
func checkModelFits(path string, m *mlp.Model, s *mnist.Set) error {
	if m.Inputs() != s.Rows*s.Cols || m.Classes() != 10 {
		return fmt.Errorf("%s: the model has %d inputs and %d classes; MNIST needs %d (%d×%d pixels) and 10",
			path, m.Inputs(), m.Classes(), s.Rows*s.Cols, s.Rows, s.Cols)
	}
	return nil
}
