//go:build unix

package testutil

import (
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Guarded returns a float32 slice of length n whose backing memory is
// flanked by PROT_NONE pages, so any read or write past either end faults.
// With atEnd the slice ends exactly at the upper guard page, otherwise it
// starts exactly at the lower one. The memory is unmapped when the test ends.
func Guarded(t testing.TB, n int, atEnd bool) []float32 {
	t.Helper()
	return guarded4[float32](t, n, atEnd)
}

// GuardedBytes is Guarded for bytes.
func GuardedBytes(t testing.TB, n int, atEnd bool) []byte {
	t.Helper()
	return guardedBytes(t, n, 1, atEnd)
}

// GuardedInt32 is Guarded for int32s.
func GuardedInt32(t testing.TB, n int, atEnd bool) []int32 {
	t.Helper()
	return guarded4[int32](t, n, atEnd)
}

// guarded4 is Guarded for any 4-byte element type.
func guarded4[T float32 | int32](t testing.TB, n int, atEnd bool) []T {
	t.Helper()
	raw := guardedBytes(t, n*4, 4, atEnd)
	if n == 0 {
		return []T{}
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&raw[0])), n)
}

// GuardPages reports whether Guarded really uses protected pages here.
const GuardPages = true

func guardedBytes(t testing.TB, size, align int, atEnd bool) []byte {
	page := os.Getpagesize()
	body := (size + page - 1) / page * page
	mem, err := unix.Mmap(-1, 0, body+2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_ANON|unix.MAP_PRIVATE)
	if err != nil {
		t.Fatalf("testutil: mmap: %v", err)
	}
	t.Cleanup(func() { _ = unix.Munmap(mem) })
	if err := unix.Mprotect(mem[:page], unix.PROT_NONE); err != nil {
		t.Fatalf("testutil: mprotect: %v", err)
	}
	if err := unix.Mprotect(mem[page+body:], unix.PROT_NONE); err != nil {
		t.Fatalf("testutil: mprotect: %v", err)
	}
	start := page
	if atEnd {
		start = page + body - size
		start -= start % align
	}
	return mem[start : start+size : start+size]
}
