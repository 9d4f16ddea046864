package drift

import (
	"strings"
	"testing"

	"github.com/ynlgo/ynl/families/wireguard/wireguarddesc"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// TestCommandZero checks an op numbered 0 is compared instead of skipped:
// a spec op 0 the kernel lacks is reported, and a kernel command 0 is
// matched to the spec's op, not reported as extra.
func TestCommandZero(t *testing.T) {
	f, err := family.Parse("wireguard", wireguarddesc.Descriptor())
	if err != nil {
		t.Fatal(err)
	}
	got := Diff(f, &genl.Family{Name: "wireguard", Ops: []genl.Op{{ID: 1, Flags: genl.OpDo}}}, &genl.FamilyPolicy{})
	if !strings.Contains(strings.Join(got, "\n"), "- op get-device (cmd 0): in the spec, not in the kernel") {
		t.Errorf("spec op 0 missing from the kernel is not reported:\n%s", strings.Join(got, "\n"))
	}
	got = Diff(f, &genl.Family{Name: "wireguard", Ops: []genl.Op{{ID: 0, Flags: genl.OpDump}, {ID: 1, Flags: genl.OpDo}}}, &genl.FamilyPolicy{})
	if len(got) != 0 {
		t.Errorf("kernel with both wireguard ops: %d differences:\n%s", len(got), strings.Join(got, "\n"))
	}
}
