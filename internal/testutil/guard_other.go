//go:build !unix

package testutil

import "testing"

// Guarded returns an ordinary slice where protected pages are not
// available; the padding checks still catch stray writes.
func Guarded(t testing.TB, n int, atEnd bool) []float32 { return make([]float32, n) }

// GuardedBytes is Guarded for bytes.
func GuardedBytes(t testing.TB, n int, atEnd bool) []byte { return make([]byte, n) }

// GuardedInt32 is Guarded for int32s.
func GuardedInt32(t testing.TB, n int, atEnd bool) []int32 { return make([]int32, n) }

// GuardPages reports whether Guarded really uses protected pages here.
const GuardPages = false
