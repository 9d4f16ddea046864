package ovsvport_test

import (
	"encoding/binary"
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/ovsvport"
	"github.com/ynlgo/ynl/families/ovsvport/ovsvporttest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no ovs_vport family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (ovsvporttest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[ovsvport.Cmd]genltest.Handler) (*ovsvport.Client, *genltest.Kernel) {
	t.Helper()
	f := ovsvporttest.New(t)
	faketest.ServeRaw(f.HandleRaw, ops)
	return f.Client(), f.Kernel
}

// answer returns a handler that decodes each request's fixed header and
// attributes into got, and replies with one message per attribute buffer,
// each after the fixed header of datapath dp.
func answer(got *ovsvport.Vport, dp uint32, replies ...[]byte) genltest.Handler {
	return faketest.OvsAnswer(func(i uint32) { got.OvsHeader = ovsvport.OvsHeader{DpIfindex: i} }, got.Decode, dp, replies...)
}

// vport encodes a vport by hand, with the packed ovs-vport-stats struct.
func vport(no uint32, name string) []byte {
	var e genl.Encoder
	e.Uint32(ovsvport.AttrVportPortNo, no)
	e.Uint32(ovsvport.AttrVportType, uint32(ovsvport.VportTypeNetdev))
	e.String(ovsvport.AttrVportName, name)
	e.Binary(ovsvport.AttrVportUpcallPID, binary.NativeEndian.AppendUint32(nil, 77))
	var stats []byte
	for _, v := range []uint64{10, 20, 1000, 2000, 0, 0, 1, 2} {
		stats = binary.NativeEndian.AppendUint64(stats, v)
	}
	e.Binary(ovsvport.AttrVportStats, stats)
	e.Uint32(ovsvport.AttrVportIfindex, 40+no)
	return e.Bytes()
}

// wantVport is vport on datapath dp, decoded.
func wantVport(dp, no uint32, name string) *ovsvport.Vport {
	return &ovsvport.Vport{
		OvsHeader: ovsvport.OvsHeader{DpIfindex: dp}, PortNo: genl.Some(no), Type: genl.Some(ovsvport.VportTypeNetdev), Name: genl.Some(name),
		UpcallPID: []uint32{77}, Ifindex: genl.Some(int32(40 + no)),
		Stats: &ovsvport.Stats{RXPackets: 10, TXPackets: 20, RXBytes: 1000, TXBytes: 2000, RXDropped: 1, TXDropped: 2},
	}
}

func TestFakeGet(t *testing.T) {
	got := new(ovsvport.Vport)
	c, _ := fake(t, map[ovsvport.Cmd]genltest.Handler{ovsvport.CmdGet: answer(got, 5, vport(1, "eth0"))})
	req := &ovsvport.Vport{OvsHeader: ovsvport.OvsHeader{DpIfindex: 5}, Name: genl.Some("eth0")}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantVport(5, 1, "eth0"), rep)
}

func TestFakeGetDump(t *testing.T) {
	got := new(ovsvport.Vport)
	c, _ := fake(t, map[ovsvport.Cmd]genltest.Handler{ovsvport.CmdGet: answer(got, 5, vport(0, "ovs-system"), vport(1, "eth0"))})
	var dumped []*ovsvport.Vport
	for m, err := range c.GetDump(ctx(t), &ovsvport.Vport{OvsHeader: ovsvport.OvsHeader{DpIfindex: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		dumped = append(dumped, m)
	}
	diff(t, "request the kernel received", &ovsvport.Vport{OvsHeader: ovsvport.OvsHeader{DpIfindex: 5}}, got)
	diff(t, "dump", []*ovsvport.Vport{wantVport(5, 0, "ovs-system"), wantVport(5, 1, "eth0")}, dumped)
}

// The spec lists no notification ops, though the kernel multicasts its
// replies to new, del and set on the group; the client reports their
// command and leaves Msg nil.
func TestFakeNotification(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), ovsvport.GroupOvsVport)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	err = k.NotifyMessage(ovsvport.FamilyName, string(ovsvport.GroupOvsVport), genltest.Reply{
		Command: uint8(ovsvport.CmdDel), Header: binary.NativeEndian.AppendUint32(nil, 5), Attrs: vport(1, "eth0"),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != ovsvport.CmdDel {
		t.Errorf("notification command %v, want del", n.Cmd)
	}
}
