package handshake

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no handshake family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupNone), string(GroupTlshd)}, Ops: ops,
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

// The handshake spec has no dump operations: accept and done are do
// requests, ready a notification.

func TestFakeAccept(t *testing.T) {
	var e genl.Encoder
	e.Int32(AttrAcceptSockfd, 7)
	e.Uint32(AttrAcceptMessageType, uint32(MsgTypeClienthello))
	e.Uint32(AttrAcceptTimeout, 5000)
	e.Uint32(AttrAcceptAuthMode, uint32(AuthX509))
	e.Uint32(AttrAcceptPeerIdentity, 11)
	e.Uint32(AttrAcceptPeerIdentity, 12)
	n := e.Nest(AttrAcceptCertificate)
	e.Int32(AttrX509Cert, 21)
	e.Int32(AttrX509Privkey, 22)
	e.End(n)
	e.String(AttrAcceptPeername, "server.example")
	got := new(Accept)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdAccept): genltest.Answer(got, e.Bytes())})
	req := &Accept{HandlerClass: genl.Some(HandlerClassTlshd)}
	rep, err := c.Accept(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &Accept{
		Sockfd: genl.Some[int32](7), MessageType: genl.Some(MsgTypeClienthello), Timeout: genl.Some[uint32](5000),
		AuthMode: genl.Some(AuthX509), PeerIdentity: []uint32{11, 12},
		Certificate: []X509{{Cert: genl.Some[int32](21), Privkey: genl.Some[int32](22)}},
		Peername:    genl.Some("server.example"),
	}, rep)
}

func TestFakeDone(t *testing.T) {
	got := new(Done)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdDone): genltest.Answer(got)})
	req := &Done{Status: genl.Some[uint32](0), Sockfd: genl.Some[int32](7), RemoteAuth: []uint32{31, 32}}
	if err := c.Done(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}

func TestFakeReady(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupTlshd)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(AttrAcceptHandlerClass, uint32(HandlerClassTlshd))
	if err := k.Notify(FamilyName, string(GroupTlshd), uint8(CmdReady), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdReady, Msg: &Accept{HandlerClass: genl.Some(HandlerClassTlshd)}}, n)
}
