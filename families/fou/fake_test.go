package fou

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no fou family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: nil, Ops: ops,
	})
	return New(k.Conn(t)), k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The fou spec has no multicast groups, so there are no notifications
// to test.

// fouPort encodes a FOU receive port by hand; port is in host order,
// the attribute big-endian.
func fouPort(port uint16, proto uint8) []byte {
	var e genl.Encoder
	e.Uint16BE(AttrPort, port)
	e.Uint8(AttrAf, 2) // AF_INET
	e.Uint8(AttrIpproto, proto)
	e.Uint8(AttrType, 1) // direct
	e.Flag(AttrRemcsumNopartial)
	return e.Bytes()
}

// wantPort is fouPort, decoded.
func wantPort(port uint16, proto uint8) *Attrs {
	return &Attrs{Port: genl.Some(port), Af: genl.Some[uint8](2), Ipproto: genl.Some(proto), Type: genl.Some[uint8](1), RemcsumNopartial: true}
}

func TestFakeAddAndGet(t *testing.T) {
	added, asked := new(Attrs), new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdAdd): genltest.Answer(added),
		uint8(CmdGet): genltest.Answer(asked, fouPort(5555, 4)),
	})
	req := wantPort(5555, 4)
	req.Ifindex = genl.Some[int32](-1) // an explicit negative value is sent
	if err := c.Add(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "add request the kernel received", req, added)

	get := &Attrs{Port: genl.Some[uint16](5555), Af: genl.Some[uint8](2)}
	rep, err := c.Get(ctx(t), get)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "get request the kernel received", get, asked)
	diff(t, "get reply", wantPort(5555, 4), rep)
}

func TestFakeGetDump(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): genltest.Answer(new(Attrs), fouPort(5555, 4), fouPort(6666, 47))})
	var got []*Attrs
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*Attrs{wantPort(5555, 4), wantPort(6666, 47)}, got)
}
