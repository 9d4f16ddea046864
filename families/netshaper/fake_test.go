package netshaper

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no net-shaper family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: nil, Ops: ops,
	})
	return New(k.Conn(t)), k
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

// The net-shaper spec has no multicast groups, so there are no
// notifications to test.

// shaper encodes a queue shaper by hand; bw-max is a variable-width
// uint, sent in 8 bytes when it does not fit in 4.
func shaper(queue uint32, bwMax uint64) []byte {
	var e genl.Encoder
	e.Uint32(AttrIfindex, 2)
	n := e.Nest(AttrHandle)
	e.Uint32(AttrHandleScope, uint32(ScopeQueue))
	e.Uint32(AttrHandleID, queue)
	e.End(n)
	e.Uint32(AttrMetric, uint32(MetricBps))
	e.Uint(AttrBwMax, bwMax)
	n = e.Nest(AttrParent)
	e.Uint32(AttrHandleScope, uint32(ScopeNetdev))
	e.End(n)
	return e.Bytes()
}

// wantShaper is shaper, decoded.
func wantShaper(queue uint32, bwMax uint64) *Attrs {
	return &Attrs{
		Ifindex: genl.Some[uint32](2), Handle: &Handle{Scope: genl.Some(ScopeQueue), ID: genl.Some(queue)},
		Metric: genl.Some(MetricBps), BwMax: genl.Some(bwMax), Parent: &Handle{Scope: genl.Some(ScopeNetdev)},
	}
}

func TestFakeGet(t *testing.T) {
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): genltest.Answer(got, shaper(1, 10_000_000_000))})
	req := &Attrs{Ifindex: genl.Some[uint32](2), Handle: &Handle{Scope: genl.Some(ScopeQueue), ID: genl.Some[uint32](1)}}
	rep, err := c.Get(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantShaper(1, 10_000_000_000), rep)
}

func TestFakeGetDump(t *testing.T) {
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): genltest.Answer(got, shaper(0, 1000), shaper(1, 1<<40))})
	var dumped []*Attrs
	for m, err := range c.GetDump(ctx(t), &Attrs{Ifindex: genl.Some[uint32](2)}) {
		if err != nil {
			t.Fatal(err)
		}
		dumped = append(dumped, m)
	}
	diff(t, "request the kernel received", &Attrs{Ifindex: genl.Some[uint32](2)}, got)
	diff(t, "dump", []*Attrs{wantShaper(0, 1000), wantShaper(1, 1<<40)}, dumped)
}

func TestFakeSet(t *testing.T) {
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdSet): genltest.Answer(got)})
	req := wantShaper(3, 1<<33)
	req.Parent = nil
	if err := c.Set(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
}
