package rtaddr_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/families/rtaddr/rtaddrtest"
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
	fake := rtaddrtest.New(t)
	c := fake.Client()

	var got *rtaddr.AddrAttrs
	var flags genl.RequestFlag
	fake.HandleNewaddr(func(ctx context.Context, req *rtaddr.AddrAttrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.Ifaddrmsg.IfaIndex == 9 {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "exists", AttrPath: []uint16{rtaddr.AttrAddrAttrsLabel}}
		}
		got = req
		return nil
	})
	if err := c.Newaddr(ctx, &rtaddr.AddrAttrs{Ifaddrmsg: rtaddr.Ifaddrmsg{IfaIndex: 3}, Label: genl.Some("lo:1")}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("Newaddr: %v", err)
	}
	if got == nil || got.Ifaddrmsg.IfaIndex != 3 || got.Label != genl.Some("lo:1") || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v", got, flags)
	}
	err := c.Newaddr(ctx, &rtaddr.AddrAttrs{Ifaddrmsg: rtaddr.Ifaddrmsg{IfaIndex: 9}, Label: genl.Some("lo:1")})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath == "" {
		t.Fatalf("Newaddr 9: %v, want EEXIST naming the attribute", err)
	}

	objs := []*rtaddr.AddrAttrs{{Ifaddrmsg: rtaddr.Ifaddrmsg{IfaIndex: 1}, Label: genl.Some("lo:1")}, {Ifaddrmsg: rtaddr.Ifaddrmsg{IfaIndex: 2}}}
	fake.HandleGetaddrDump(func(ctx context.Context, req *rtaddr.AddrAttrs) ([]*rtaddr.AddrAttrs, error) {
		var out []*rtaddr.AddrAttrs
		for _, o := range objs {
			if req.Ifaddrmsg.IfaIndex == 0 || req.Ifaddrmsg.IfaIndex == o.Ifaddrmsg.IfaIndex {
				out = append(out, o)
			}
		}
		return out, nil
	})
	count := func(filter *rtaddr.AddrAttrs) (n int) {
		t.Helper()
		for o, err := range c.GetaddrDump(ctx, filter) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if filter.Ifaddrmsg.IfaIndex != 0 && o.Ifaddrmsg.IfaIndex != filter.Ifaddrmsg.IfaIndex {
				t.Errorf("the dump filtered by %v yielded %+v", filter.Ifaddrmsg.IfaIndex, o)
			}
			n++
		}
		return n
	}
	if n := count(&rtaddr.AddrAttrs{}); n != 2 {
		t.Fatalf("dump: %d objects, want 2", n)
	}
	if n := count(&rtaddr.AddrAttrs{Ifaddrmsg: rtaddr.Ifaddrmsg{IfaIndex: 1}}); n != 1 {
		t.Fatalf("filtered dump: %d objects, want 1", n)
	}

	sub, err := c.Subscribe(ctx, rtaddr.GroupRtnlgrpIPv4Ifaddr)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewaddr(rtaddr.GroupRtnlgrpIPv4Ifaddr, objs[0]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := n.Msg.(*rtaddr.AddrAttrs); !ok || o.Ifaddrmsg.IfaIndex != 1 || o.Label != genl.Some("lo:1") {
		t.Fatalf("notification %d %s: %+v, want the first object", n.Type, n.Op, n.Msg)
	}
}
