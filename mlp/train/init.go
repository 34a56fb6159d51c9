package train

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/simdkern/simdkern/kernels"
	"github.com/simdkern/simdkern/mlp"
)

// Init chooses the distribution of the initial weights. Biases are always
// uniform in [−1/√fan_in, 1/√fan_in), PyTorch's nn.Linear default.
type Init int

const (
	// Normal draws weights from N(0, 0.1), the seed recipe.
	Normal Init = iota
	// He draws weights from N(0, √(2/fan_in)), for ReLU networks.
	He
)

// PCG streams: initialisation and shuffling draw from independent
// sequences of the same seed.
const (
	initStream    = 0x696e6974 // "init"
	shuffleStream = 0x73687566 // "shuf"
)

// NewModel returns a model of the given layer sizes (inputs, hidden
// layers…, classes) initialised from seed. The parameters depend only on
// sizes, init and seed: they are bit-identical on every architecture.
func NewModel(sizes []int, init Init, seed uint64) (*mlp.Model, error) {
	m, err := mlp.New(sizes...)
	if err != nil {
		return nil, err
	}
	Initialize(m, init, seed)
	return m, nil
}

// Initialize overwrites m's parameters as NewModel would. Layer by layer,
// the weights are drawn in storage order, then the biases.
//
// Random numbers come from a PCG generator (math/rand/v2, pure integer
// arithmetic). Normal variates use Marsaglia's polar method built only from
// correctly rounded float32 operations, a correctly rounded square root and
// the library's kernels.Log, so they do not depend on the platform's
// math.Log.
func Initialize(m *mlp.Model, init Init, seed uint64) {
	g := normal{src: rand.NewPCG(seed, initStream)}
	sizes := m.Sizes()
	for l := range m.Layers() {
		fanIn := float64(sizes[l])
		std := float32(0.1)
		if init == He {
			std = float32(math.Sqrt(2 / fanIn))
		}
		bound := float32(1 / math.Sqrt(fanIn))
		w, b := m.Layer(l)
		for i := range w {
			w[i] = g.next() * std
		}
		for i := range b {
			b[i] = symmetric24(g.src.Uint64()) * bound
		}
	}
}

// symmetric24 maps the top 24 bits of x to a float32 uniform in [−1, 1),
// exactly.
func symmetric24(x uint64) float32 {
	return float32(int32(x>>40)-1<<23) * 0x1p-23
}

// normal draws standard normal float32 variates, two per accepted pair.
type normal struct {
	src      *rand.PCG
	spare    float32
	hasSpare bool
}

func (g *normal) next() float32 {
	if g.hasSpare {
		g.hasSpare = false
		return g.spare
	}
	for {
		r := g.src.Uint64()
		u, v := symmetric24(r), symmetric24(r<<24)
		s := float32(u*u) + float32(v*v) // conversions forbid fusing into an FMA
		if s >= 1 || s == 0 {
			continue
		}
		// The float64 square root of a float32 rounds to the correctly
		// rounded float32 square root: 53 ≥ 2·24+2 bits.
		f := float32(math.Sqrt(float64(-2 * kernels.Log(s) / s)))
		g.spare, g.hasSpare = v*f, true
		return u * f
	}
}

// intN returns a uniform integer in [0, n) from src (Lemire's
// multiply-and-reject), with integer arithmetic only.
func intN(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}

// shuffle permutes order uniformly (Fisher–Yates).
func shuffle(src *rand.PCG, order []int32) {
	for i := len(order) - 1; i > 0; i-- {
		j := intN(src, uint64(i+1))
		order[i], order[j] = order[j], order[i]
	}
}
