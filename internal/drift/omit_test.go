package drift

import (
	"testing"

	"github.com/ynlgo/ynl/family"
)

// TestPolicyDumpOmits: the attributes the kernel leaves out of policy
// dumps (seen live: fou's big-endian port, ovs_vport's upcall-pid and
// ovs_flow's ufid, untyped) are not reported as rejected; others are.
func TestPolicyDumpOmits(t *testing.T) {
	for _, tc := range []struct {
		a    family.Attr
		want bool
	}{
		{family.Attr{Name: "port", Type: family.TypeU16, ByteOrder: family.BigEndian}, true},
		{family.Attr{Name: "upcall-pid", Type: family.TypeBinary}, true},
		{family.Attr{Name: "ifindex", Type: family.TypeU32}, false},
		{family.Attr{Name: "name", Type: family.TypeString}, false},
	} {
		if got := policyDumpOmits(&tc.a); got != tc.want {
			t.Errorf("%s (%s %s): got %v, want %v", tc.a.Name, tc.a.Type, tc.a.ByteOrder, got, tc.want)
		}
	}
}
