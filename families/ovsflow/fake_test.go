package ovsflow_test

import (
	"encoding/binary"
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/ovsflow"
	"github.com/ynlgo/ynl/families/ovsflow/ovsflowtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no ovs_flow family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (ovsflowtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[ovsflow.Cmd]genltest.Handler) (*ovsflow.Client, *genltest.Kernel) {
	t.Helper()
	f := ovsflowtest.New(t)
	faketest.ServeRaw(f.HandleRaw, ops)
	return f.Client(), f.Kernel
}

// answer returns a handler that decodes each request's fixed header and
// attributes into got, and replies with one message per attribute buffer,
// each after the fixed header of datapath dp.
func answer(got *ovsflow.FlowAttrs, dp uint32, replies ...[]byte) genltest.Handler {
	return faketest.OvsAnswer(func(i uint32) { got.OvsHeader = ovsflow.OvsHeader{DpIfindex: i} }, got.Decode, dp, replies...)
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
	n := e.Nest(ovsflow.AttrFlowAttrsKey)
	e.Uint32(ovsflow.AttrKeyAttrsInPort, inPort)
	e.Binary(ovsflow.AttrKeyAttrsEthernet, append(src[:], dst[:]...))
	e.Uint16BE(ovsflow.AttrKeyAttrsEthertype, 0x0800)
	e.End(n)
	n = e.Nest(ovsflow.AttrFlowAttrsActions)
	e.Uint32(ovsflow.AttrActionAttrsOutput, 2)
	e.End(n)
	stats := binary.NativeEndian.AppendUint64(nil, packets)
	e.Binary(ovsflow.AttrFlowAttrsStats, binary.NativeEndian.AppendUint64(stats, packets*100))
	e.Binary(ovsflow.AttrFlowAttrsUfid, ufid[:])
	return e.Bytes()
}

// wantFlow is flow on datapath dp, decoded.
func wantFlow(dp, inPort uint32, packets uint64) *ovsflow.FlowAttrs {
	return &ovsflow.FlowAttrs{
		OvsHeader: ovsflow.OvsHeader{DpIfindex: dp},
		Key: &ovsflow.KeyAttrs{
			InPort: genl.Some(inPort), Ethernet: &ovsflow.OvsKeyEthernet{EthSrc: src, EthDst: dst}, Ethertype: genl.Some[uint16](0x0800),
		},
		Actions: &ovsflow.ActionAttrs{Output: genl.Some[uint32](2)},
		Stats:   &ovsflow.Stats{NPackets: packets, NBytes: packets * 100},
		Ufid:    genl.Some(ufid),
	}
}

func TestFakeGet(t *testing.T) {
	got := new(ovsflow.FlowAttrs)
	c, _ := fake(t, map[ovsflow.Cmd]genltest.Handler{ovsflow.CmdGet: answer(got, 5, flow(1, 10))})
	req := &ovsflow.FlowAttrs{OvsHeader: ovsflow.OvsHeader{DpIfindex: 5}, Ufid: genl.Some(ufid), UfidFlags: genl.Some(ovsflow.OvsUfidFlagsOmitMask)}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantFlow(5, 1, 10), rep)
}

func TestFakeGetDump(t *testing.T) {
	c, _ := fake(t, map[ovsflow.Cmd]genltest.Handler{ovsflow.CmdGet: answer(new(ovsflow.FlowAttrs), 5, flow(1, 10), flow(2, 20))})
	var got []*ovsflow.FlowAttrs
	for m, err := range c.GetDump(ctx(t), &ovsflow.FlowAttrs{OvsHeader: ovsflow.OvsHeader{DpIfindex: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*ovsflow.FlowAttrs{wantFlow(5, 1, 10), wantFlow(5, 2, 20)}, got)
}

// The spec lists no notification ops, though the kernel multicasts its
// replies to new, del and set on the group; the client reports their
// command and leaves Msg nil.
func TestFakeNotification(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), ovsflow.GroupOvsFlow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	err = k.NotifyMessage(ovsflow.FamilyName, string(ovsflow.GroupOvsFlow), genltest.Reply{
		Command: uint8(ovsflow.CmdNew), Header: binary.NativeEndian.AppendUint32(nil, 5), Attrs: flow(1, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != ovsflow.CmdNew {
		t.Errorf("notification command %v, want new", n.Cmd)
	}
}
