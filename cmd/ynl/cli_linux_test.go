package main

import (
	"strings"
	"testing"
)

// TestFamilyNotInKernel checks a spec whose family the kernel lacks fails
// with exit 1 and says which family and why.
func TestFamilyNotInKernel(t *testing.T) {
	r := runYNL(t, nil, "--spec", "../../testdata/codegen/kitchensink.yaml", "--do", "ping")
	if r.code != 1 || !strings.Contains(r.stderr, `family "kitchensink" not found (is its kernel module loaded?)`) {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
}
