//go:build linux

package wireguard

import (
	"bytes"
	"net/netip"
	"os/exec"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// liveDevice dials wireguard, skipping unless the kernel has it (the VM
// lab loads the module), and creates a wireguard device with iproute2.
func liveDevice(t *testing.T, name string) *Client {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "wireguard")
	livetest.Run(t, "ip", "link", "add", name, "type", "wireguard")
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", name).Run() })
	return c
}

// TestLiveSetAndDump configures a device (private key, port, fwmark, a
// peer with two allowed-ips) and reads it back with a real dump: the
// kernel derives the public key, and keeps what was set.
func TestLiveSetAndDump(t *testing.T) {
	c := liveDevice(t, "ynlwg0")
	ctx := livetest.Ctx(t)
	priv := bytes.Repeat([]byte{0x40}, 32)
	priv[0] &= 248 // a clamped curve25519 key, as wg genkey makes
	peer := bytes.Repeat([]byte{0x11}, 32)
	endpoint := []byte{2, 0, 0xca, 0x6c, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0} // sockaddr_in 192.0.2.1:51820
	err := c.SetDevice(ctx, &Wgdevice{
		Ifname: genl.Some("ynlwg0"), PrivateKey: priv, ListenPort: genl.Some[uint16](51820), Fwmark: genl.Some[uint32](7),
		Peers: []Wgpeer{{
			PublicKey: peer, Endpoint: endpoint, PersistentKeepaliveInterval: genl.Some[uint16](25),
			Allowedips: []Wgallowedip{
				{Family: genl.Some[uint16](syscall.AF_INET), Ipaddr: netip.MustParseAddr("10.7.0.0"), CidrMask: genl.Some[uint8](24)},
				{Family: genl.Some[uint16](syscall.AF_INET6), Ipaddr: netip.MustParseAddr("fd00::"), CidrMask: genl.Some[uint8](64)},
			},
		}},
	})
	if err != nil {
		t.Fatalf("set-device: %v", err)
	}
	var got *Wgdevice
	n := 0
	for m, err := range c.GetDeviceDump(ctx, &Wgdevice{Ifname: genl.Some("ynlwg0")}) {
		if err != nil {
			t.Fatalf("get-device dump: %v", err)
		}
		n++
		if got == nil {
			got = m
		} else {
			got.Peers = append(got.Peers, m.Peers...)
		}
	}
	if got == nil {
		t.Fatal("get-device dump: no messages")
	}
	t.Logf("dump: %d messages, ifindex %d, port %d, %d peers", n, got.Ifindex.Value, got.ListenPort.Value, len(got.Peers))
	if got.Ifindex.Value != livetest.Ifindex(t, "ynlwg0") || got.Ifname.Value != "ynlwg0" {
		t.Errorf("device %d %q, want ynlwg0 (%d)", got.Ifindex.Value, got.Ifname.Value, livetest.Ifindex(t, "ynlwg0"))
	}
	if got.ListenPort.Value != 51820 || got.Fwmark.Value != 7 || !bytes.Equal(got.PrivateKey, priv) {
		t.Errorf("port %v fwmark %v private key %x: want 51820, 7 and the key set", got.ListenPort, got.Fwmark, got.PrivateKey)
	}
	if len(got.PublicKey) != 32 || bytes.Equal(got.PublicKey, make([]byte, 32)) {
		t.Errorf("public key %x: want the one the kernel derived", got.PublicKey)
	}
	if len(got.Peers) != 1 {
		t.Fatalf("peers %+v, want one", got.Peers)
	}
	p := got.Peers[0]
	if !bytes.Equal(p.PublicKey, peer) || !bytes.Equal(p.Endpoint[:8], endpoint[:8]) || p.PersistentKeepaliveInterval.Value != 25 {
		t.Errorf("peer key %x endpoint %x keepalive %v", p.PublicKey, p.Endpoint, p.PersistentKeepaliveInterval)
	}
	want := map[string]bool{"10.7.0.0/24": true, "fd00::/64": true}
	for _, a := range p.Allowedips {
		pfx := netip.PrefixFrom(a.Ipaddr, int(a.CidrMask.Value)).String()
		if !want[pfx] {
			t.Errorf("unexpected allowed-ip %s (family %d)", pfx, a.Family.Value)
		}
		delete(want, pfx)
	}
	if len(want) > 0 {
		t.Errorf("allowed-ips missing: %v (got %+v)", want, p.Allowedips)
	}
	if !p.ProtocolVersion.Valid || p.ProtocolVersion.Value != 1 {
		t.Errorf("protocol version %v, want 1", p.ProtocolVersion)
	}

	// Removing the peer: a dump shows none.
	if err := c.SetDevice(ctx, &Wgdevice{Ifname: genl.Some("ynlwg0"), Flags: genl.Some(WgdeviceFlags(1))}); err != nil { // WGDEVICE_F_REPLACE_PEERS
		t.Fatalf("set-device replace-peers: %v", err)
	}
	for m, err := range c.GetDeviceDump(ctx, &Wgdevice{Ifname: genl.Some("ynlwg0")}) {
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Peers) != 0 {
			t.Errorf("peers after replace-peers with none: %+v", m.Peers)
		}
	}
}

// TestLiveErrors gets real kernel errors: a private key of the wrong
// length (sent with validation off) is out of the policy's range,
// which names the attribute; an unknown device is ENODEV.
func TestLiveErrors(t *testing.T) {
	c := liveDevice(t, "ynlwg1")
	ctx := livetest.Ctx(t)
	c.NoValidate = true
	err := c.SetDevice(ctx, &Wgdevice{Ifname: genl.Some("ynlwg1"), PrivateKey: make([]byte, 31)})
	livetest.KernelError(t, err, syscall.ERANGE, ".private-key")
	for _, err := range c.GetDeviceDump(ctx, &Wgdevice{Ifname: genl.Some("ynl-nosuchdev")}) {
		if err == nil {
			t.Fatal("dump of a missing device yielded data")
		}
		livetest.KernelError(t, err, syscall.ENODEV, "")
		return
	}
	t.Fatal("dump of a missing device: no error")
}
