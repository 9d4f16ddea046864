package genl

import (
	"slices"
	"testing"
)

func TestOpFlagsCtrlNames(t *testing.T) {
	for _, c := range []struct {
		f    OpFlags
		want []string
	}{
		{0, []string{}},
		{OpDo | OpDump | OpHasPolicy, []string{"cmd-cap-do", "cmd-cap-dump", "cmd-cap-haspol"}},
		{OpAdminPerm | OpUnsAdminPerm | 0x100, []string{"admin-perm", "uns-admin-perm"}},
	} {
		if got := c.f.CtrlNames(); got == nil || !slices.Equal(got, c.want) {
			t.Errorf("%v.CtrlNames() = %#v, want %#v", c.f, got, c.want)
		}
	}
}

func TestPolicyTypes(t *testing.T) {
	p := &Policy{Attrs: map[uint16]*AttrPolicy{9: {}, 1: {}, 300: {}, 4: {}}}
	if got, want := p.Types(), []uint16{1, 4, 9, 300}; !slices.Equal(got, want) {
		t.Errorf("Types() = %v, want %v", got, want)
	}
}
