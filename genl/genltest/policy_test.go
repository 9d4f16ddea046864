//go:build linux

package genltest_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

func TestPolicy(t *testing.T) {
	fifteen := uint32(15)
	header := &genl.Policy{Attrs: map[uint16]*genl.AttrPolicy{
		1: {Type: genl.PolicyU32},
		2: {Type: genl.PolicyNulString, MaxLength: &fifteen},
	}}
	get := &genl.Policy{Attrs: map[uint16]*genl.AttrPolicy{1: {Type: genl.PolicyNested, Nested: header}}}
	list := &genl.Policy{Attrs: map[uint16]*genl.AttrPolicy{
		1: {Type: genl.PolicyNested, Nested: header},
		4: {Type: genl.PolicyFlag},
	}}
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{Name: "demo", Version: 1,
		Ops:     map[uint8]genltest.Handler{1: nil, 2: nil, 3: nil},
		OpFlags: map[uint8]genl.OpFlags{2: genl.OpDump},
		Policy: &genl.FamilyPolicy{Ops: []genl.OpPolicy{
			{Cmd: 1, Do: get, Dump: get},
			{Cmd: 2, Dump: list}, // dump-only: the kernel says command 0
		}},
	})
	c := k.Conn(t)
	ctx := t.Context()

	fp, err := c.Policy(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if len(fp.Ops) != 2 || len(fp.Policies) != 3 {
		t.Fatalf("ops %+v, %d policies", fp.Ops, len(fp.Policies))
	}
	op1, _ := fp.Op(1)
	op2, ok := fp.Op(2)
	if !ok || op2.Do != nil || op2.Dump == nil || op2.Dump.Attrs[4].Type != genl.PolicyFlag {
		t.Fatalf("dump-only op 2 not restored: %+v", fp.Ops)
	}
	hdr := op1.Do.Attrs[1]
	if op1.Do != op1.Dump || hdr.Nested == nil || hdr.Nested != op2.Dump.Attrs[1].Nested || *hdr.NestedMaxType != 2 {
		t.Errorf("shared policies not linked: %+v", hdr)
	}
	if n := hdr.Nested.Attrs[2]; n.Type != genl.PolicyNulString || *n.MaxLength != 15 {
		t.Errorf("dev-name: %+v", n)
	}

	one, err := c.OpPolicy(ctx, "demo", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Ops) != 1 || one.Ops[0].Cmd != 2 || len(one.Policies) != 2 {
		t.Errorf("op policy: %+v", one)
	}
	if _, err := c.OpPolicy(ctx, "demo", 3); !errors.Is(err, syscall.ENODATA) {
		t.Errorf("op without policy: %v", err)
	}

	k.MustAddFamily(t, genltest.Family{Name: "bare", Ops: map[uint8]genltest.Handler{1: nil}})
	if _, err := c.Policy(ctx, "bare"); !errors.Is(err, syscall.ENODATA) {
		t.Errorf("family without policy: %v", err)
	}
}
