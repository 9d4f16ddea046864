package kitchensink

import (
	"bytes"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// TestDescriptor checks that the embedded descriptor is the one the loader
// renders for the spec, and that callers cannot change it.
func TestDescriptor(t *testing.T) {
	f, err := family.Load("../../testdata/codegen/kitchensink.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	got := Descriptor()
	if !bytes.Equal(got, want) {
		t.Fatalf("Descriptor() differs from the spec's descriptor (run go generate)")
	}
	got[0] ^= 0xff
	if !bytes.Equal(Descriptor(), want) {
		t.Error("changing the returned bytes changed the descriptor")
	}
}
