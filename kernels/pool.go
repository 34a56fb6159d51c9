package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// The goroutines that compute the parts of split kernel calls, and what
// the parts wait with.

// procs is the number of goroutines t allows: at most t (or GOMAXPROCS),
// never more than GOMAXPROCS.
func (t Threads) procs() int {
	procs := runtime.GOMAXPROCS(0)
	if w := int(t); w > 0 && w < procs {
		return w
	}
	return procs
}

// parts is the number of parts for a split call whose size allows at most
// most: min(most, t.procs()), asking GOMAXPROCS only when most allows a
// split (it takes a lock: 21 ns a call, and 1.9 % of a 256×10
// SoftmaxCrossEntropy call in a profile).
func (t Threads) parts(most int) int {
	if most <= 1 {
		return most
	}
	return min(most, t.procs())
}

// poolSpin is how long a goroutine that waits for a part (an idle worker,
// a part at a barrier, the caller at the end) polls before it sleeps. A
// sleeping goroutine's thread took 50–90 µs to wake here (a KVM guest
// whose idle vCPU halts): the second part of a two-thread 256×256×784
// Sgemm (≈ 450 µs) started 66 µs after the first. Training and batch
// inference call the kernels every few tens of µs, so the polling spans
// the gaps between calls; runtime.Gosched lets other goroutines have the
// processor.
const poolSpin = 200 * time.Microsecond

// part is one goroutine's share of a kernel call: compute does it, then
// the goroutine arrives at finished().
type part interface {
	compute()
	finished() *latch
}

// workQueue feeds idle workers; workIdle counts the idle workers not yet
// claimed by a sender. A sender claims one before it sends, so a part is
// never queued without a worker bound to take it (a call's parts wait for
// each other at barriers), and starts a worker when none is idle: a go
// statement per call would allocate. Workers are kept.
var (
	workQueue = make(chan part, 16)
	workIdle  atomic.Int32
)

// runParts computes the parts ps of one call, ps[0] on this goroutine and
// the others handed off, and returns when all have arrived at done.
func runParts[T any, P interface {
	*T
	part
}](ps []T, done *latch) {
	for q := 1; q < len(ps); q++ {
		handOff(P(&ps[q]))
	}
	P(&ps[0]).compute()
	done.arrive()
	done.wait()
}

// partsJob is the state of one split call of a kernel whose parts are P,
// reused so that calls allocate nothing.
type partsJob[P any] struct {
	done  latch
	parts []P
}

// start returns n parts that arrive at j.done.
func (j *partsJob[P]) start(n int) []P {
	if cap(j.parts) < n {
		j.parts = make([]P, n)
	}
	j.done.init(n)
	return j.parts[:n]
}

// runSplit computes one call split into n parts, part q set by
// fill(q, &part, done) where done is the latch the parts arrive at, and
// returns when all have arrived; the job comes from jobs and goes back.
func runSplit[T any, P interface {
	*T
	part
}](jobs *freeList[partsJob[T]], n int, fill func(q int, p *T, done *latch)) {
	job := jobs.get()
	ps := job.start(n)
	for q := range ps {
		fill(q, &ps[q], &job.done)
	}
	runParts[T, P](ps, &job.done)
	clear(ps) // drop the caller's slices
	jobs.put(job)
}

// handOff has part p computed by another goroutine.
func handOff(p part) {
	for n := workIdle.Load(); n > 0; n = workIdle.Load() {
		if workIdle.CompareAndSwap(n, n-1) {
			workQueue <- p
			return
		}
	}
	go worker(p)
}

func worker(p part) {
	for {
		p.compute()
		workIdle.Add(1) // before the caller can return and hand off again
		p.finished().arrive()
		p = nil
		spin(func() bool {
			select {
			case p = <-workQueue:
				return true
			default:
				return false
			}
		})
		if p == nil {
			p = <-workQueue
		}
	}
}

// spin polls ready for up to poolSpin and reports whether it held.
func spin(ready func() bool) bool {
	for end := time.Now().Add(poolSpin); ; runtime.Gosched() {
		if ready() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// signal is a condition variable for state kept in atomics: a waiter
// spins on the state, then sleeps until it changes; the changer calls
// broadcast after the change.
type signal struct {
	mu   sync.Mutex
	cond sync.Cond
}

func (s *signal) await(ready func() bool) {
	if spin(ready) {
		return
	}
	s.mu.Lock()
	if s.cond.L == nil {
		s.cond.L = &s.mu
	}
	for !ready() {
		s.cond.Wait()
	}
	s.mu.Unlock()
}

func (s *signal) broadcast() {
	s.mu.Lock()
	if s.cond.L != nil {
		s.cond.Broadcast()
	}
	s.mu.Unlock()
}

// barrier holds each of n goroutines in wait until all n have called it.
type barrier struct {
	sig        signal
	n          int32
	arrived    atomic.Int32
	generation atomic.Uint32
}

func (b *barrier) init(n int) {
	b.n = int32(n)
	b.arrived.Store(0)
}

func (b *barrier) wait() {
	gen := b.generation.Load()
	if b.arrived.Add(1) < b.n {
		b.sig.await(func() bool { return b.generation.Load() != gen })
		return
	}
	b.arrived.Store(0) // before the release: a released part may wait again
	b.generation.Add(1)
	b.sig.broadcast()
}

// latch lets one goroutine wait until n others have arrived.
type latch struct {
	sig     signal
	pending atomic.Int32
}

func (l *latch) init(n int) { l.pending.Store(int32(n)) }

func (l *latch) arrive() {
	if l.pending.Add(-1) == 0 {
		l.sig.broadcast()
	}
}

func (l *latch) wait() { l.sig.await(func() bool { return l.pending.Load() == 0 }) }
