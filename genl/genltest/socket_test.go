//go:build linux

package genltest

import (
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// TestDatagramBoundaries checks on the socket itself that Split makes
// separate datagrams and that do replies and their ACK arrive one per
// datagram, as from the kernel.
func TestDatagramBoundaries(t *testing.T) {
	k := New()
	k.MustAddFamily(t, Family{Name: "demo", ID: 0x20, Ops: map[uint8]Handler{
		1: func(req Request) ([]Reply, error) {
			if req.Dump {
				return []Reply{{}, {Split: true}, {}, {Flags: netlink.DumpInterrupted}}, nil
			}
			return []Reply{{}, {}}, nil
		},
	}})
	s, err := k.newSocket()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	read := func() []netlink.Message {
		t.Helper()
		ms, err := s.Receive()
		if err != nil {
			t.Fatal(err)
		}
		return ms
	}
	req := netlink.Message{Header: netlink.Header{Type: 0x20, Flags: netlink.Request | netlink.Dump, Sequence: 7, PID: s.port},
		Data: []byte{1, 1, 0, 0}}
	if err := s.Send(req); err != nil {
		t.Fatal(err)
	}
	first, second := read(), read()
	if len(first) != 2 || len(second) != 3 {
		t.Fatalf("datagrams of %d and %d messages, want 2 and 3", len(first), len(second))
	}
	done := second[2]
	if done.Header.Type != netlink.Done || done.Header.Flags&netlink.DumpInterrupted == 0 || done.Header.Sequence != 7 {
		t.Errorf("NLMSG_DONE %+v", done.Header)
	}
	for _, m := range append(first, second[:2]...) {
		if m.Header.Flags&netlink.Multi == 0 || m.Header.Type != 0x20 || m.Header.PID != s.port {
			t.Errorf("dump message %+v", m.Header)
		}
	}

	req.Header.Flags = netlink.Request | netlink.Acknowledge
	if err := s.Send(req); err != nil {
		t.Fatal(err)
	}
	for i, want := range []netlink.HeaderType{0x20, 0x20, netlink.Error} {
		ms := read()
		if len(ms) != 1 || ms[0].Header.Type != want {
			t.Errorf("do datagram %d: %+v", i, ms)
		}
	}
}

func TestAppendAttrPolicyRoundTrip(t *testing.T) {
	minV, maxV := int64(-3), int64(9)
	maxU, mask := uint64(1<<40), uint64(0xff)
	minL, idx, mt, bf := uint32(2), uint32(4), uint32(6), uint32(3)
	in := &genl.AttrPolicy{Type: genl.PolicyS64, MinValue: &minV, MaxValue: &maxV, MaxUValue: &maxU,
		Mask: &mask, MinLength: &minL, PolicyIndex: &idx, NestedMaxType: &mt, Bitfield32Mask: &bf}
	var e genl.Encoder
	AppendAttrPolicy(&e, in)
	out, err := genl.DecodeAttrPolicy(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || *out.MinValue != minV || *out.MaxValue != maxV || *out.MaxUValue != maxU ||
		out.MinUValue != nil || *out.Mask != mask || *out.MinLength != minL || out.MaxLength != nil ||
		*out.PolicyIndex != idx || *out.NestedMaxType != mt || *out.Bitfield32Mask != bf {
		t.Errorf("round trip: %+v", out)
	}
}
