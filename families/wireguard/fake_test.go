package wireguard_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/wireguard"
	"github.com/ynlgo/ynl/families/wireguard/wireguardtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no wireguard family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (wireguardtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[wireguard.Cmd]genltest.Handler) (*wireguard.Client, *genltest.Kernel) {
	t.Helper()
	f := wireguardtest.New(t)
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
	e.Binary(wireguard.AttrWgpeerPublicKey, pub)
	ts := binary.NativeEndian.AppendUint64(nil, 1700000000)
	e.Binary(wireguard.AttrWgpeerLastHandshakeTime, binary.NativeEndian.AppendUint64(ts, 500))
	e.Uint64(wireguard.AttrWgpeerRXBytes, rx)
	a := e.Nest(wireguard.AttrWgpeerAllowedips)
	ipn := e.Nest(0)
	e.Uint16(wireguard.AttrWgallowedipFamily, 2) // AF_INET
	e.Binary(wireguard.AttrWgallowedipIpaddr, ip.AsSlice())
	e.Uint8(wireguard.AttrWgallowedipCidrMask, 32)
	e.End(ipn)
	e.End(a)
	e.End(n)
}

// wantPeer is peer, decoded.
func wantPeer(pub []byte, rx uint64, ip netip.Addr) wireguard.Wgpeer {
	return wireguard.Wgpeer{
		PublicKey: pub, LastHandshakeTime: &wireguard.KernelTimespec{Sec: 1700000000, Nsec: 500}, RXBytes: genl.Some(rx),
		Allowedips: []wireguard.Wgallowedip{{Family: genl.Some[uint16](2), Ipaddr: ip, CidrMask: genl.Some[uint8](32)}},
	}
}

func TestFakeSetDevice(t *testing.T) {
	got := new(wireguard.Wgdevice)
	c, _ := fake(t, map[wireguard.Cmd]genltest.Handler{wireguard.CmdSetDevice: genltest.Answer(got)})
	req := &wireguard.Wgdevice{
		Ifname: genl.Some("wg0"), ListenPort: genl.Some[uint16](51820), Flags: genl.Some(wireguard.WgdeviceFlagsReplacePeers),
		Peers: []wireguard.Wgpeer{{
			PublicKey: pub1, Flags: genl.Some(wireguard.WgpeerFlagsReplaceAllowedips),
			Allowedips: []wireguard.Wgallowedip{{Family: genl.Some[uint16](2), Ipaddr: netip.MustParseAddr("10.0.0.2"), CidrMask: genl.Some[uint8](32)}},
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
	first.Uint32(wireguard.AttrWgdeviceIfindex, 7)
	first.String(wireguard.AttrWgdeviceIfname, "wg0")
	first.Uint16(wireguard.AttrWgdeviceListenPort, 51820)
	n := first.Nest(wireguard.AttrWgdevicePeers)
	peer(&first, pub1, 100, netip.MustParseAddr("10.0.0.2"))
	first.End(n)
	second.String(wireguard.AttrWgdeviceIfname, "wg0")
	n = second.Nest(wireguard.AttrWgdevicePeers)
	peer(&second, pub2, 200, netip.MustParseAddr("10.0.0.3"))
	second.End(n)
	asked := new(wireguard.Wgdevice)
	c, _ := fake(t, map[wireguard.Cmd]genltest.Handler{wireguard.CmdGetDevice: genltest.Answer(asked, first.Bytes(), second.Bytes())})

	var got []*wireguard.Wgdevice
	for m, err := range c.GetDeviceDump(ctx(t), &wireguard.Wgdevice{Ifname: genl.Some("wg0")}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "request the kernel received", &wireguard.Wgdevice{Ifname: genl.Some("wg0")}, asked)
	diff(t, "dump", []*wireguard.Wgdevice{
		{Ifindex: genl.Some[uint32](7), Ifname: genl.Some("wg0"), ListenPort: genl.Some[uint16](51820),
			Peers: []wireguard.Wgpeer{wantPeer(pub1, 100, netip.MustParseAddr("10.0.0.2"))}},
		{Ifname: genl.Some("wg0"), Peers: []wireguard.Wgpeer{wantPeer(pub2, 200, netip.MustParseAddr("10.0.0.3"))}},
	}, got)
}
