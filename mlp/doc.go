// Package mlp is a multilayer perceptron classifier: dense layers with
// ReLU between them and softmax at the output, running on the kernels
// package. It loads models, saves them and classifies; training lives in
// the subpackage mlp/train, so a program that embeds a trained model and
// only classifies (see examples/embed) links no training code.
//
// # Inference
//
// Predict and PredictPixels classify one input, PredictBatch and
// PredictPixelsBatch many, and PredictImage a picture of a digit after the
// MNIST preprocessing of Preprocess. The caller provides the outputs; the
// scratch comes from pools in the model, so calls allocate nothing once
// the pools are warm. A model is read-only during inference: any number of
// goroutines may classify with one model at the same time (not while it
// is being trained). Results are bit-identical on every architecture and
// kernel variant, one input at a time or in batches.
//
// # Model files
//
// Save writes, and Load reads, this format (version 1). All integers are
// unsigned 32-bit little-endian; parameters are IEEE-754 binary32 bit
// patterns, little-endian, whatever the machine's byte order:
//
//	offset  size  content
//	0       8     magic "SIMDKMLP"
//	8       4     version, 1
//	12      4     n, the number of layer sizes: 2 to MaxLayers+1
//	16      4·n   the layer sizes: inputs, hidden layers…, classes; each 1 to MaxWidth
//	16+4n   4·P   the parameters, layer by layer: the in×out weights row-major
//	              (w[i·out+j] connects input i to output j), then the out biases
//	…       4     CRC-32 (IEEE) of every preceding byte
//
// P, the total of in·out+out over the layers, is at most MaxParams. The
// file holds nothing else (no timestamp, no machine detail), so equal
// parameters give byte-identical files. Load refuses a file with another
// magic or version, sizes beyond the limits, a wrong checksum, missing
// bytes or bytes after the checksum, with an error wrapping ErrFormat; it
// never panics on any input. A later version would change the version
// field; this package reads version 1 only.
package mlp
