package ovsflow

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no ovs_flow family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupOvsFlow)}, Ops: ops,
	})
	return New(k.Conn(t)), k
}

// answer returns a handler that decodes each request's fixed header and
// attributes into got, and replies with one message per attribute buffer,
// each after the fixed header of datapath dp.
func answer(got *FlowAttrs, dp uint32, replies ...[]byte) genltest.Handler {
	return func(req genltest.Request) ([]genltest.Reply, error) {
		got.OvsHeader = OvsHeader{DpIfindex: binary.NativeEndian.Uint32(req.Header)}
		if err := got.Decode(req.Attrs); err != nil {
			return nil, err
		}
		var out []genltest.Reply
		for _, a := range replies {
			out = append(out, genltest.Reply{Header: binary.NativeEndian.AppendUint32(nil, dp), Attrs: a})
		}
		return out, nil
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

var (
	src  = [6]byte{0x02, 0, 0, 0, 0, 1}
	dst  = [6]byte{0x02, 0, 0, 0, 0, 2}
	ufid = [16]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
)

// flow encodes a flow by hand: a key nest with the in-port, the packed
// ovs-key-ethernet struct and a big-endian ethertype, an output action,
// the packed ovs-flow-stats struct and a 16-byte ufid.
func flow(inPort uint32, packets uint64) []byte {
	var e genl.Encoder
	n := e.Nest(AttrFlowAttrsKey)
	e.Uint32(AttrKeyAttrsInPort, inPort)
	e.Binary(AttrKeyAttrsEthernet, append(src[:], dst[:]...))
	e.Uint16BE(AttrKeyAttrsEthertype, 0x0800)
	e.End(n)
	n = e.Nest(AttrFlowAttrsActions)
	e.Uint32(AttrActionAttrsOutput, 2)
	e.End(n)
	stats := binary.NativeEndian.AppendUint64(nil, packets)
	e.Binary(AttrFlowAttrsStats, binary.NativeEndian.AppendUint64(stats, packets*100))
	e.Binary(AttrFlowAttrsUfid, ufid[:])
	return e.Bytes()
}

// wantFlow is flow on datapath dp, decoded.
func wantFlow(dp, inPort uint32, packets uint64) *FlowAttrs {
	return &FlowAttrs{
		OvsHeader: OvsHeader{DpIfindex: dp},
		Key: &KeyAttrs{
			InPort: genl.Some(inPort), Ethernet: &OvsKeyEthernet{EthSrc: src, EthDst: dst}, Ethertype: genl.Some[uint16](0x0800),
		},
		Actions: &ActionAttrs{Output: genl.Some[uint32](2)},
		Stats:   &Stats{NPackets: packets, NBytes: packets * 100},
		Ufid:    genl.Some(ufid),
	}
}

func TestFakeGet(t *testing.T) {
	got := new(FlowAttrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): answer(got, 5, flow(1, 10))})
	req := &FlowAttrs{OvsHeader: OvsHeader{DpIfindex: 5}, Ufid: genl.Some(ufid), UfidFlags: genl.Some(OvsUfidFlagsOmitMask)}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantFlow(5, 1, 10), rep)
}

func TestFakeGetDump(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): answer(new(FlowAttrs), 5, flow(1, 10), flow(2, 20))})
	var got []*FlowAttrs
	for m, err := range c.GetDump(ctx(t), &FlowAttrs{OvsHeader: OvsHeader{DpIfindex: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*FlowAttrs{wantFlow(5, 1, 10), wantFlow(5, 2, 20)}, got)
}

// The spec lists no notification ops, though the kernel multicasts its
// replies to new, del and set on the group; the client reports their
// command and leaves Msg nil.
func TestFakeNotification(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupOvsFlow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	err = k.NotifyMessage(FamilyName, string(GroupOvsFlow), genltest.Reply{
		Command: uint8(CmdNew), Header: binary.NativeEndian.AppendUint32(nil, 5), Attrs: flow(1, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != CmdNew {
		t.Errorf("notification command %v, want new", n.Cmd)
	}
}
