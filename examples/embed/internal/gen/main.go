// Command gen makes the embed example's files from MNIST (found as package
// mnist does, offline from the Go module cache when it holds the data):
// model.bin, a 784-32-10 model trained for 5 epochs, and digit.png, the
// first test digit drawn black on white at 4× on a larger canvas,
// off-centre. Run it from examples/embed (go generate does).
package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log"
	"os"

	"github.com/simdkern/simdkern/mlp/train"
	"github.com/simdkern/simdkern/mnist"
)

func main() {
	trainSet, testSet, err := mnist.Open(context.Background(), mnist.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m, err := train.NewModel([]int{784, 32, 10}, train.He, 1)
	if err != nil {
		log.Fatal(err)
	}
	cfg := train.Config{Epochs: 5, BatchSize: 64, LearningRate: 0.05, Momentum: 0.9, Seed: 1}
	if _, err := train.Train(context.Background(), m, train.Images(trainSet.Images, trainSet.Labels), cfg); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("test accuracy %.4f\n", train.Accuracy(m, train.Images(testSet.Images, testSet.Labels)))
	var model bytes.Buffer
	if err := m.Save(&model); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("model.bin", model.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}

	const zoom, left, top = 4, 30, 10
	digit := testSet.Image(0)
	img := image.NewGray(image.Rect(0, 0, 28*zoom+60, 28*zoom+40))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := range 28 * zoom {
		for x := range 28 * zoom {
			img.Pix[(top+y)*img.Stride+left+x] = 255 - digit[y/zoom*28+x/zoom]
		}
	}
	var pic bytes.Buffer
	if err := png.Encode(&pic, img); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("digit.png", pic.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("digit.png: label %d\n", testSet.Labels[0])
}
