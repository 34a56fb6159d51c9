package bench

import (
	"fmt"
	"os"
	"strings"

	"github.com/simdkern/simdkern/kernels"
)

// simdkern goes first so tables list it before its peers. The variant is
// chosen at init from the CPU, capped by SIMDKERN_CPU; run.sh runs the
// benchmarks once per value.
func init() {
	if err := kernels.ConfigError(); err != nil { // e.g. a misspelt SIMDKERN_CPU
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	peers = append([]peer{{"simdkern", func(threads int, s shape, a, b, c []float32) {
		kernels.Threads(threads).Sgemm(false, false, s.m, s.n, s.k, 1, a, s.k, b, s.n, 0, c, s.n)
	}}}, peers...)
	transPeers = append([]transPeer{{"simdkern", func(threads int, tA, tB bool, s shape, a, b, c []float32) {
		lda, ldb := s.k, s.n
		if tA {
			lda = s.m
		}
		if tB {
			ldb = s.k
		}
		kernels.Threads(threads).Sgemm(tA, tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n)
	}}}, transPeers...)
	configLines = append(configLines,
		"simdkern-variant: "+kernels.Variant(),
		"simdkern-variants: "+strings.Join(kernels.Variants(), ","))
}
