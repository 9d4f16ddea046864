package directional

// This test is copied next to the generated package by the codegen
// compile test, and runs there against the fake kernel.

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

func TestDirectionalIDs(t *testing.T) {
	ctx := context.Background()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Groups: []string{string(GroupMonitor)},
		Ops: map[uint8]genltest.Handler{
			uint8(CmdInfoGet): func(req genltest.Request) ([]genltest.Reply, error) {
				var in Info
				if err := in.Decode(req.Attrs); err != nil {
					return nil, err
				}
				var e genl.Encoder
				(&Info{Index: in.Index, Speed: genl.Some[uint32](1000)}).Encode(&e)
				return []genltest.Reply{{Command: uint8(CmdInfoGetReply), Attrs: e.Bytes()}}, nil
			},
		},
	})
	c := New(k.Conn(t))
	rep, err := c.InfoGet(ctx, &Info{Index: genl.Some[uint32](3)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Index.Value != 3 || rep.Speed.Value != 1000 {
		t.Errorf("reply %+v", rep)
	}
	sub, err := c.Subscribe(ctx, GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	(&Info{Speed: genl.Some[uint32](10)}).Encode(&e)
	if err := k.Notify(FamilyName, string(GroupMonitor), uint8(CmdInfoNtf), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := n.Msg.(*Info); n.Cmd != CmdInfoNtf || !ok || m.Speed.Value != 10 {
		t.Errorf("notification %v %+v, want info-ntf with speed 10", n.Cmd, n.Msg)
	}
	if n.Cmd.String() != "info-ntf" || CmdInfoGetReply.String() != "info-get" {
		t.Errorf("names: %q %q", n.Cmd, CmdInfoGetReply)
	}
}

// A reply id several ops share prints as the kernel names it: after its
// notification, else after the op sent with that id.
func TestSharedReplyIDNames(t *testing.T) {
	for _, c := range []struct {
		id   ReplyCmd
		want string
	}{
		{CmdInfoGetReply, "info-get"},
		{CmdStationGetReply, "station-new-ntf"},
		{CmdStationNewNtf, "station-new-ntf"},
		{CmdPortGetReply, "port-new"},
		{CmdPortNewReply, "port-new"},
		{99, "99"},
	} {
		if got := c.id.String(); got != c.want {
			t.Errorf("ReplyCmd(%d).String() = %q, want %q", uint8(c.id), got, c.want)
		}
	}
}

// An op declared with a reply that the kernel only acknowledges returns a
// nil reply and an error wrapping ErrNoReply, naming the op.
func TestAckWithoutReply(t *testing.T) {
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName,
		Ops: map[uint8]genltest.Handler{
			uint8(CmdInfoGet): func(genltest.Request) ([]genltest.Reply, error) { return nil, nil },
		},
	})
	rep, err := New(k.Conn(t)).InfoGet(context.Background(), &Info{Index: genl.Some[uint32](3)})
	if !errors.Is(err, ErrNoReply) || rep != nil {
		t.Fatalf("InfoGet = %v, %v; want nil and ErrNoReply", rep, err)
	}
	if want := "directional info-get: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q does not start with %q", err, want)
	}
}
