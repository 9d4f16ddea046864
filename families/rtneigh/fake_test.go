package rtneigh_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/rtneigh"
	"github.com/ynlgo/ynl/families/rtneigh/rtneightest"
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
	fake := rtneightest.New(t)
	c := fake.Client()

	var got *rtneigh.NeighbourAttrs
	var flags genl.RequestFlag
	fake.HandleNewneigh(func(ctx context.Context, req *rtneigh.NeighbourAttrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.Ndmsg.NdmIfindex == 9 {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "exists", AttrPath: []uint16{rtneigh.AttrNeighbourAttrsProbes}}
		}
		got = req
		return nil
	})
	if err := c.Newneigh(ctx, &rtneigh.NeighbourAttrs{Ndmsg: rtneigh.Ndmsg{NdmIfindex: 3}, Probes: genl.Some[uint32](4)}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("Newneigh: %v", err)
	}
	if got == nil || got.Ndmsg.NdmIfindex != 3 || got.Probes != genl.Some[uint32](4) || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v", got, flags)
	}
	err := c.Newneigh(ctx, &rtneigh.NeighbourAttrs{Ndmsg: rtneigh.Ndmsg{NdmIfindex: 9}, Probes: genl.Some[uint32](4)})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath == "" {
		t.Fatalf("Newneigh 9: %v, want EEXIST naming the attribute", err)
	}

	objs := []*rtneigh.NeighbourAttrs{{Ndmsg: rtneigh.Ndmsg{NdmIfindex: 1}, Probes: genl.Some[uint32](4)}, {Ndmsg: rtneigh.Ndmsg{NdmIfindex: 2}}}
	fake.HandleGetneighDump(func(ctx context.Context, req *rtneigh.NeighbourAttrs) ([]*rtneigh.NeighbourAttrs, error) {
		var out []*rtneigh.NeighbourAttrs
		for _, o := range objs {
			if req.Ndmsg.NdmIfindex == 0 || req.Ndmsg.NdmIfindex == o.Ndmsg.NdmIfindex {
				out = append(out, o)
			}
		}
		return out, nil
	})
	count := func(filter *rtneigh.NeighbourAttrs) (n int) {
		t.Helper()
		for o, err := range c.GetneighDump(ctx, filter) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if filter.Ndmsg.NdmIfindex != 0 && o.Ndmsg.NdmIfindex != filter.Ndmsg.NdmIfindex {
				t.Errorf("the dump filtered by %v yielded %+v", filter.Ndmsg.NdmIfindex, o)
			}
			n++
		}
		return n
	}
	if n := count(&rtneigh.NeighbourAttrs{}); n != 2 {
		t.Fatalf("dump: %d objects, want 2", n)
	}
	if n := count(&rtneigh.NeighbourAttrs{Ndmsg: rtneigh.Ndmsg{NdmIfindex: 1}}); n != 1 {
		t.Fatalf("filtered dump: %d objects, want 1", n)
	}

	sub, err := c.Subscribe(ctx, rtneigh.GroupRtnlgrpNeigh)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewneighNtf(rtneigh.GroupRtnlgrpNeigh, objs[0]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := n.Msg.(*rtneigh.NeighbourAttrs); !ok || o.Ndmsg.NdmIfindex != 1 || o.Probes != genl.Some[uint32](4) {
		t.Fatalf("notification %d %s: %+v, want the first object", n.Type, n.Op, n.Msg)
	}
}
