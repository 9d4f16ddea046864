package ovsvport

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no ovs_vport family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupOvsVport)}, Ops: ops,
	})
	return New(k.Conn(t)), k
}

// answer returns a handler that decodes each request's fixed header and
// attributes into got, and replies with one message per attribute buffer,
// each after the fixed header of datapath dp.
func answer(got *Vport, dp uint32, replies ...[]byte) genltest.Handler {
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

// vport encodes a vport by hand, with the packed ovs-vport-stats struct.
func vport(no uint32, name string) []byte {
	var e genl.Encoder
	e.Uint32(AttrVportPortNo, no)
	e.Uint32(AttrVportType, uint32(VportTypeNetdev))
	e.String(AttrVportName, name)
	e.Binary(AttrVportUpcallPID, binary.NativeEndian.AppendUint32(nil, 77))
	var stats []byte
	for _, v := range []uint64{10, 20, 1000, 2000, 0, 0, 1, 2} {
		stats = binary.NativeEndian.AppendUint64(stats, v)
	}
	e.Binary(AttrVportStats, stats)
	e.Uint32(AttrVportIfindex, 40+no)
	return e.Bytes()
}

// wantVport is vport on datapath dp, decoded.
func wantVport(dp, no uint32, name string) *Vport {
	return &Vport{
		OvsHeader: OvsHeader{DpIfindex: dp}, PortNo: genl.Some(no), Type: genl.Some(VportTypeNetdev), Name: genl.Some(name),
		UpcallPID: []uint32{77}, Ifindex: genl.Some(40 + no),
		Stats: &Stats{RXPackets: 10, TXPackets: 20, RXBytes: 1000, TXBytes: 2000, RXDropped: 1, TXDropped: 2},
	}
}

func TestFakeGet(t *testing.T) {
	got := new(Vport)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): answer(got, 5, vport(1, "eth0"))})
	req := &Vport{OvsHeader: OvsHeader{DpIfindex: 5}, Name: genl.Some("eth0")}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantVport(5, 1, "eth0"), rep)
}

func TestFakeGetDump(t *testing.T) {
	got := new(Vport)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): answer(got, 5, vport(0, "ovs-system"), vport(1, "eth0"))})
	var dumped []*Vport
	for m, err := range c.GetDump(ctx(t), &Vport{OvsHeader: OvsHeader{DpIfindex: 5}}) {
		if err != nil {
			t.Fatal(err)
		}
		dumped = append(dumped, m)
	}
	diff(t, "request the kernel received", &Vport{OvsHeader: OvsHeader{DpIfindex: 5}}, got)
	diff(t, "dump", []*Vport{wantVport(5, 0, "ovs-system"), wantVport(5, 1, "eth0")}, dumped)
}

// The spec lists no notification ops, though the kernel multicasts its
// replies to new, del and set on the group; the client reports their
// command and leaves Msg nil.
func TestFakeNotification(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupOvsVport)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	err = k.NotifyMessage(FamilyName, string(GroupOvsVport), genltest.Reply{
		Command: uint8(CmdDel), Header: binary.NativeEndian.AppendUint32(nil, 5), Attrs: vport(1, "eth0"),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if n.Cmd != CmdDel {
		t.Errorf("notification command %v, want del", n.Cmd)
	}
}
