package netshaper_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/netshaper"
	"github.com/ynlgo/ynl/families/netshaper/netshapertest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no net-shaper family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (netshapertest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[netshaper.Cmd]genltest.Handler) (*netshaper.Client, *genltest.Kernel) {
	t.Helper()
	f := netshapertest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The net-shaper spec has no multicast groups, so there are no
// notifications to test.

// shaper encodes a queue shaper by hand; bw-max is a variable-width
// uint, sent in 8 bytes when it does not fit in 4.
func shaper(queue uint32, bwMax uint64) []byte {
	var e genl.Encoder
	e.Uint32(netshaper.AttrIfindex, 2)
	n := e.Nest(netshaper.AttrHandle)
	e.Uint32(netshaper.AttrHandleScope, uint32(netshaper.ScopeQueue))
	e.Uint32(netshaper.AttrHandleID, queue)
	e.End(n)
	e.Uint32(netshaper.AttrMetric, uint32(netshaper.MetricBps))
	e.Uint(netshaper.AttrBwMax, bwMax)
	n = e.Nest(netshaper.AttrParent)
	e.Uint32(netshaper.AttrHandleScope, uint32(netshaper.ScopeNetdev))
	e.End(n)
	return e.Bytes()
}

// wantShaper is shaper, decoded.
func wantShaper(queue uint32, bwMax uint64) *netshaper.Attrs {
	return &netshaper.Attrs{
		Ifindex: genl.Some[uint32](2), Handle: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeQueue), ID: genl.Some(queue)},
		Metric: genl.Some(netshaper.MetricBps), BwMax: genl.Some(bwMax), Parent: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeNetdev)},
	}
}

func TestFakeGet(t *testing.T) {
	got := new(netshaper.Attrs)
	c, _ := fake(t, map[netshaper.Cmd]genltest.Handler{netshaper.CmdGet: genltest.Answer(got, shaper(1, 10_000_000_000))})
	req := &netshaper.Attrs{Ifindex: genl.Some[uint32](2), Handle: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeQueue), ID: genl.Some[uint32](1)}}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantShaper(1, 10_000_000_000), rep)
}

func TestFakeGetDump(t *testing.T) {
	got := new(netshaper.Attrs)
	c, _ := fake(t, map[netshaper.Cmd]genltest.Handler{netshaper.CmdGet: genltest.Answer(got, shaper(0, 1000), shaper(1, 1<<40))})
	var dumped []*netshaper.Attrs
	for m, err := range c.GetDump(ctx(t), &netshaper.Attrs{Ifindex: genl.Some[uint32](2)}) {
		if err != nil {
			t.Fatal(err)
		}
		dumped = append(dumped, m)
	}
	diff(t, "request the kernel received", &netshaper.Attrs{Ifindex: genl.Some[uint32](2)}, got)
	diff(t, "dump", []*netshaper.Attrs{wantShaper(0, 1000), wantShaper(1, 1<<40)}, dumped)
}

func TestFakeSet(t *testing.T) {
	got := new(netshaper.Attrs)
	c, _ := fake(t, map[netshaper.Cmd]genltest.Handler{netshaper.CmdSet: genltest.Answer(got)})
	req := wantShaper(3, 1<<33)
	req.Parent = nil
	if err := c.Set(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}
