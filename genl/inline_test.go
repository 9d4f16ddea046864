package genl

import (
	"os/exec"
	"regexp"
	"runtime"
	"testing"
)

// TestHotPathInlined keeps the walker's per-attribute methods within the
// compiler's inlining budget: one node too many made Next a call and a
// 16-attribute decode 1.6 times slower. It asks the compiler, so it needs
// the go command; -short skips it.
func TestHotPathInlined(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package with -gcflags=-m=2; not in -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command on PATH to ask the compiler: %v", err)
	}
	out, err := exec.Command(goCmd, "build", "-gcflags=-m=2", "-o", "/dev/null", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m=2: %v\n%s", err, out)
	}
	for _, fn := range []string{
		`\(\*Walker\)\.Next`, `\(\*Walker\)\.Type`, `\(\*Walker\)\.Data`,
		`\(\*Walker\)\.Uint8`, `\(\*Walker\)\.Uint16`, `\(\*Walker\)\.Uint32`,
		`\(\*Walker\)\.Uint64`, `\(\*Walker\)\.Reset`, `NewWalkerIn`,
	} {
		if !regexp.MustCompile(`(?m)can inline ` + fn + `( |$)`).Match(out) {
			t.Errorf("%s is no longer inlinable (%s); the compiler says:\n%s", fn, runtime.Version(), grepLines(out, fn))
		}
	}
}

func grepLines(out []byte, fn string) []byte {
	var b []byte
	re := regexp.MustCompile(`(?m)^.*` + fn + `.*$`)
	for _, l := range re.FindAll(out, 5) {
		b = append(append(b, l...), '\n')
	}
	return b
}
