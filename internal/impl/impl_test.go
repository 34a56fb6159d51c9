package impl

import (
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	saveN, saveA := names, available
	defer func() { names, available = saveN, saveA }()
	names = []string{"generic", "avx2", "avx512", "neon"}
	available = []bool{true, true, false, false}

	for _, tc := range []struct {
		env     string
		want    int
		errPart string
	}{
		{"", 1, ""},
		{"generic", 0, ""},
		{"avx2", 1, ""},
		{"avx512", -1, "cannot run the avx512 variant"},
		{"neon", -1, "cannot run the neon variant"},
		{"AVX2", -1, "is not a variant"},
		{"sse", -1, "is not a variant"},
	} {
		got, err := choose(tc.env)
		if got != tc.want {
			t.Errorf("choose(%q) = %d, want %d", tc.env, got, tc.want)
		}
		if (err != nil) != (tc.errPart != "") || (err != nil && !strings.Contains(err.Error(), tc.errPart)) {
			t.Errorf("choose(%q) error = %v, want containing %q", tc.env, err, tc.errPart)
		}
	}
}
