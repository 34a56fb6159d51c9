package main

import (
	"fmt"

	"github.com/simdkern/simdkern/kernels"
)

type evalReport struct {
	Model    string  `json:"model"`
	Layers   []int   `json:"layers"`
	Set      string  `json:"set"`
	Images   int     `json:"images"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
	// Confusion[t][p] counts the images of digit t classified as p.
	Confusion [10][10]int `json:"confusion"`
	Variant   string      `json:"variant"`
}

func runEval(e *env, args []string) error {
	fs := newFlags("eval")
	modelPath := modelFlag(fs)
	set := setFlag(fs)
	data := dataFlag(fs)
	asJSON := jsonFlag(fs)
	if err := parseNoArgs(e, fs, args); err != nil {
		return err
	}
	if *modelPath == "" {
		return usagef("eval: -model FILE is required")
	}
	if err := checkSetName(*set); err != nil {
		return err
	}
	model, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	train, test, err := loadMNIST(e, *data)
	if err != nil {
		return err
	}
	s := pickSet(*set, train, test)
	if err := checkModelFits(*modelPath, model, s); err != nil {
		return err
	}
	classes := make([]int, s.Len())
	model.PredictPixelsBatch(s.Images, classes, nil)
	rep := evalReport{Model: *modelPath, Layers: model.Sizes(), Set: *set, Images: s.Len(), Variant: kernels.Variant()}
	for i, p := range classes {
		t := int(s.Labels[i])
		rep.Confusion[t][p]++
		if t == p {
			rep.Correct++
		}
	}
	rep.Accuracy = float64(rep.Correct) / float64(rep.Images)
	if *asJSON {
		return writeJSON(e.stdout, rep)
	}
	printEval(e, rep)
	return nil
}

func printEval(e *env, r evalReport) {
	w := e.stdout
	fmt.Fprintf(w, "model %s (%s), %s set: accuracy %.2f%% (%d of %d)\n\n",
		r.Model, joinInts(r.Layers, "-"), r.Set, 100*r.Accuracy, r.Correct, r.Images)
	fmt.Fprintf(w, "confusion matrix: rows are the true digits, columns the predicted ones\n\n  true")
	for p := range 10 {
		fmt.Fprintf(w, "%6d", p)
	}
	fmt.Fprintf(w, "   recall\n")
	for t, row := range r.Confusion {
		total := 0
		fmt.Fprintf(w, "%6d", t)
		for _, n := range row {
			fmt.Fprintf(w, "%6d", n)
			total += n
		}
		if total > 0 {
			fmt.Fprintf(w, "   %5.1f%%", 100*float64(row[t])/float64(total))
		}
		fmt.Fprintln(w)
	}
}
