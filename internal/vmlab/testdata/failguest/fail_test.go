//go:build vmlab

// Package failguest has one passing and one failing test, so the lab's
// end-to-end test can check that a failure inside the guest comes back as
// a non-zero exit status.
package failguest

import (
	"os"
	"testing"
)

func TestPasses(t *testing.T) {
	if os.Getenv("YNL_VMLAB") != "1" {
		t.Errorf("YNL_VMLAB = %q in the guest, want 1", os.Getenv("YNL_VMLAB"))
	}
}

func TestFailsOnPurpose(t *testing.T) {
	t.Error("this failure is expected: the harness must report it")
}
