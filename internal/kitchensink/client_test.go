package kitchensink

import (
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// fake serves the kitchensink family from a fake kernel. handlers answer
// its ops; the returned client talks to it.
func fake(t *testing.T, handlers map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupEvents)}, Ops: handlers,
	})
	return New(k.Conn(t)), k
}

// reply encodes m as a reply message with its fixed header.
func reply(m *Attrs) genltest.Reply {
	return genltest.Reply{Header: m.encodeHeader(), Attrs: encode(m)}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestClientDo(t *testing.T) {
	want := &Attrs{KsHeader: KsHeader{Ifindex: 3}, U8: genl.Some[uint8](1), Name: genl.Some("eth0"), Inner: &Inner{ID: genl.Some[uint32](4)}}
	var got Attrs
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdGet): func(req genltest.Request) ([]genltest.Reply, error) {
			got.decodeHeader(req.Header)
			if err := got.Decode(req.Attrs); err != nil {
				return nil, err
			}
			return []genltest.Reply{reply(want)}, nil
		},
	})
	req := &Attrs{KsHeader: KsHeader{Ifindex: 3, Flags: OptsForce}, U32: genl.Some[uint32](0), Name: genl.Some("eth0")}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(req, &got, cmpOpts...); d != "" {
		t.Errorf("the kernel received (-sent +received):\n%s", d)
	}
	if d := cmp.Diff(want, rep, cmpOpts...); d != "" {
		t.Errorf("reply (-want +got):\n%s", d)
	}
}

func TestClientDumpAndFlags(t *testing.T) {
	var flags netlink.HeaderFlags
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdGet): func(req genltest.Request) ([]genltest.Reply, error) {
			var out []genltest.Reply
			for i := range 3 {
				out = append(out, reply(&Attrs{U32: genl.Some(uint32(i))}))
			}
			return out, nil
		},
		uint8(CmdSet): func(req genltest.Request) ([]genltest.Reply, error) {
			flags = req.Flags
			return nil, nil
		},
	})
	var n []uint32
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n = append(n, m.U32.Value)
	}
	if len(n) != 3 || n[2] != 2 {
		t.Errorf("dump yielded %v, want [0 1 2]", n)
	}
	if err := c.Set(genl.WithFlags(ctx(t), netlink.Create|netlink.Excl), &Attrs{}); err != nil {
		t.Fatal(err)
	}
	if flags&(netlink.Create|netlink.Excl) != netlink.Create|netlink.Excl {
		t.Errorf("request flags %v lack create|excl", flags)
	}
}

func TestClientValidatesBeforeSending(t *testing.T) {
	sent := 0
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdSet): func(req genltest.Request) ([]genltest.Reply, error) { sent++; return nil, nil },
	})
	bad := &Attrs{Percent: genl.Some[uint8](101)}
	err := c.Set(ctx(t), bad)
	var ve *genl.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "kitchensink set: invalid .percent") {
		t.Fatalf("Set = %v, want a validation error naming the op and attribute", err)
	}
	if sent != 0 {
		t.Fatal("an invalid request was sent")
	}
	if err := c.Set(genl.WithoutValidation(ctx(t)), bad); err != nil || sent != 1 {
		t.Fatalf("WithoutValidation: err %v, sent %d", err, sent)
	}
	c.NoValidate = true
	if err := c.Set(ctx(t), bad); err != nil || sent != 2 {
		t.Fatalf("NoValidate: err %v, sent %d", err, sent)
	}
}

func TestClientKernelErrorNamesAttribute(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdSet): func(req genltest.Request) ([]genltest.Reply, error) {
			w := genl.NewWalker(req.Attrs, nil)
			for w.Next() {
				if w.Type() == AttrInner {
					return nil, &genltest.Error{Errno: syscall.ERANGE, Message: "bad inner", Offset: genl.Some(w.Offset())}
				}
			}
			return nil, nil
		},
	})
	err := c.Set(ctx(t), &Attrs{U32: genl.Some[uint32](1), Inner: &Inner{}})
	if !errors.Is(err, syscall.ERANGE) || !strings.Contains(err.Error(), ".inner") {
		t.Fatalf("Set = %v, want ERANGE naming .inner", err)
	}
}

func TestClientNoReply(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdGet): func(req genltest.Request) ([]genltest.Reply, error) { return nil, nil },
	})
	if _, err := c.Get(ctx(t), nil); err == nil || !strings.Contains(err.Error(), "no reply") {
		t.Fatalf("Get = %v, want a no-reply error", err)
	}
}

func TestSubscription(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupEvents)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	m := &Attrs{KsHeader: KsHeader{Ifindex: 9}, Name: genl.Some("veth0")}
	r := reply(m)
	r.Command = uint8(CmdChanged)
	if err := k.NotifyMessage(FamilyName, string(GroupEvents), r); err != nil {
		t.Fatal(err)
	}
	alarm := &Inner{ID: genl.Some[uint32](5)}
	if err := k.NotifyMessage(FamilyName, string(GroupEvents), genltest.Reply{Command: uint8(CmdAlarm), Header: alarm.encodeHeader(), Attrs: encode(alarm)}); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != CmdChanged || cmp.Diff(m, n.Msg, cmpOpts...) != "" {
		t.Errorf("got %v %+v, want changed %+v", n.Cmd, n.Msg, m)
	}
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := n.Msg.(*Inner); n.Cmd != CmdAlarm || !ok || got.ID.Value != 5 {
			t.Errorf("got %v %+v, want alarm with id 5", n.Cmd, n.Msg)
		}
		break
	}
}
