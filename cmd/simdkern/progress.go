package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/simdkern/simdkern/mlp/train"
)

// progress reports training: on a terminal a bar with an ETA, redrawn in
// place during each epoch; elsewhere (a log file, CI) one line per epoch.
type progress struct {
	w        io.Writer
	epochs   int
	bar      bool
	start    time.Time
	lastDraw time.Time
	// Running sums of the current epoch, for the bar.
	loss            float64
	correct, images int
}

const barWidth = 30

func newProgress(w io.Writer, epochs int) *progress {
	return &progress{w: w, epochs: epochs, bar: isTerminal(w), start: time.Now()}
}

// isTerminal reports whether w is a character device (a terminal) and the
// terminal is not declared unable to move the cursor.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func (p *progress) batch(b train.Batch) {
	if b.Batch == 1 {
		p.loss, p.correct, p.images = 0, 0, 0
	}
	p.loss += float64(b.Loss) * float64(b.Images)
	p.correct += b.Correct
	p.images += b.Images
	if !p.bar || (time.Since(p.lastDraw) < 100*time.Millisecond && b.Batch < b.Batches) {
		return
	}
	p.lastDraw = time.Now()
	done := float64((b.Epoch-1)*b.Batches+b.Batch) / float64(b.Epochs*b.Batches)
	elapsed := time.Since(p.start)
	eta := time.Duration(float64(elapsed) * (1 - done) / done)
	filled := b.Batch * barWidth / b.Batches
	fmt.Fprintf(p.w, "\r\033[Kepoch %*d/%d [%s%s] %3.0f%%  loss %.4f  train %.2f%%  ETA %s",
		len(fmt.Sprint(b.Epochs)), b.Epoch, b.Epochs, strings.Repeat("=", filled), strings.Repeat(" ", barWidth-filled),
		100*float64(b.Batch)/float64(b.Batches), p.loss/float64(p.images), 100*float64(p.correct)/float64(p.images),
		eta.Round(time.Second))
}

func (p *progress) epoch(s epochStats) {
	if p.bar {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "epoch %*d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.2f s\n",
		len(fmt.Sprint(p.epochs)), s.Epoch, p.epochs, s.Loss, 100*s.TrainAccuracy, 100*s.TestAccuracy, s.Seconds)
}

// done clears a bar left by an interrupted epoch.
func (p *progress) done() {
	if p.bar {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
