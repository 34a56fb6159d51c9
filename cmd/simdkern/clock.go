package main

import (
	"math"
	"runtime"
	"time"
)

// mulLatency is the latency in cycles of a 64-bit integer multiplication
// (IMUL r64, r64) on x86-64 cores since Intel Nehalem and AMD Zen.
const mulLatency = 3

// clockGHz measures the core clock while it runs: a chain of dependent
// multiplications takes mulLatency cycles each whatever the loop around
// them costs. It returns 0 where that latency is not known (not amd64).
func clockGHz() float64 {
	if runtime.GOARCH != "amd64" {
		return 0
	}
	// Runs of about 5 ms, shorter than a scheduler time slice; the fastest
	// is the one least disturbed by other processes.
	const n = 500_000
	mulChain(1, 3, 4*n) // warm-up: let the clock settle
	best := math.Inf(1)
	for range 9 {
		start := time.Now()
		mulChain(1, 3, n)
		best = min(best, time.Since(start).Seconds())
	}
	return 8 * n * mulLatency / best / 1e9
}

// mulChain multiplies x by m 8·n times, each product depending on the
// previous one. m is a parameter so the compiler cannot turn the products
// into shifts and additions.
//
//go:noinline
func mulChain(x, m uint64, n int) uint64 {
	for range n {
		x *= m
		x *= m
		x *= m
		x *= m
		x *= m
		x *= m
		x *= m
		x *= m
	}
	return x
}
