package rtlink_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/families/rtlink/rtlinktest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// TestFake drives the generated client against the generated typed fake:
// a do with request flags, a do with a reply, a filtered dump, kernel
// errors naming an attribute and a fixed-header field, and a typed
// notification received on a subscription.
func TestFake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake := rtlinktest.New(t)
	c := fake.Client()

	links := []*rtlink.LinkAttrs{
		{Ifinfomsg: rtlink.Ifinfomsg{IfiIndex: 1}, Ifname: genl.Some("lo"), MTU: genl.Some[uint32](65536)},
		{Ifinfomsg: rtlink.Ifinfomsg{IfiIndex: 2}, Ifname: genl.Some("eth0"), MTU: genl.Some[uint32](1500)},
	}
	var created *rtlink.LinkAttrs
	var flags genl.RequestFlag
	fake.HandleNewlink(func(ctx context.Context, req *rtlink.LinkAttrs) error {
		r, _ := genltest.RequestOf(ctx)
		flags = genl.RequestFlag(r.Flags) & (genl.Create | genl.Excl)
		if req.Ifname.Value == "eth0" {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "device exists", AttrPath: []uint16{rtlink.AttrLinkAttrsIfname}}
		}
		created = req
		return nil
	})
	if err := c.Newlink(ctx, &rtlink.LinkAttrs{Ifname: genl.Some("dummy0"), MTU: genl.Some[uint32](9000)}, genl.Create, genl.Excl); err != nil {
		t.Fatalf("newlink: %v", err)
	}
	if created == nil || created.Ifname.Value != "dummy0" || created.MTU.Value != 9000 || flags != genl.Create|genl.Excl {
		t.Fatalf("the fake saw %+v with flags %v, want dummy0, mtu 9000, create|excl", created, flags)
	}
	err := c.Newlink(ctx, &rtlink.LinkAttrs{Ifname: genl.Some("eth0")}, genl.Create)
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.Message != "device exists" || kerr.AttrPath != ".ifname" {
		t.Fatalf("newlink eth0: %v (%+v), want EEXIST naming ifname", err, kerr)
	}

	fake.HandleGetlink(func(ctx context.Context, req *rtlink.LinkAttrs) (*rtlink.LinkAttrs, error) {
		for _, l := range links {
			if l.Ifinfomsg.IfiIndex == req.Ifinfomsg.IfiIndex {
				return l, nil
			}
		}
		return nil, &genltest.Error{Errno: syscall.ENODEV, Message: "no such index", HeaderOffset: genl.Some(4)}
	})
	got, err := c.Getlink(ctx, &rtlink.LinkAttrs{Ifinfomsg: rtlink.Ifinfomsg{IfiIndex: 2}})
	if err != nil || got.Ifname.Value != "eth0" || got.MTU.Value != 1500 || got.Ifinfomsg.IfiIndex != 2 {
		t.Fatalf("getlink 2: %+v, %v", got, err)
	}
	_, err = c.Getlink(ctx, &rtlink.LinkAttrs{Ifinfomsg: rtlink.Ifinfomsg{IfiIndex: 7}})
	if !errors.As(err, &kerr) || kerr.Errno != syscall.ENODEV || kerr.HeaderField != "ifinfomsg.ifi-index" {
		t.Fatalf("getlink 7: %v (%+v), want ENODEV naming ifinfomsg.ifi-index", err, kerr)
	}

	fake.HandleGetlinkDump(func(ctx context.Context, req *rtlink.LinkAttrs) ([]*rtlink.LinkAttrs, error) {
		if req.Ifinfomsg.IfiType != 0 {
			return nil, nil // the filter matches nothing
		}
		return links, nil
	})
	var names []string
	for l, err := range c.GetlinkDump(ctx, &rtlink.LinkAttrs{}) {
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		names = append(names, l.Ifname.Value)
	}
	if len(names) != 2 || names[0] != "lo" || names[1] != "eth0" {
		t.Fatalf("dump: %q, want lo eth0", names)
	}
	for l, err := range c.GetlinkDump(ctx, &rtlink.LinkAttrs{Ifinfomsg: rtlink.Ifinfomsg{IfiType: 1}}) {
		t.Fatalf("filtered dump yielded %+v, %v", l, err)
	}

	sub, err := c.Subscribe(ctx, rtlink.GroupRtnlgrpLink)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	down := &rtlink.LinkAttrs{Ifinfomsg: rtlink.Ifinfomsg{IfiIndex: 2, IfiChange: 1}, Ifname: genl.Some("eth0")}
	if err := fake.NotifyNewlinkNtf(rtlink.GroupRtnlgrpLink, down); err != nil {
		t.Fatal(err)
	}
	if err := fake.NotifyDellink(rtlink.GroupRtnlgrpLink, links[1]); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if l, ok := n.Msg.(*rtlink.LinkAttrs); n.Type != uint16(rtlink.CmdNewlinkNtf) || !ok || l.Ifname.Value != "eth0" || l.Ifinfomsg.IfiChange != 1 {
		t.Fatalf("notification %d %s: %+v, want newlink of eth0", n.Type, n.Op, n.Msg)
	}
	n, err = sub.Receive(ctx)
	if err != nil || n.Type != uint16(rtlink.CmdDellink) || n.Op != "dellink" {
		t.Fatalf("second notification: %d %q, %v, want dellink", n.Type, n.Op, err)
	}

	// An op without a handler fails as a kernel without it does.
	err = c.Setlink(ctx, &rtlink.LinkAttrs{})
	if !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Fatalf("setlink without a handler: %v, want EOPNOTSUPP", err)
	}
}
