package rtroute_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/rtroute"
	"github.com/ynlgo/ynl/families/rtroute/rtroutetest"
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
	fake := rtroutetest.New(t)
	c := fake.Client()

	var got *rtroute.RouteAttrs
	var flags genl.RequestFlag
	fake.HandleNewroute(func(ctx context.Context, req *rtroute.RouteAttrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.Rtmsg.RtmTable == 9 {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "exists", AttrPath: []uint16{rtroute.AttrRouteAttrsTable}}
		}
		got = req
		return nil
	})
	if err := c.Newroute(ctx, &rtroute.RouteAttrs{Rtmsg: rtroute.Rtmsg{RtmTable: 3}, Table: genl.Some[uint32](1000)}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("Newroute: %v", err)
	}
	if got == nil || got.Rtmsg.RtmTable != 3 || got.Table != genl.Some[uint32](1000) || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v", got, flags)
	}
	err := c.Newroute(ctx, &rtroute.RouteAttrs{Rtmsg: rtroute.Rtmsg{RtmTable: 9}, Table: genl.Some[uint32](1000)})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath == "" {
		t.Fatalf("Newroute 9: %v, want EEXIST naming the attribute", err)
	}

	objs := []*rtroute.RouteAttrs{{Rtmsg: rtroute.Rtmsg{RtmTable: 1}, Table: genl.Some[uint32](1000)}, {Rtmsg: rtroute.Rtmsg{RtmTable: 2}}}
	fake.HandleGetrouteDump(func(ctx context.Context, req *rtroute.RouteAttrs) ([]*rtroute.RouteAttrs, error) {
		var out []*rtroute.RouteAttrs
		for _, o := range objs {
			if req.Rtmsg.RtmTable == 0 || req.Rtmsg.RtmTable == o.Rtmsg.RtmTable {
				out = append(out, o)
			}
		}
		return out, nil
	})
	count := func(filter *rtroute.RouteAttrs) (n int) {
		t.Helper()
		for o, err := range c.GetrouteDump(ctx, filter) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if filter.Rtmsg.RtmTable != 0 && o.Rtmsg.RtmTable != filter.Rtmsg.RtmTable {
				t.Errorf("the dump filtered by %v yielded %+v", filter.Rtmsg.RtmTable, o)
			}
			n++
		}
		return n
	}
	if n := count(&rtroute.RouteAttrs{}); n != 2 {
		t.Fatalf("dump: %d objects, want 2", n)
	}
	if n := count(&rtroute.RouteAttrs{Rtmsg: rtroute.Rtmsg{RtmTable: 1}}); n != 1 {
		t.Fatalf("filtered dump: %d objects, want 1", n)
	}

	sub, err := c.Subscribe(ctx, rtroute.GroupRtnlgrpIPv4Route)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewroute(rtroute.GroupRtnlgrpIPv4Route, objs[0]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := n.Msg.(*rtroute.RouteAttrs); !ok || o.Rtmsg.RtmTable != 1 || o.Table != genl.Some[uint32](1000) {
		t.Fatalf("notification %d %s: %+v, want the first object", n.Type, n.Op, n.Msg)
	}
}
