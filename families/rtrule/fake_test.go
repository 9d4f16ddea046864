package rtrule_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/rtrule"
	"github.com/ynlgo/ynl/families/rtrule/rtruletest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// TestFake drives the generated client against the generated typed fake:
// a do with request flags and a kernel error naming an attribute, a dump
// filtered by its fixed header, and a typed notification received on a
// subscription.
func TestFake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake := rtruletest.New(t)
	c := fake.Client()

	var got *rtrule.FibRuleAttrs
	var flags genl.RequestFlag
	fake.HandleNewrule(func(ctx context.Context, req *rtrule.FibRuleAttrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.FibRuleHdr.Table == 9 {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "exists", AttrPath: []uint16{rtrule.AttrFibRuleAttrsPriority}}
		}
		got = req
		return nil
	})
	if err := c.Newrule(ctx, &rtrule.FibRuleAttrs{FibRuleHdr: rtrule.FibRuleHdr{Table: 3}, Priority: genl.Some[uint32](100)}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("Newrule: %v", err)
	}
	if got == nil || got.FibRuleHdr.Table != 3 || got.Priority != genl.Some[uint32](100) || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v", got, flags)
	}
	err := c.Newrule(ctx, &rtrule.FibRuleAttrs{FibRuleHdr: rtrule.FibRuleHdr{Table: 9}, Priority: genl.Some[uint32](100)})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath == "" {
		t.Fatalf("Newrule 9: %v, want EEXIST naming the attribute", err)
	}

	objs := []*rtrule.FibRuleAttrs{{FibRuleHdr: rtrule.FibRuleHdr{Table: 1}, Priority: genl.Some[uint32](100)}, {FibRuleHdr: rtrule.FibRuleHdr{Table: 2}}}
	fake.HandleGetruleDump(func(ctx context.Context, req *rtrule.FibRuleAttrs) ([]*rtrule.FibRuleAttrs, error) {
		var out []*rtrule.FibRuleAttrs
		for _, o := range objs {
			if req.FibRuleHdr.Table == 0 || req.FibRuleHdr.Table == o.FibRuleHdr.Table {
				out = append(out, o)
			}
		}
		return out, nil
	})
	count := func(filter *rtrule.FibRuleAttrs) (n int) {
		t.Helper()
		for o, err := range c.GetruleDump(ctx, filter) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if filter.FibRuleHdr.Table != 0 && o.FibRuleHdr.Table != filter.FibRuleHdr.Table {
				t.Errorf("the dump filtered by %v yielded %+v", filter.FibRuleHdr.Table, o)
			}
			n++
		}
		return n
	}
	if n := count(&rtrule.FibRuleAttrs{}); n != 2 {
		t.Fatalf("dump: %d objects, want 2", n)
	}
	if n := count(&rtrule.FibRuleAttrs{FibRuleHdr: rtrule.FibRuleHdr{Table: 1}}); n != 1 {
		t.Fatalf("filtered dump: %d objects, want 1", n)
	}

	sub, err := c.Subscribe(ctx, rtrule.GroupRtnlgrpIPv4Rule)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewruleNtf(rtrule.GroupRtnlgrpIPv4Rule, objs[0]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := n.Msg.(*rtrule.FibRuleAttrs); !ok || o.FibRuleHdr.Table != 1 || o.Priority != genl.Some[uint32](100) {
		t.Fatalf("notification %d %s: %+v, want the first object", n.Type, n.Op, n.Msg)
	}
}
