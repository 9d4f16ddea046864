package ovsdatapath_test

import (
	"encoding/binary"
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/families/ovsdatapath/ovsdatapathtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no ovs_datapath family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (ovsdatapathtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[ovsdatapath.Cmd]genltest.Handler) (*ovsdatapath.Client, *genltest.Kernel) {
	t.Helper()
	f := ovsdatapathtest.New(t)
	faketest.ServeRaw(f.HandleRaw, ops)
	return f.Client(), f.Kernel
}

// answer returns a handler that decodes each request's fixed header and
// attributes into got, and replies with one message per attribute buffer,
// each after the fixed header of datapath dp.
func answer(got *ovsdatapath.Datapath, dp uint32, replies ...[]byte) genltest.Handler {
	return faketest.OvsAnswer(func(i uint32) { got.OvsHeader = ovsdatapath.OvsHeader{DpIfindex: i} }, got.Decode, dp, replies...)
}

// datapath encodes a datapath by hand: its name, upcall pid, features
// and the packed ovs-dp-stats struct.
func datapath(name string, hits uint64) []byte {
	var e genl.Encoder
	e.String(ovsdatapath.AttrDatapathName, name)
	e.Uint32(ovsdatapath.AttrDatapathUpcallPID, 4242)
	stats := binary.NativeEndian.AppendUint64(nil, hits) // n-hit
	stats = binary.NativeEndian.AppendUint64(stats, 2)   // n-missed
	stats = binary.NativeEndian.AppendUint64(stats, 0)   // n-lost
	stats = binary.NativeEndian.AppendUint64(stats, 7)   // n-flows
	e.Binary(ovsdatapath.AttrDatapathStats, stats)
	e.Uint32(ovsdatapath.AttrDatapathUserFeatures, uint32(ovsdatapath.UserFeaturesUnaligned|ovsdatapath.UserFeaturesVportPIDs))
	return e.Bytes()
}

// wantDatapath is datapath with header dp, decoded.
func wantDatapath(dp uint32, name string, hits uint64) *ovsdatapath.Datapath {
	return &ovsdatapath.Datapath{
		OvsHeader: ovsdatapath.OvsHeader{DpIfindex: dp}, Name: genl.Some(name), UpcallPID: genl.Some[uint32](4242),
		Stats:        &ovsdatapath.OvsDpStats{NHit: hits, NMissed: 2, NFlows: 7},
		UserFeatures: genl.Some(ovsdatapath.UserFeaturesUnaligned | ovsdatapath.UserFeaturesVportPIDs),
	}
}

func TestFakeGet(t *testing.T) {
	got := new(ovsdatapath.Datapath)
	c, _ := fake(t, map[ovsdatapath.Cmd]genltest.Handler{ovsdatapath.CmdGet: answer(got, 5, datapath("ovs-system", 100))})
	req := &ovsdatapath.Datapath{Name: genl.Some("ovs-system")}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantDatapath(5, "ovs-system", 100), rep)
}

func TestFakeGetDump(t *testing.T) {
	c, _ := fake(t, map[ovsdatapath.Cmd]genltest.Handler{ovsdatapath.CmdGet: answer(new(ovsdatapath.Datapath), 5, datapath("dp0", 1), datapath("dp1", 2))})
	var got []*ovsdatapath.Datapath
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*ovsdatapath.Datapath{wantDatapath(5, "dp0", 1), wantDatapath(5, "dp1", 2)}, got)
}

func TestFakeNewSendsHeader(t *testing.T) {
	got := new(ovsdatapath.Datapath)
	c, _ := fake(t, map[ovsdatapath.Cmd]genltest.Handler{ovsdatapath.CmdNew: answer(got, 0)})
	req := &ovsdatapath.Datapath{OvsHeader: ovsdatapath.OvsHeader{DpIfindex: 9}, Name: genl.Some("dp9"), UpcallPID: genl.Some[uint32](1), PerCPUPIDs: []uint32{10, 11}}
	if err := c.New(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}

// The spec lists no notification ops, though the kernel multicasts its
// replies to new, del and set on the group; the client reports their
// command and leaves Msg nil.
func TestFakeNotification(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), ovsdatapath.GroupOvsDatapath)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	err = k.NotifyMessage(ovsdatapath.FamilyName, string(ovsdatapath.GroupOvsDatapath), genltest.Reply{
		Command: uint8(ovsdatapath.CmdNew), Header: binary.NativeEndian.AppendUint32(nil, 5), Attrs: datapath("dp0", 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != ovsdatapath.CmdNew {
		t.Errorf("notification command %v, want new", n.Cmd)
	}
}
