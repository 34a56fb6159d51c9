// Package bench holds the benchmarks that compare simdkern with its peers
// (gonum, vek, OpenBLAS, PyTorch). It is a nested module so that the main
// module never depends on the peers. The Go benchmarks live in the _test.go
// files; see README.md for the C and Python parts and run.sh for one command.
package bench
