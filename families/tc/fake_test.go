package tc_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/tc"
	"github.com/ynlgo/ynl/families/tc/tctest"
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
	fake := tctest.New(t)
	c := fake.Client()

	var got *tc.Attrs
	var flags genl.RequestFlag
	fake.HandleNewqdisc(func(ctx context.Context, req *tc.Attrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.Tcmsg.Ifindex == 9 {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "exists", AttrPath: []uint16{tc.AttrKind}}
		}
		got = req
		return nil
	})
	if err := c.Newqdisc(ctx, &tc.Attrs{Tcmsg: tc.Tcmsg{Ifindex: 3}, Kind: genl.Some("tbf")}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("Newqdisc: %v", err)
	}
	if got == nil || got.Tcmsg.Ifindex != 3 || got.Kind != genl.Some("tbf") || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v", got, flags)
	}
	err := c.Newqdisc(ctx, &tc.Attrs{Tcmsg: tc.Tcmsg{Ifindex: 9}, Kind: genl.Some("tbf")})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath == "" {
		t.Fatalf("Newqdisc 9: %v, want EEXIST naming the attribute", err)
	}

	objs := []*tc.Attrs{{Tcmsg: tc.Tcmsg{Ifindex: 1}, Kind: genl.Some("tbf")}, {Tcmsg: tc.Tcmsg{Ifindex: 2}}}
	fake.HandleGetqdiscDump(func(ctx context.Context, req *tc.Attrs) ([]*tc.Attrs, error) {
		var out []*tc.Attrs
		for _, o := range objs {
			if req.Tcmsg.Ifindex == 0 || req.Tcmsg.Ifindex == o.Tcmsg.Ifindex {
				out = append(out, o)
			}
		}
		return out, nil
	})
	count := func(filter *tc.Attrs) (n int) {
		t.Helper()
		for o, err := range c.GetqdiscDump(ctx, filter) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if filter.Tcmsg.Ifindex != 0 && o.Tcmsg.Ifindex != filter.Tcmsg.Ifindex {
				t.Errorf("the dump filtered by %v yielded %+v", filter.Tcmsg.Ifindex, o)
			}
			n++
		}
		return n
	}
	if n := count(&tc.Attrs{}); n != 2 {
		t.Fatalf("dump: %d objects, want 2", n)
	}
	if n := count(&tc.Attrs{Tcmsg: tc.Tcmsg{Ifindex: 1}}); n != 1 {
		t.Fatalf("filtered dump: %d objects, want 1", n)
	}

	sub, err := c.Subscribe(ctx, tc.GroupRtnlgrpTc)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewqdisc(tc.GroupRtnlgrpTc, objs[0]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := n.Msg.(*tc.Attrs); !ok || o.Tcmsg.Ifindex != 1 || o.Kind != genl.Some("tbf") {
		t.Fatalf("notification %d %s: %+v, want the first object", n.Type, n.Op, n.Msg)
	}
}
