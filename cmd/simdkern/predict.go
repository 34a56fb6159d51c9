package main

import (
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decodes JPEG inputs
	_ "image/png"  // decodes PNG inputs
	"os"
	"strconv"
	"strings"

	"github.com/simdkern/simdkern/mlp"
	"github.com/simdkern/simdkern/mnist"
)

type prediction struct {
	Input         string    `json:"input"`
	Digit         int       `json:"digit"`
	Probabilities []float32 `json:"probabilities"`
	Label         *int      `json:"label,omitempty"` // for MNIST images
}

type predictReport struct {
	Model       string       `json:"model"`
	Predictions []prediction `json:"predictions"`
}

// setRef is an argument naming an MNIST image: test:N or train:N.
type setRef struct {
	set   string
	index int
}

func parseSetRef(arg string) (setRef, bool, error) {
	name, num, ok := strings.Cut(arg, ":")
	if !ok || (name != "test" && name != "train") {
		return setRef{}, false, nil
	}
	i, err := strconv.Atoi(num)
	if err != nil || i < 0 {
		return setRef{}, true, usagef("predict: %q: want %s:N with N ≥ 0", arg, name)
	}
	return setRef{name, i}, true, nil
}

func runPredict(e *env, args []string) error {
	fs := newFlags("predict")
	modelPath := modelFlag(fs)
	data := dataFlag(fs)
	asJSON := jsonFlag(fs)
	inputs, err := parseFlags(e, fs, args)
	if err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("predict: -model FILE is required")
	}
	if len(inputs) == 0 {
		return usagef("predict: want at least one PNG or JPEG file, or test:N for the N-th test image")
	}
	refs := make(map[string]setRef)
	for _, arg := range inputs {
		ref, isRef, err := parseSetRef(arg)
		if err != nil {
			return err
		}
		if isRef {
			refs[arg] = ref
		}
	}
	model, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	var sets map[string]*mnist.Set
	if len(refs) > 0 {
		train, test, err := loadMNIST(e, *data)
		if err != nil {
			return err
		}
		sets = map[string]*mnist.Set{"train": train, "test": test}
		if err := checkModelFits(*modelPath, model, test); err != nil {
			return err
		}
	}
	rep := predictReport{Model: *modelPath}
	for _, arg := range inputs {
		p := prediction{Input: arg, Probabilities: make([]float32, model.Classes())}
		if ref, ok := refs[arg]; ok {
			s := sets[ref.set]
			if ref.index >= s.Len() {
				return usagef("predict: %s: the %s set has %d images", arg, ref.set, s.Len())
			}
			label := int(s.Labels[ref.index])
			p.Label = &label
			p.Digit = model.PredictPixels(s.Image(ref.index), p.Probabilities)
		} else if p.Digit, err = predictFile(model, arg, p.Probabilities); err != nil {
			return err
		}
		rep.Predictions = append(rep.Predictions, p)
	}
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	for _, p := range rep.Predictions {
		fmt.Fprintf(e.stdout, "%s: %d (p=%.3f", p.Input, p.Digit, p.Probabilities[p.Digit])
		if p.Label != nil {
			fmt.Fprintf(e.stdout, ", label %d", *p.Label)
		}
		fmt.Fprintf(e.stdout, ")  probabilities:")
		for d, q := range p.Probabilities {
			fmt.Fprintf(e.stdout, " %d:%.3f", d, q)
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}

// predictFile classifies a PNG or JPEG picture of a digit.
func predictFile(model *mlp.Model, path string, probs []float32) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return 0, fmt.Errorf("%s: not a readable PNG or JPEG image (%v)", path, err)
	}
	digit, err := model.PredictImage(img, probs)
	if errors.Is(err, mlp.ErrNoInk) {
		return 0, fmt.Errorf("%s: the image is blank (no digit to classify)", path)
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return digit, nil
}
