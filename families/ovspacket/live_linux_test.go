//go:build linux

package ovspacket

import (
	"bytes"
	"context"
	"encoding/binary"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/families/ovsflow"
	"github.com/ynlgo/ynl/genl"
)

// liveDatapath dials ovs_packet, skipping unless the kernel has it, and
// creates a datapath; it returns the client and the datapath's header.
func liveDatapath(t *testing.T, name string) (*Client, OvsHeader) {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "ovspacket")
	dp := ovsdatapath.New(c.Conn())
	ctx := livetest.Ctx(t)
	if err := dp.New(ctx, &ovsdatapath.Datapath{Name: genl.Some(name), UpcallPID: genl.Some[uint32](0)}); err != nil {
		t.Fatalf("new datapath: %v", err)
	}
	t.Cleanup(func() { _ = dp.Del(livetest.Ctx(t), &ovsdatapath.Datapath{Name: genl.Some(name)}) })
	got, err := dp.Get(ctx, &ovsdatapath.Datapath{Name: genl.Some(name)})
	if err != nil {
		t.Fatal(err)
	}
	return c, OvsHeader{DpIfindex: got.OvsHeader.DpIfindex}
}

// udpFrame is an Ethernet/IPv4/UDP frame from 10.0.0.1:1234 to
// 10.0.0.2:4789 with a 4-byte payload, and the flow key that matches it.
func udpFrame() ([]byte, []byte) {
	var f []byte
	f = append(f, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00)
	ip := []byte{0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	var sum uint32
	for i := 0; i < len(ip); i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	f = append(f, ip...)
	f = append(f, 0x04, 0xd2, 0x12, 0xb5, 0, 12, 0, 0, 'y', 'n', 'l', '!')
	key := &ovsflow.KeyAttrs{
		InPort:    genl.Some[uint32](0),
		Ethernet:  &ovsflow.OvsKeyEthernet{EthSrc: [6]byte{2, 0, 0, 0, 0, 1}, EthDst: [6]byte{2, 0, 0, 0, 0, 2}},
		Ethertype: genl.Some[uint16](0x0800),
		IPv4:      &ovsflow.OvsKeyIPv4{IPv4Src: 0x0a000001, IPv4Dst: 0x0a000002, IPv4Proto: 17, IPv4TTL: 64},
		UDP:       &ovsflow.OvsKeyUDP{UDPSrc: 1234, UDPDst: 4789},
	}
	var e genl.Encoder
	key.Encode(&e)
	return f, e.Bytes()
}

// TestLiveExecuteUpcall executes a packet whose action is a userspace
// upcall to a socket of ours: the kernel sends the packet back to that
// socket's port id as an OVS_PACKET_CMD_ACTION message with our userdata.
// (ovs_packet has no multicast groups; its upcalls are unicast.)
func TestLiveExecuteUpcall(t *testing.T) {
	c, hdr := liveDatapath(t, "ynlpdp0")
	ctx := livetest.Ctx(t)
	sock, err := c.Conn().OpenSocket(ctx, FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	frame, key := udpFrame()
	var e genl.Encoder
	(&ovsflow.ActionAttrs{Userspace: &ovsflow.UserspaceAttrs{PID: genl.Some(sock.PortID()), Userdata: []byte("cookie!!")}}).Encode(&e)
	if err := c.Execute(ctx, &Packet{OvsHeader: hdr, Packet: frame, Key: key, Actions: e.Bytes()}); err != nil {
		t.Fatalf("execute: %v", err)
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	m, err := sock.Receive(rctx)
	if err != nil {
		t.Fatalf("waiting for the upcall: %v", err)
	}
	if m.Command != uint8(CmdAction) {
		t.Fatalf("upcall command %d, want action (%d)", m.Command, CmdAction)
	}
	var up Packet
	if err := decodeData("action", m.Data, 4, &up); err != nil {
		t.Fatalf("upcall: %v", err)
	}
	if !bytes.Equal(up.Packet, frame) || !bytes.Equal(up.Userdata, []byte("cookie!!")) || up.OvsHeader.DpIfindex != hdr.DpIfindex || len(up.Key) == 0 {
		t.Errorf("upcall: packet %x userdata %q dp %d key %d bytes; want our frame and cookie", up.Packet, up.Userdata, up.OvsHeader.DpIfindex, len(up.Key))
	}
	var k ovsflow.KeyAttrs
	if err := k.Decode(up.Key); err != nil || k.IPv4 == nil || k.IPv4.IPv4Dst != 0x0a000002 || k.UDP == nil || k.UDP.UDPDst != 4789 {
		t.Errorf("upcall key %+v (%v), want the frame's IPv4/UDP", k, err)
	}
}

// TestLiveErrors: a packet without a key is refused; a packet shorter
// than an Ethernet header fails the kernel's policy, which names it.
func TestLiveErrors(t *testing.T) {
	c, hdr := liveDatapath(t, "ynlpdp1")
	ctx := livetest.Ctx(t)
	frame, _ := udpFrame()
	var e genl.Encoder
	(&ovsflow.ActionAttrs{Output: genl.Some[uint32](0)}).Encode(&e)
	livetest.KernelError(t, c.Execute(ctx, &Packet{OvsHeader: hdr, Packet: frame, Actions: e.Bytes()}), syscall.EINVAL, "")
	_, key := udpFrame()
	c.NoValidate = true
	err := c.Execute(ctx, &Packet{OvsHeader: hdr, Packet: frame[:6], Key: key, Actions: e.Bytes()})
	livetest.KernelError(t, err, syscall.ERANGE, ".packet")
}
