package kernels

// softmaxFunc is a variant's softmax-cross-entropy (softmaxCERef's
// arguments, validated).
type softmaxFunc = func(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32)

// vecImpl holds one variant's element-wise kernels. The exported functions
// below validate their arguments and call these with the preconditions met.
type vecImpl struct {
	relu           func(dst, src []float32)
	reluGrad       func(dx, x, dy []float32)
	softmaxCE      softmaxFunc
	broadcastRows  func(rows int, bias, dst []float32, ld int)
	columnSums     func(rows, cols int, a []float32, lda int, dst []float32)
	sgd            func(w, grad, v []float32, lr, momentum, weightDecay float32)
	uint8ToFloat32 func(dst []float32, src []uint8, divisor float32)
	sum            func(x []float32) float32
	labelsBelow    func(labels []int32, cols int) bool
}

var vecGeneric = vecImpl{
	relu:           reluRef,
	reluGrad:       reluGradRef,
	softmaxCE:      softmaxCERef,
	broadcastRows:  broadcastRowsRef,
	columnSums:     columnSumsRef,
	sgd:            sgdRef,
	uint8ToFloat32: uint8ToFloat32Ref,
	sum:            sumRef,
	labelsBelow:    labelsBelowRef,
}

func must(ok bool, msg string) {
	if !ok {
		panic("kernels: " + msg)
	}
}

// Relu sets dst[i] = max(src[i], 0) with the contract's edge cases: −0 and
// NaN pass through unchanged, everything below zero becomes +0 (reluRef).
// dst and src have equal lengths and are the same slice or do not overlap.
func Relu(dst, src []float32) {
	must(len(dst) == len(src), "Relu: len(dst) != len(src)")
	active().vec.relu(dst, src)
}

// ReluGrad is ReLU's backward pass: dx[i] = dy[i] where the forward input
// x[i] > 0, else +0 (the gradient at 0 and at NaN is 0; reluGradRef).
// dx may alias dy.
func ReluGrad(dx, x, dy []float32) {
	must(len(dx) == len(x) && len(dx) == len(dy), "ReluGrad: slices of different lengths")
	active().vec.reluGrad(dx, x, dy)
}

// SoftmaxCrossEntropy computes, for each of rows rows of cols logits (row
// stride ld), the cross-entropy loss[r] of softmax(logits) against
// labels[r], and, when dlogits is not nil, its gradient scaled by scale
// (row stride ldd): dlogits = (softmax − onehot)·scale; scale = 1/rows gives
// the gradient of the mean loss. It returns the mean loss, Sum(loss)/rows.
// The steps are those of softmaxCERef (the library's Exp, Log, Max and Sum);
// subtracting the row maximum keeps large logits finite.
// dlogits may alias logits when ldd == ld. It runs with up to GOMAXPROCS
// goroutines; see Threads.SoftmaxCrossEntropy.
func SoftmaxCrossEntropy(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32) float32 {
	return Threads(0).SoftmaxCrossEntropy(rows, cols, logits, ld, labels, loss, dlogits, ldd, scale)
}

// SoftmaxCrossEntropy is the package's SoftmaxCrossEntropy with up to t
// goroutines, each computing a contiguous share of the rows that holds at
// least softmaxSplitLen logits: each row is computed on its own, so
// results do not depend on t.
func (t Threads) SoftmaxCrossEntropy(rows, cols int, logits []float32, ld int, labels []int32, loss, dlogits []float32, ldd int, scale float32) float32 {
	must(rows >= 0 && cols >= 1, "SoftmaxCrossEntropy: bad dimensions")
	must(ld >= cols, "SoftmaxCrossEntropy: ld < cols")
	must(len(labels) >= rows && len(loss) >= rows, "SoftmaxCrossEntropy: labels or loss too short")
	if rows == 0 {
		return 0
	}
	must(len(logits) >= (rows-1)*ld+cols, "SoftmaxCrossEntropy: logits too short")
	if dlogits != nil {
		must(ldd >= cols && len(dlogits) >= (rows-1)*ldd+cols, "SoftmaxCrossEntropy: dlogits too short or ldd < cols")
	}
	must(labelsBelow(labels[:rows], cols), "SoftmaxCrossEntropy: label out of range")
	sm := active().vec.softmaxCE
	parts := t.parts(min(rows/16, rows*cols/softmaxSplitLen))
	if parts <= 1 {
		sm(rows, cols, logits, ld, labels, loss, dlogits, ldd, scale)
		return Sum(loss[:rows]) / float32(rows)
	}
	runSplit(&softmaxJobs, parts, func(q int, p *softmaxPart, done *latch) {
		// whole blocks of 16 rows, the one-row-per-lane kernels' unit
		lo, hi := q*rows/parts&^15, (q+1)*rows/parts&^15
		if q == parts-1 {
			hi = rows
		}
		*p = softmaxPart{sm: sm, rows: hi - lo, cols: cols, logits: logits[lo*ld:], ld: ld, labels: labels[lo:hi], loss: loss[lo:hi], scale: scale, done: done}
		if dlogits != nil {
			p.dlogits, p.ldd = dlogits[lo*ldd:], ldd
		}
	})
	return Sum(loss[:rows]) / float32(rows)
}

// labelsBelow reports whether 0 ≤ y < cols for every label (or row index)
// y (cols ≥ 1).
func labelsBelow(labels []int32, cols int) bool {
	return active().vec.labelsBelow(labels, cols)
}

// labelsBelowRef is labelsBelow with one compare each. Not inlined: in the
// caller its loop spilled its index (8.8 % of a 256×10 call in a profile,
// 5.6 % with it apart).
//
//go:noinline
func labelsBelowRef(labels []int32, cols int) bool {
	for _, y := range labels {
		if uint64(int64(y)) >= uint64(cols) {
			return false
		}
	}
	return true
}

// softmaxSplitLen is the least share, in logits, of a SoftmaxCrossEntropy
// call on one goroutine: 256 Ki logits take ≈ 150 µs on one goroutine, so
// that a split pays even when the other goroutine has to be woken (up to
// 90 µs; 1–3 µs while the workers poll).
const softmaxSplitLen = 1 << 18

// softmaxPart is one goroutine's rows of a split SoftmaxCrossEntropy call.
type softmaxPart struct {
	sm                    softmaxFunc
	rows, cols, ld, ldd   int
	logits, loss, dlogits []float32
	labels                []int32
	scale                 float32
	done                  *latch
}

func (p *softmaxPart) compute() {
	p.sm(p.rows, p.cols, p.logits, p.ld, p.labels, p.loss, p.dlogits, p.ldd, p.scale)
}

func (p *softmaxPart) finished() *latch { return p.done }

var softmaxJobs freeList[partsJob[softmaxPart]]

// BroadcastRows copies bias into each of rows rows of dst (row stride ld):
// the bias initialisation of a dense layer's output before Sgemm with beta 1.
func BroadcastRows(rows int, bias, dst []float32, ld int) {
	must(rows >= 0 && ld >= len(bias), "BroadcastRows: bad dimensions")
	if rows == 0 {
		return
	}
	must(len(dst) >= (rows-1)*ld+len(bias), "BroadcastRows: dst too short")
	active().vec.broadcastRows(rows, bias, dst, ld)
}

// ColumnSums sets dst[j] to the sum of column j of the rows×cols matrix a
// (row stride lda), added in row order starting from +0 (columnSumsRef):
// the bias gradient of a dense layer.
func ColumnSums(rows, cols int, a []float32, lda int, dst []float32) {
	must(rows >= 0 && cols >= 0 && lda >= cols && len(dst) >= cols, "ColumnSums: bad dimensions")
	if rows > 0 {
		must(len(a) >= (rows-1)*lda+cols, "ColumnSums: a too short")
	}
	active().vec.columnSums(rows, cols, a, lda, dst[:cols])
}

// SGD applies one step of stochastic gradient descent with optional
// momentum (velocity v, PyTorch's formulation) and weight decay to w, in
// the order of sgdRef, with up to GOMAXPROCS goroutines; see Threads.SGD.
func SGD(w, grad, v []float32, lr, momentum, weightDecay float32) {
	Threads(0).SGD(w, grad, v, lr, momentum, weightDecay)
}

// SGD is the package's SGD with up to t goroutines, each updating a
// contiguous share of at least sgdSplitLen elements: each element's update
// is on its own, so results do not depend on t. v may be nil when
// momentum is 0.
func (t Threads) SGD(w, grad, v []float32, lr, momentum, weightDecay float32) {
	must(len(grad) == len(w), "SGD: len(grad) != len(w)")
	must(momentum == 0 || len(v) == len(w), "SGD: len(v) != len(w)")
	sgd := active().vec.sgd
	parts := t.parts(len(w) / sgdSplitLen)
	if parts <= 1 {
		sgd(w, grad, v, lr, momentum, weightDecay)
		return
	}
	runSplit(&sgdJobs, parts, func(q int, p *sgdPart, done *latch) {
		// shares of whole 64-byte blocks (cache lines, as w is aligned when
		// it is large), so that no line has two writers
		lo, hi := q*len(w)/parts&^15, (q+1)*len(w)/parts&^15
		if q == parts-1 {
			hi = len(w)
		}
		*p = sgdPart{sgd: sgd, w: w[lo:hi], grad: grad[lo:hi], lr: lr, momentum: momentum, weightDecay: weightDecay, done: done}
		if momentum != 0 { // else v is not used, and may be of any length
			p.v = v[lo:hi]
		}
	})
}

// sgdSplitLen is the least share of an SGD call on one goroutine: 64 Ki
// elements took ≈ 35–65 µs on one goroutine in training, against a
// hand-off of 1–3 µs while the workers poll (up to 90 µs once they sleep).
// The 784-256-10 network's 203,530 parameters on two goroutines, in
// training on MNIST (avx512, medians of two 2-epoch runs): 111 → 56 µs a
// step without momentum, 208 → 142 µs with it.
const sgdSplitLen = 1 << 16

// sgdPart is one goroutine's share of a split SGD call.
type sgdPart struct {
	sgd                       func(w, grad, v []float32, lr, momentum, weightDecay float32)
	w, grad, v                []float32
	lr, momentum, weightDecay float32
	done                      *latch
}

func (p *sgdPart) compute() { p.sgd(p.w, p.grad, p.v, p.lr, p.momentum, p.weightDecay) }

func (p *sgdPart) finished() *latch { return p.done }

var sgdJobs freeList[partsJob[sgdPart]]

// Uint8ToFloat32 sets dst[i] = float32(src[i]) / divisor: pixels to
// floats (divisor 255 maps them to [0, 1]).
func Uint8ToFloat32(dst []float32, src []uint8, divisor float32) {
	must(len(dst) == len(src), "Uint8ToFloat32: len(dst) != len(src)")
	active().vec.uint8ToFloat32(dst, src, divisor)
}

// GatherUint8ToFloat32 sets row r of dst to row rows[r] of src, each row
// width values, divided by divisor as in Uint8ToFloat32:
//
//	dst[r*width+j] = float32(src[rows[r]*width+j]) / divisor
//
// a mini-batch of images picked from a dataset. It runs with up to
// GOMAXPROCS goroutines; see Threads.GatherUint8ToFloat32.
func GatherUint8ToFloat32(dst []float32, src []uint8, width int, rows []int32, divisor float32) {
	Threads(0).GatherUint8ToFloat32(dst, src, width, rows, divisor)
}

// GatherUint8ToFloat32 is the package's GatherUint8ToFloat32 with up to t
// goroutines, each converting a contiguous share of the rows that holds at
// least gatherSplitLen values: each value is converted on its own, so
// results do not depend on t.
func (t Threads) GatherUint8ToFloat32(dst []float32, src []uint8, width int, rows []int32, divisor float32) {
	must(width >= 0 && len(dst) == len(rows)*width, "GatherUint8ToFloat32: len(dst) != len(rows)*width")
	if width == 0 || len(rows) == 0 {
		return
	}
	must(labelsBelow(rows, len(src)/width), "GatherUint8ToFloat32: row index out of range")
	conv := active().vec.uint8ToFloat32
	parts := t.parts(len(dst) / gatherSplitLen)
	if parts <= 1 {
		gatherRows(conv, dst, src, width, rows, divisor)
		return
	}
	runSplit(&gatherJobs, parts, func(q int, p *gatherPart, done *latch) {
		lo, hi := q*len(rows)/parts, (q+1)*len(rows)/parts
		*p = gatherPart{conv: conv, dst: dst[lo*width : hi*width], src: src, width: width, rows: rows[lo:hi], divisor: divisor, done: done}
	})
}

// gatherSplitLen is the least share, in values, of a GatherUint8ToFloat32
// call on one goroutine: 64 Ki values took ≈ 30 µs (rows of 784 picked at
// random from 47 MB, one goroutine), against a hand-off of 1–3 µs while the
// workers poll.
const gatherSplitLen = 1 << 16

func gatherRows(conv func(dst []float32, src []uint8, divisor float32), dst []float32, src []uint8, width int, rows []int32, divisor float32) {
	for r, i := range rows {
		from := int(i) * width
		conv(dst[r*width:(r+1)*width], src[from:from+width], divisor)
	}
}

// gatherPart is one goroutine's rows of a split GatherUint8ToFloat32 call.
type gatherPart struct {
	conv    func(dst []float32, src []uint8, divisor float32)
	dst     []float32
	src     []uint8
	width   int
	rows    []int32
	divisor float32
	done    *latch
}

func (p *gatherPart) compute() { gatherRows(p.conv, p.dst, p.src, p.width, p.rows, p.divisor) }

func (p *gatherPart) finished() *latch { return p.done }

var gatherJobs freeList[partsJob[gatherPart]]
