package wireguard

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no wireguard family, so these tests run the client
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
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The wireguard spec has no multicast groups, so there are no
// notifications to test.

var (
	pub1 = bytes.Repeat([]byte{1}, 32)
	pub2 = bytes.Repeat([]byte{2}, 32)
)

// peer encodes a peer nest as the kernel does: index 0, the public key,
// the packed last-handshake timespec and an allowed-ips array.
func peer(e *genl.Encoder, pub []byte, rx uint64, ip netip.Addr) {
	n := e.Nest(0)
	e.Binary(AttrWgpeerPublicKey, pub)
	ts := binary.NativeEndian.AppendUint64(nil, 1700000000)
	e.Binary(AttrWgpeerLastHandshakeTime, binary.NativeEndian.AppendUint64(ts, 500))
	e.Uint64(AttrWgpeerRXBytes, rx)
	a := e.Nest(AttrWgpeerAllowedips)
	ipn := e.Nest(0)
	e.Uint16(AttrWgallowedipFamily, 2) // AF_INET
	e.Binary(AttrWgallowedipIpaddr, ip.AsSlice())
	e.Uint8(AttrWgallowedipCidrMask, 32)
	e.End(ipn)
	e.End(a)
	e.End(n)
}

// wantPeer is peer, decoded.
func wantPeer(pub []byte, rx uint64, ip netip.Addr) Wgpeer {
	return Wgpeer{
		PublicKey: pub, LastHandshakeTime: &KernelTimespec{Sec: 1700000000, Nsec: 500}, RXBytes: genl.Some(rx),
		Allowedips: []Wgallowedip{{Family: genl.Some[uint16](2), Ipaddr: ip, CidrMask: genl.Some[uint8](32)}},
	}
}

func TestFakeSetDevice(t *testing.T) {
	got := new(Wgdevice)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdSetDevice): genltest.Answer(got)})
	req := &Wgdevice{
		Ifname: genl.Some("wg0"), ListenPort: genl.Some[uint16](51820), Flags: genl.Some(WgdeviceFlagsReplacePeers),
		Peers: []Wgpeer{{
			PublicKey: pub1, Flags: genl.Some(WgpeerFlagsReplaceAllowedips),
			Allowedips: []Wgallowedip{{Family: genl.Some[uint16](2), Ipaddr: netip.MustParseAddr("10.0.0.2"), CidrMask: genl.Some[uint8](32)}},
		}},
	}
	if err := c.SetDevice(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}

// A device with many peers comes in several messages; the second one
// carries only the interface name and the further peers. The client
// yields each message; coalescing them is the caller's job.
func TestFakeGetDeviceDump(t *testing.T) {
	var first, second genl.Encoder
	first.Uint32(AttrWgdeviceIfindex, 7)
	first.String(AttrWgdeviceIfname, "wg0")
	first.Uint16(AttrWgdeviceListenPort, 51820)
	n := first.Nest(AttrWgdevicePeers)
	peer(&first, pub1, 100, netip.MustParseAddr("10.0.0.2"))
	first.End(n)
	second.String(AttrWgdeviceIfname, "wg0")
	n = second.Nest(AttrWgdevicePeers)
	peer(&second, pub2, 200, netip.MustParseAddr("10.0.0.3"))
	second.End(n)
	asked := new(Wgdevice)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGetDevice): genltest.Answer(asked, first.Bytes(), second.Bytes())})

	var got []*Wgdevice
	for m, err := range c.GetDeviceDump(ctx(t), &Wgdevice{Ifname: genl.Some("wg0")}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "request the kernel received", &Wgdevice{Ifname: genl.Some("wg0")}, asked)
	diff(t, "dump", []*Wgdevice{
		{Ifindex: genl.Some[uint32](7), Ifname: genl.Some("wg0"), ListenPort: genl.Some[uint16](51820),
			Peers: []Wgpeer{wantPeer(pub1, 100, netip.MustParseAddr("10.0.0.2"))}},
		{Ifname: genl.Some("wg0"), Peers: []Wgpeer{wantPeer(pub2, 200, netip.MustParseAddr("10.0.0.3"))}},
	}, got)
}
