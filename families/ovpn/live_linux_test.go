//go:build linux

package ovpn

import (
	"bytes"
	"net"
	"net/netip"
	"os/exec"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// liveDevice dials ovpn, skipping unless the kernel has it (7.x; the VM
// lab loads the module), creates a peer-to-peer ovpn device and a UDP
// socket for its peers; it returns the client, the device's ifindex and
// the socket's descriptor and port.
func liveDevice(t *testing.T, name string) (*Client, uint32, uint32, uint16) {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "ovpn")
	livetest.Run(t, "ip", "link", "add", name, "type", "ovpn")
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", name).Run() })
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	raw, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var fd uintptr
	if err := raw.Control(func(f uintptr) { fd = f }); err != nil {
		t.Fatal(err)
	}
	return c, livetest.Ifindex(t, name), uint32(fd), uint16(conn.LocalAddr().(*net.UDPAddr).Port)
}

// TestLivePeerAndKey adds a peer on a UDP socket, installs a key, reads
// both back with get and dump, and deletes the peer, whose deletion comes
// as a notification on the peers group.
func TestLivePeerAndKey(t *testing.T) {
	c, ifindex, fd, localPort := liveDevice(t, "ynlovpn0")
	ctx := livetest.Ctx(t)
	remote := netip.MustParseAddr("127.0.0.2")
	err := c.PeerNew(ctx, &OvpnPeerNewInput{Ifindex: genl.Some(ifindex), Peer: &PeerNewInput{
		ID: genl.Some[uint32](9), Socket: genl.Some(fd), RemoteIPv4: remote, RemotePort: genl.Some[uint16](1194),
		KeepaliveInterval: genl.Some[uint32](10), KeepaliveTimeout: genl.Some[uint32](60),
	}})
	if err != nil {
		t.Fatalf("peer-new: %v", err)
	}
	got, err := c.PeerGet(ctx, &Attrs{Ifindex: genl.Some(ifindex), Peer: &Peer{ID: genl.Some[uint32](9)}})
	if err != nil {
		t.Fatalf("peer-get: %v", err)
	}
	p := got.Peer
	if p == nil || p.ID.Value != 9 || p.RemoteIPv4 != remote || p.RemotePort.Value != 1194 || p.KeepaliveTimeout.Value != 60 {
		t.Fatalf("peer-get: %+v", p)
	}
	if p.LocalPort.Value != localPort {
		t.Errorf("peer-get: local port %v, want the socket's %d", p.LocalPort, localPort)
	}
	n := 0
	for m, err := range c.PeerGetDump(ctx, &Attrs{Ifindex: genl.Some(ifindex)}) {
		if err != nil {
			t.Fatalf("peer-get dump: %v", err)
		}
		n++
		if m.Peer == nil || m.Peer.ID.Value != 9 {
			t.Errorf("dump: %+v", m.Peer)
		}
	}
	if n != 1 {
		t.Errorf("dump: %d peers, want 1", n)
	}

	key := &Keyconf{PeerID: genl.Some[uint32](9), Slot: genl.Some(KeySlotPrimary), KeyID: genl.Some[uint32](3), CipherAlg: genl.Some(CipherAlgAesGcm),
		EncryptDir: &Keydir{CipherKey: bytes.Repeat([]byte{1}, 32), NonceTail: bytes.Repeat([]byte{2}, 8)},
		DecryptDir: &Keydir{CipherKey: bytes.Repeat([]byte{3}, 32), NonceTail: bytes.Repeat([]byte{4}, 8)}}
	if err := c.KeyNew(ctx, &Attrs{Ifindex: genl.Some(ifindex), Keyconf: key}); err != nil {
		t.Fatalf("key-new: %v", err)
	}
	kg, err := c.KeyGet(ctx, &OvpnKeyconfGet{Ifindex: genl.Some(ifindex), Keyconf: &KeyconfGet{PeerID: genl.Some[uint32](9), Slot: genl.Some(KeySlotPrimary)}})
	if err != nil {
		t.Fatalf("key-get: %v", err)
	}
	if kg.Keyconf == nil || kg.Keyconf.KeyID.Value != 3 || kg.Keyconf.CipherAlg.Value != CipherAlgAesGcm {
		t.Errorf("key-get: %+v", kg.Keyconf)
	}

	sub, err := c.Subscribe(ctx, GroupPeers)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.PeerDel(ctx, &OvpnPeerDelInput{Ifindex: genl.Some(ifindex), Peer: &PeerDelInput{ID: genl.Some[uint32](9)}}); err != nil {
		t.Fatalf("peer-del: %v", err)
	}
	for {
		ntf, err := sub.Receive(ctx)
		if err != nil {
			t.Fatalf("waiting for peer-del-ntf: %v", err)
		}
		if ntf.Cmd != CmdPeerDelNtf {
			continue
		}
		m, _ := ntf.Msg.(*Attrs)
		if m == nil || m.Peer == nil || m.Peer.ID.Value != 9 || m.Peer.DelReason.Value != DelPeerReasonUserspace {
			t.Errorf("peer-del-ntf: %+v", m)
		}
		break
	}
}

// TestLiveErrors: peer-get of a peer that is not there (the kernel says
// which in its message), and a peer id over
// the policy's maximum (validation off): the kernel names the attribute.
func TestLiveErrors(t *testing.T) {
	c, ifindex, _, _ := liveDevice(t, "ynlovpn1")
	ctx := livetest.Ctx(t)
	_, err := c.PeerGet(ctx, &Attrs{Ifindex: genl.Some(ifindex), Peer: &Peer{ID: genl.Some[uint32](42)}})
	livetest.KernelError(t, err, syscall.ENOENT, "")
	c.NoValidate = true
	_, err = c.PeerGet(ctx, &Attrs{Ifindex: genl.Some(ifindex), Peer: &Peer{ID: genl.Some[uint32](1 << 30)}})
	livetest.KernelError(t, err, syscall.ERANGE, ".peer.id")
}
