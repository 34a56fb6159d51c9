//go:build !unix

package testutil

import "testing"

// Guarded returns an ordinary slice where protected pages are not
// available; the padding checks still catch stray writes.
func Guarded(t testing.TB, n int, atEnd bool) []float32 { return make([]float32, n) }

// GuardedBytes is Guarded for bytes.
func GuardedBytes(t testing.TB, n int, atEnd bool) []byte { return make([]byte, n) }

// GuardPages reports whether Guarded really uses protected pages here.
const GuardPages = false
