package fou_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/fou"
	"github.com/ynlgo/ynl/families/fou/foutest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no fou family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (foutest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[fou.Cmd]genltest.Handler) (*fou.Client, *genltest.Kernel) {
	t.Helper()
	f := foutest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The fou spec has no multicast groups, so there are no notifications
// to test.

// fouPort encodes a FOU receive port by hand; port is in host order,
// the attribute big-endian.
func fouPort(port uint16, proto uint8) []byte {
	var e genl.Encoder
	e.Uint16BE(fou.AttrPort, port)
	e.Uint8(fou.AttrAf, 2) // AF_INET
	e.Uint8(fou.AttrIpproto, proto)
	e.Uint8(fou.AttrType, 1) // direct
	e.Flag(fou.AttrRemcsumNopartial)
	return e.Bytes()
}

// wantPort is fouPort, decoded.
func wantPort(port uint16, proto uint8) *fou.Attrs {
	return &fou.Attrs{Port: genl.Some(port), Af: genl.Some[uint8](2), Ipproto: genl.Some(proto), Type: genl.Some[uint8](1), RemcsumNopartial: true}
}

func TestFakeAddAndGet(t *testing.T) {
	added, asked := new(fou.Attrs), new(fou.Attrs)
	c, _ := fake(t, map[fou.Cmd]genltest.Handler{
		fou.CmdAdd: genltest.Answer(added),
		fou.CmdGet: genltest.Answer(asked, fouPort(5555, 4)),
	})
	req := wantPort(5555, 4)
	req.Ifindex = genl.Some[int32](-1) // an explicit negative value is sent
	if err := c.Add(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "add request the kernel received", req, added)

	get := &fou.Attrs{Port: genl.Some[uint16](5555), Af: genl.Some[uint8](2)}
	rep, err := c.Get(ctx(t), get)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "get request the kernel received", get, asked)
	diff(t, "get reply", wantPort(5555, 4), rep)
}

func TestFakeGetDump(t *testing.T) {
	c, _ := fake(t, map[fou.Cmd]genltest.Handler{fou.CmdGet: genltest.Answer(new(fou.Attrs), fouPort(5555, 4), fouPort(6666, 47))})
	var got []*fou.Attrs
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*fou.Attrs{wantPort(5555, 4), wantPort(6666, 47)}, got)
}
