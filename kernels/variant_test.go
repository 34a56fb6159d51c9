package kernels

import (
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
)

func TestVariants(t *testing.T) {
	vs := Variants()
	if len(vs) == 0 || vs[0] != "generic" {
		t.Fatalf("Variants() = %v, want generic first", vs)
	}
	if got := Variant(); !slices.Contains(vs, got) {
		t.Fatalf("Variant() = %q, not in %v", got, vs)
	}
	if want := os.Getenv("SIMDKERN_CPU"); want != "" && Variant() != want {
		t.Fatalf("SIMDKERN_CPU=%s but Variant() = %q", want, Variant())
	}
	if os.Getenv("SIMDKERN_CPU") == "" && ConfigError() == nil && Variant() != vs[len(vs)-1] {
		t.Fatalf("default variant %q is not the best available %v", Variant(), vs)
	}
	t.Logf("GOARCH=%s variants %v, active %s", runtime.GOARCH, vs, Variant())
}

// TestEnvChoice re-runs this test binary with SIMDKERN_CPU set, checking
// that valid names are obeyed and invalid ones are reported, not ignored.
func TestEnvChoice(t *testing.T) {
	if os.Getenv("SIMDKERN_ENV_CHILD") != "" {
		if err := ConfigError(); err != nil {
			os.Stdout.WriteString("error: " + err.Error() + "\n")
			return
		}
		os.Stdout.WriteString("variant: " + Variant() + "\n")
		return
	}
	if testing.Short() {
		t.Skip("spawns subprocesses")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Skip(err)
	}
	run := func(env string) string {
		cmd := exec.Command(exe, "-test.run=^TestEnvChoice$")
		cmd.Env = append(os.Environ(), "SIMDKERN_ENV_CHILD=1", "SIMDKERN_CPU="+env)
		out, err := cmd.CombinedOutput()
		if errors.Is(err, syscall.ENOEXEC) {
			t.Skipf("cannot re-run the test binary here (user-mode emulation): %v", err)
		}
		if err != nil {
			t.Fatalf("child with SIMDKERN_CPU=%s: %v\n%s", env, err, out)
		}
		return string(out)
	}
	for _, v := range Variants() {
		if out := run(v); !strings.Contains(out, "variant: "+v+"\n") {
			t.Errorf("SIMDKERN_CPU=%s: child said %q", v, out)
		}
	}
	for _, bad := range []string{"avx1024", "AVX2", " generic"} {
		if out := run(bad); !strings.Contains(out, "error: simdkern: SIMDKERN_CPU=") {
			t.Errorf("SIMDKERN_CPU=%q: child said %q, want an error", bad, out)
		}
	}
	for _, v := range variantNames {
		if !slices.Contains(Variants(), v) {
			if out := run(v); !strings.Contains(out, "cannot run the "+v+" variant") {
				t.Errorf("SIMDKERN_CPU=%s (unavailable): child said %q", v, out)
			}
		}
	}
}
