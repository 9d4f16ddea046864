//go:build linux

package ovsflow

import (
	"bytes"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/genl"
)

// liveDatapath dials ovs_flow, skipping unless the kernel has it, and
// creates a datapath; it returns the client and the ovs header of the
// datapath.
func liveDatapath(t *testing.T, name string) (*Client, OvsHeader) {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "ovsflow")
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

// ipv4Key is an exact-match key for an IPv4/UDP packet from port 0.
func ipv4Key() *KeyAttrs {
	return &KeyAttrs{
		InPort:    genl.Some[uint32](0),
		Ethernet:  &OvsKeyEthernet{EthSrc: [6]byte{2, 0, 0, 0, 0, 1}, EthDst: [6]byte{2, 0, 0, 0, 0, 2}},
		Ethertype: genl.Some[uint16](0x0800),
		IPv4:      &OvsKeyIPv4{IPv4Src: 0x0a000001, IPv4Dst: 0x0a000002, IPv4Proto: 17, IPv4TTL: 64},
		UDP:       &OvsKeyUDP{UDPSrc: 1234, UDPDst: 4789},
	}
}

// TestLiveFlow installs a flow whose actions push an MPLS label, sample
// to psample and output, sees its notification, reads it back by key with
// a get by ufid and in a dump (key fields and actions must come back as sent:
// byte order and struct layout are checked by the kernel's own copy), and
// checks an exclusive duplicate is refused.
func TestLiveFlow(t *testing.T) {
	c, hdr := liveDatapath(t, "ynlfdp0")
	ctx := livetest.Ctx(t)
	sub := livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupOvsFlow))
	ufid := [16]byte{0xab, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	lse := uint32(100)<<12 | 1<<8 | 64 // label 100, bottom of stack, TTL 64
	actions := &ActionAttrs{
		Output:   genl.Some[uint32](0),
		PushMpls: &OvsActionPushMpls{MplsLse: lse, MplsEthertype: 0x8847},
	}
	// The psample action is new in Linux 6.11.
	if livetest.AtLeast(6, 11) {
		actions.Psample = &PsampleAttrs{Group: genl.Some[uint32](7), Cookie: []byte{0xc0, 0x0c, 0x1e}}
	} else {
		t.Logf("kernel %s predates the psample action (6.11): flow without it", livetest.Release())
	}
	flow := &FlowAttrs{OvsHeader: hdr, Key: ipv4Key(), Actions: actions, Ufid: genl.Some(ufid)}
	if err := c.New(ctx, flow); err != nil {
		t.Fatalf("new flow: %v", err)
	}
	m := livetest.Wait(t, sub, uint8(CmdNew), nil)
	var ntf FlowAttrs
	if err := decodeData("new", m.Data, 4, &ntf); err != nil {
		t.Fatalf("new notification: %v", err)
	}
	if ntf.Ufid.Value != ufid {
		t.Errorf("notification ufid %x, want %x", ntf.Ufid.Value, ufid)
	}

	got, err := c.Get(ctx, &FlowAttrs{OvsHeader: hdr, Ufid: genl.Some(ufid)})
	if err != nil {
		t.Fatalf("get by ufid: %v", err)
	}
	checkFlow(t, "get", got, lse, actions.Psample != nil)
	if got.Ufid.Value != ufid {
		t.Errorf("get: ufid %x, want %x", got.Ufid.Value, ufid)
	}

	n := 0
	for f, err := range c.GetDump(ctx, &FlowAttrs{OvsHeader: hdr}) {
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		n++
		checkFlow(t, "dump", f, lse, actions.Psample != nil)
	}
	if n != 1 {
		t.Errorf("dump: %d flows, want 1", n)
	}
	// Without NLM_F_EXCL a second new replaces the actions; with it the
	// kernel refuses.
	livetest.KernelError(t, c.New(genl.WithFlags(ctx, netlink.Create|netlink.Excl), flow), syscall.EEXIST, "")
}

func checkFlow(t *testing.T, what string, f *FlowAttrs, lse uint32, psample bool) {
	t.Helper()
	k := f.Key
	if k == nil || k.IPv4 == nil || k.Ethernet == nil || k.UDP == nil {
		t.Fatalf("%s: key %+v, want ethernet, ipv4 and udp", what, k)
	}
	if k.IPv4.IPv4Src != 0x0a000001 || k.IPv4.IPv4Dst != 0x0a000002 || k.IPv4.IPv4Proto != 17 || k.IPv4.IPv4TTL != 64 {
		t.Errorf("%s: ipv4 key %+v", what, *k.IPv4)
	}
	if k.Ethertype.Value != 0x0800 || k.Ethernet.EthDst != [6]byte{2, 0, 0, 0, 0, 2} || k.UDP.UDPDst != 4789 || k.InPort.Value != 0 {
		t.Errorf("%s: key ethertype %#x ethernet %+v udp %+v in-port %v", what, k.Ethertype.Value, *k.Ethernet, *k.UDP, k.InPort)
	}
	a := f.Actions
	if a == nil || a.PushMpls == nil || (a.Psample == nil) == psample || !a.Output.Valid {
		t.Fatalf("%s: actions %+v, want push-mpls, output and psample (%v)", what, a, psample)
	}
	if a.PushMpls.MplsLse != lse || a.PushMpls.MplsEthertype != 0x8847 {
		t.Errorf("%s: push-mpls %+v, want lse %#x ethertype 0x8847", what, *a.PushMpls, lse)
	}
	if psample && (a.Psample.Group.Value != 7 || !bytes.Equal(a.Psample.Cookie, []byte{0xc0, 0x0c, 0x1e})) {
		t.Errorf("%s: psample %+v", what, *a.Psample)
	}
	if f.Stats != nil && f.Stats.NPackets != 0 {
		t.Errorf("%s: stats %+v for a flow nothing matched", what, *f.Stats)
	}
}

// TestLiveErrors: a flow without actions is refused; a probe flag with a
// payload (validation off) fails the kernel's policy, naming the
// attribute; a get of a flow that is not there is ENOENT.
func TestLiveErrors(t *testing.T) {
	c, hdr := liveDatapath(t, "ynlfdp1")
	ctx := livetest.Ctx(t)
	livetest.KernelError(t, c.New(ctx, &FlowAttrs{OvsHeader: hdr, Key: ipv4Key()}), syscall.EINVAL, "")
	_, err := c.Get(ctx, &FlowAttrs{OvsHeader: hdr, Key: ipv4Key()})
	livetest.KernelError(t, err, syscall.ENOENT, "")
	c.NoValidate = true
	err = c.New(ctx, &FlowAttrs{OvsHeader: hdr, Key: ipv4Key(), Actions: &ActionAttrs{Output: genl.Some[uint32](0)}, Probe: []byte{1, 0, 0, 0}})
	livetest.KernelError(t, err, syscall.ERANGE, ".probe")
}
