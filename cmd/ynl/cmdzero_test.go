package main

import (
	"strings"
	"testing"
)

// TestCommandZeroOps checks ops numbered 0 (wireguard's get-device, team's
// noop) are real ops: --policy finds them and goes on to ask the kernel,
// so the error, if any, is about the family, never "unknown operation".
func TestCommandZeroOps(t *testing.T) {
	for _, tt := range []struct{ fam, op, mode string }{{"wireguard", "get-device", "--dump"}, {"team", "noop", "--do"}} {
		f, err := lookupBuiltin(tt.fam).load()
		if err != nil {
			t.Fatal(err)
		}
		if op := f.Operations.Op(tt.op); op == nil || op.RequestValue != 0 {
			t.Fatalf("%s %s: want an op with command 0, got %+v", tt.fam, tt.op, op)
		}
		var out, errb strings.Builder
		code := run([]string{"--family", tt.fam, tt.mode, tt.op, "--policy"}, &out, &errb)
		if strings.Contains(errb.String(), "unknown operation") || code == exitUsage {
			t.Errorf("%s --policy %s: exit %d: %s", tt.fam, tt.op, code, errb.String())
		}
		// The op was found and the kernel asked: it either has the
		// family or says it does not.
		if code != exitOK && (code != exitKernel || !strings.Contains(errb.String(), `family "`+tt.fam+`" not found`)) {
			t.Errorf("%s --policy %s: exit %d, want 0 or the kernel's family-not-found: %s", tt.fam, tt.op, code, errb.String())
		}
		errb.Reset()
		if code := run([]string{"--family", tt.fam, "--check-kernel"}, &out, &errb); code == exitUsage {
			t.Errorf("%s --check-kernel: exit %d: %s", tt.fam, code, errb.String())
		}
	}
}
