package main

import (
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// TestFamilyNotInKernel checks a spec whose family the kernel lacks fails
// with exit 1 and says which family and why.
func TestFamilyNotInKernel(t *testing.T) {
	r := runYNL(t, nil, "--spec", "../../testdata/codegen/kitchensink.yaml", "--do", "ping")
	if r.code != 1 || !strings.Contains(r.stderr, `family "kitchensink" not found (is its kernel module loaded?)`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// BenchmarkRunGetfamily is the in-process cost of one CLI run: load the
// nlctrl spec, dial, resolve, one do, print. BenchmarkLoadSpecNlctrl is the
// spec-loading part alone.
func BenchmarkRunGetfamily(b *testing.B) {
	if _, err := findSpec("nlctrl"); err != nil {
		b.Skip(err)
	}
	args := []string{"--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"nlctrl"}`, "--output-json"}
	for b.Loop() {
		var out, errb strings.Builder
		if code := run(args, &out, &errb); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}

func BenchmarkLoadSpecNlctrl(b *testing.B) {
	path, err := findSpec("nlctrl")
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := family.Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

func findSpec(name string) (string, error) { return family.Find(name) }
