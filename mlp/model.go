package mlp

import (
	"fmt"
	"sync"
)

// Limits on a model's shape. New refuses larger shapes, and Load refuses
// them from the header alone, before reading any parameter.
const (
	MaxLayers = 64      // dense layers
	MaxWidth  = 1 << 16 // units in one layer, inputs included
	MaxParams = 1 << 28 // weights and biases in all (1 GiB of float32)
)

// Model is a multilayer perceptron: dense layers with ReLU between them
// and softmax at the output. Its parameters live in one slice (Params) in
// the order of the model file. A model must not be copied; it is safe for
// concurrent inference as long as nothing changes its parameters.
type Model struct {
	sizes  []int
	params []float32
	layers []layer
	widest int // the largest layer output: the scratch row stride

	one, many scratchPool // single-input and batch scratch
}

// layer is one dense layer: out = in·W + b.
type layer struct {
	in, out int
	w, b    []float32 // views of Model.params
}

// New returns a model with the given layer sizes (inputs, hidden layers…,
// classes; at least two) and every parameter zero. Train it, or fill
// Params, before use.
func New(sizes ...int) (*Model, error) {
	total, err := checkSizes(sizes)
	if err != nil {
		return nil, fmt.Errorf("mlp: %w", err)
	}
	return build(sizes, make([]float32, total)), nil
}

// checkSizes validates sizes against the limits and returns the number of
// parameters.
func checkSizes(sizes []int) (int, error) {
	if len(sizes) < 2 || len(sizes)-1 > MaxLayers {
		return 0, fmt.Errorf("%d layer sizes, want 2 to %d", len(sizes), MaxLayers+1)
	}
	var total int64 // int64: a product of two widths overflows a 32-bit int
	for i, s := range sizes {
		if s < 1 || s > MaxWidth {
			return 0, fmt.Errorf("layer size %d is %d, want 1 to %d", i, s, MaxWidth)
		}
		if i > 0 {
			total += int64(sizes[i-1])*int64(s) + int64(s)
			if total > MaxParams {
				return 0, fmt.Errorf("sizes %v need over %d parameters", sizes, MaxParams)
			}
		}
	}
	return int(total), nil
}

// build wires a model around validated sizes and their parameters.
func build(sizes []int, params []float32) *Model {
	m := &Model{sizes: append([]int(nil), sizes...), params: params}
	off := 0
	for i := 1; i < len(sizes); i++ {
		in, out := sizes[i-1], sizes[i]
		w := params[off : off+in*out : off+in*out]
		off += in * out
		b := params[off : off+out : off+out]
		off += out
		m.layers = append(m.layers, layer{in: in, out: out, w: w, b: b})
		m.widest = max(m.widest, out)
	}
	m.one.rows, m.many.rows = 1, batchRows
	return m
}

// Sizes returns the layer sizes: inputs, hidden layers…, classes.
func (m *Model) Sizes() []int { return append([]int(nil), m.sizes...) }

// Inputs returns the number of inputs of one example.
func (m *Model) Inputs() int { return m.sizes[0] }

// Classes returns the number of outputs (classes).
func (m *Model) Classes() int { return m.sizes[len(m.sizes)-1] }

// Layers returns the number of dense layers, len(Sizes())-1.
func (m *Model) Layers() int { return len(m.layers) }

// Layer returns views of dense layer l's weights and biases. w holds
// in×out values row-major: w[i*out+j] connects input i to output j, so the
// layer computes out = in·w + b. Writing through them changes the model.
func (m *Model) Layer(l int) (w, b []float32) { return m.layers[l].w, m.layers[l].b }

// Params returns all parameters, a view: for each layer its weights then
// its biases (the layout of Layer), in the order of the model file.
func (m *Model) Params() []float32 { return m.params }

// scratchPool recycles inference scratch for calls of up to rows inputs,
// so that predictions allocate nothing once the pool is warm.
type scratchPool struct {
	rows int
	pool sync.Pool
}

// scratch holds one call's activations: in converts uint8 inputs, and
// layers alternate between act[0] and act[1].
type scratch struct {
	in  []float32
	act [2][]float32
}

func (p *scratchPool) get(m *Model) *scratch {
	if s, ok := p.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		in:  make([]float32, p.rows*m.Inputs()),
		act: [2][]float32{make([]float32, p.rows*m.widest), make([]float32, p.rows*m.widest)},
	}
}

func (p *scratchPool) put(s *scratch) { p.pool.Put(s) }
