package handshake_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/handshake"
	"github.com/ynlgo/ynl/families/handshake/handshaketest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no handshake family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (handshaketest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[handshake.Cmd]genltest.Handler) (*handshake.Client, *genltest.Kernel) {
	t.Helper()
	f := handshaketest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The handshake spec has no dump operations: accept and done are do
// requests, ready a notification.

func TestFakeAccept(t *testing.T) {
	var e genl.Encoder
	e.Int32(handshake.AttrAcceptSockfd, 7)
	e.Uint32(handshake.AttrAcceptMessageType, uint32(handshake.MsgTypeClienthello))
	e.Uint32(handshake.AttrAcceptTimeout, 5000)
	e.Uint32(handshake.AttrAcceptAuthMode, uint32(handshake.AuthX509))
	e.Uint32(handshake.AttrAcceptPeerIdentity, 11)
	e.Uint32(handshake.AttrAcceptPeerIdentity, 12)
	n := e.Nest(handshake.AttrAcceptCertificate)
	e.Int32(handshake.AttrX509Cert, 21)
	e.Int32(handshake.AttrX509Privkey, 22)
	e.End(n)
	e.String(handshake.AttrAcceptPeername, "server.example")
	got := new(handshake.Accept)
	c, _ := fake(t, map[handshake.Cmd]genltest.Handler{handshake.CmdAccept: genltest.Answer(got, e.Bytes())})
	req := &handshake.Accept{HandlerClass: genl.Some(handshake.HandlerClassTlshd)}
	rep, err := c.Accept(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &handshake.Accept{
		Sockfd: genl.Some[int32](7), MessageType: genl.Some(handshake.MsgTypeClienthello), Timeout: genl.Some[uint32](5000),
		AuthMode: genl.Some(handshake.AuthX509), PeerIdentity: []uint32{11, 12},
		Certificate: []handshake.X509{{Cert: genl.Some[int32](21), Privkey: genl.Some[int32](22)}},
		Peername:    genl.Some("server.example"),
	}, rep)
}

func TestFakeDone(t *testing.T) {
	got := new(handshake.Done)
	c, _ := fake(t, map[handshake.Cmd]genltest.Handler{handshake.CmdDone: genltest.Answer(got)})
	req := &handshake.Done{Status: genl.Some[uint32](0), Sockfd: genl.Some[int32](7), RemoteAuth: []uint32{31, 32}}
	if err := c.Done(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}

func TestFakeReady(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), handshake.GroupTlshd)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(handshake.AttrAcceptHandlerClass, uint32(handshake.HandlerClassTlshd))
	if err := k.Notify(handshake.FamilyName, string(handshake.GroupTlshd), uint8(handshake.CmdReady), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", handshake.Notification{Cmd: handshake.CmdReady, Msg: &handshake.Accept{HandlerClass: genl.Some(handshake.HandlerClassTlshd)}}, n)
}
