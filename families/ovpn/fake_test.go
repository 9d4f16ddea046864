package ovpn_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/ovpn"
	"github.com/ynlgo/ynl/families/ovpn/ovpntest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no ovpn family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (ovpntest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[ovpn.Cmd]genltest.Handler) (*ovpn.Client, *genltest.Kernel) {
	t.Helper()
	f := ovpntest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// peer encodes an ovpn peer nest by hand, with big-endian ports, 4-byte
// addresses and variable-width counters.
func peer(e *genl.Encoder, id uint32, rxBytes uint64) {
	n := e.Nest(ovpn.AttrPeer)
	e.Uint32(ovpn.AttrPeerID, id)
	e.Binary(ovpn.AttrPeerRemoteIPv4, []byte{198, 51, 100, 7})
	e.Uint16BE(ovpn.AttrPeerRemotePort, 1194)
	e.Binary(ovpn.AttrPeerVpnIPv4, []byte{10, 8, 0, byte(id)})
	e.Uint32(ovpn.AttrPeerKeepaliveInterval, 10)
	e.Uint(ovpn.AttrPeerVpnRXBytes, rxBytes)
	e.End(n)
}

// wantPeer is peer, decoded.
func wantPeer(id uint32, rxBytes uint64) *ovpn.Attrs {
	return &ovpn.Attrs{Peer: &ovpn.Peer{
		ID: genl.Some(id), RemoteIPv4: netip.MustParseAddr("198.51.100.7"), RemotePort: genl.Some[uint16](1194),
		VpnIPv4: netip.AddrFrom4([4]byte{10, 8, 0, byte(id)}), KeepaliveInterval: genl.Some[uint32](10), VpnRXBytes: genl.Some(rxBytes),
	}}
}

func TestFakePeerNewAndGet(t *testing.T) {
	added, asked := new(ovpn.OvpnPeerNewInput), new(ovpn.Attrs)
	var e genl.Encoder
	peer(&e, 1, 1<<33)
	c, _ := fake(t, map[ovpn.Cmd]genltest.Handler{
		ovpn.CmdPeerNew: genltest.Answer(added),
		ovpn.CmdPeerGet: genltest.Answer(asked, e.Bytes()),
	})
	req := &ovpn.OvpnPeerNewInput{Ifindex: genl.Some[uint32](4), Peer: &ovpn.PeerNewInput{
		ID: genl.Some[uint32](1), RemoteIPv4: netip.MustParseAddr("198.51.100.7"), RemotePort: genl.Some[uint16](1194),
		Socket: genl.Some[uint32](5), VpnIPv4: netip.MustParseAddr("10.8.0.1"),
	}}
	if err := c.PeerNew(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "peer-new request the kernel received", req, added)

	get := &ovpn.Attrs{Ifindex: genl.Some[uint32](4), Peer: &ovpn.Peer{ID: genl.Some[uint32](1)}}
	rep, err := c.PeerGet(ctx(t), get)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "peer-get request the kernel received", get, asked)
	diff(t, "peer-get reply", wantPeer(1, 1<<33), rep)
}

func TestFakePeerGetDump(t *testing.T) {
	var a, b genl.Encoder
	peer(&a, 1, 100)
	peer(&b, 2, 200)
	c, _ := fake(t, map[ovpn.Cmd]genltest.Handler{ovpn.CmdPeerGet: genltest.Answer(new(ovpn.Attrs), a.Bytes(), b.Bytes())})
	var got []*ovpn.Attrs
	for m, err := range c.PeerGetDump(ctx(t), &ovpn.Attrs{Ifindex: genl.Some[uint32](4)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*ovpn.Attrs{wantPeer(1, 100), wantPeer(2, 200)}, got)
}

func TestFakePeerDelNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), ovpn.GroupPeers)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(ovpn.AttrIfindex, 4)
	n := e.Nest(ovpn.AttrPeer)
	e.Uint32(ovpn.AttrPeerID, 2)
	e.Uint32(ovpn.AttrPeerDelReason, uint32(ovpn.DelPeerReasonExpired))
	e.End(n)
	if err := k.Notify(ovpn.FamilyName, string(ovpn.GroupPeers), uint8(ovpn.CmdPeerDelNtf), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	got, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", ovpn.Notification{Cmd: ovpn.CmdPeerDelNtf, Msg: &ovpn.Attrs{
		Ifindex: genl.Some[uint32](4), Peer: &ovpn.Peer{ID: genl.Some[uint32](2), DelReason: genl.Some(ovpn.DelPeerReasonExpired)},
	}}, got)
}
