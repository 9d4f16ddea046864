package ovpn

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no ovpn family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupPeers)}, Ops: ops,
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
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// peer encodes an ovpn peer nest by hand, with big-endian ports, 4-byte
// addresses and variable-width counters.
func peer(e *genl.Encoder, id uint32, rxBytes uint64) {
	n := e.Nest(AttrPeer)
	e.Uint32(AttrPeerID, id)
	e.Binary(AttrPeerRemoteIPv4, []byte{198, 51, 100, 7})
	e.Uint16BE(AttrPeerRemotePort, 1194)
	e.Binary(AttrPeerVpnIPv4, []byte{10, 8, 0, byte(id)})
	e.Uint32(AttrPeerKeepaliveInterval, 10)
	e.Uint(AttrPeerVpnRXBytes, rxBytes)
	e.End(n)
}

// wantPeer is peer, decoded.
func wantPeer(id uint32, rxBytes uint64) *Attrs {
	return &Attrs{Peer: &Peer{
		ID: genl.Some(id), RemoteIPv4: netip.MustParseAddr("198.51.100.7"), RemotePort: genl.Some[uint16](1194),
		VpnIPv4: netip.AddrFrom4([4]byte{10, 8, 0, byte(id)}), KeepaliveInterval: genl.Some[uint32](10), VpnRXBytes: genl.Some(rxBytes),
	}}
}

func TestFakePeerNewAndGet(t *testing.T) {
	added, asked := new(OvpnPeerNewInput), new(Attrs)
	var e genl.Encoder
	peer(&e, 1, 1<<33)
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdPeerNew): genltest.Answer(added),
		uint8(CmdPeerGet): genltest.Answer(asked, e.Bytes()),
	})
	req := &OvpnPeerNewInput{Ifindex: genl.Some[uint32](4), Peer: &PeerNewInput{
		ID: genl.Some[uint32](1), RemoteIPv4: netip.MustParseAddr("198.51.100.7"), RemotePort: genl.Some[uint16](1194),
		Socket: genl.Some[uint32](5), VpnIPv4: netip.MustParseAddr("10.8.0.1"),
	}}
	if err := c.PeerNew(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "peer-new request the kernel received", req, added)

	get := &Attrs{Ifindex: genl.Some[uint32](4), Peer: &Peer{ID: genl.Some[uint32](1)}}
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
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdPeerGet): genltest.Answer(new(Attrs), a.Bytes(), b.Bytes())})
	var got []*Attrs
	for m, err := range c.PeerGetDump(ctx(t), &Attrs{Ifindex: genl.Some[uint32](4)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*Attrs{wantPeer(1, 100), wantPeer(2, 200)}, got)
}

func TestFakePeerDelNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupPeers)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(AttrIfindex, 4)
	n := e.Nest(AttrPeer)
	e.Uint32(AttrPeerID, 2)
	e.Uint32(AttrPeerDelReason, uint32(DelPeerReasonExpired))
	e.End(n)
	if err := k.Notify(FamilyName, string(GroupPeers), uint8(CmdPeerDelNtf), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	got, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdPeerDelNtf, Msg: &Attrs{
		Ifindex: genl.Some[uint32](4), Peer: &Peer{ID: genl.Some[uint32](2), DelReason: genl.Some(DelPeerReasonExpired)},
	}}, got)
}
