//go:build linux

package netshaper_test

import (
	"slices"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/netshaper"
	"github.com/ynlgo/ynl/genl"
)

// These run in the VM lab on a netdevsim port, whose driver implements
// the shaper ops (go run ./internal/vmlab -memory 2048 -run TestLive
// ./families/netshaper); elsewhere they skip.

// live dials net-shaper and makes a one-port netdevsim device with four
// queues, returning the port's ifindex.
func live(t *testing.T) (*netshaper.Client, uint32) {
	t.Helper()
	c, err := netshaper.Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), netshaper.FamilyName, "netshaper")
	d := livetest.Netdevsim(t, 1, 4)
	return c, livetest.Ifindex(t, d.Netdevs[0])
}

func queue(id uint32) *netshaper.Handle {
	return &netshaper.Handle{Scope: genl.Some(netshaper.ScopeQueue), ID: genl.Some(id)}
}

// id returns a handle's id; -1 for none.
func id(h *netshaper.Handle) int64 {
	if h == nil || !h.ID.Valid {
		return -1
	}
	return int64(h.ID.Value)
}

// TestLiveCaps reads the capabilities netdevsim reports (all of them) for
// the queue scope, and dumps them per scope.
func TestLiveCaps(t *testing.T) {
	c, ifindex := live(t)
	ctx := livetest.Ctx(t)
	got, err := c.CapGet(ctx, &netshaper.Caps{Ifindex: genl.Some(ifindex), Scope: genl.Some(netshaper.ScopeQueue)})
	if err != nil {
		t.Fatalf("cap-get: %v", err)
	}
	if got.Scope.Value != netshaper.ScopeQueue || !got.SupportMetricBps || !got.SupportBwMax || !got.SupportNesting || !got.SupportWeight {
		t.Errorf("cap-get queue: %+v, want every capability (netdevsim's)", got)
	}
	var scopes []netshaper.Scope
	for m, err := range c.CapGetDump(ctx, &netshaper.Caps{Ifindex: genl.Some(ifindex)}) {
		if err != nil {
			t.Fatalf("cap-get dump: %v", err)
		}
		scopes = append(scopes, m.Scope.Value)
	}
	if !slices.Contains(scopes, netshaper.ScopeNetdev) || !slices.Contains(scopes, netshaper.ScopeQueue) || !slices.Contains(scopes, netshaper.ScopeNode) {
		t.Errorf("cap-get dump: scopes %v, want netdev, queue and node", scopes)
	}
}

// TestLiveShapers sets a queue shaper, reads it back with get and dump,
// groups two queues under a node and deletes the shaper.
func TestLiveShapers(t *testing.T) {
	c, ifindex := live(t)
	ctx := livetest.Ctx(t)
	set := &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(1),
		Metric: genl.Some(netshaper.MetricBps), BwMax: genl.Some[uint64](1_000_000), Weight: genl.Some[uint32](3)}
	if err := c.Set(ctx, set); err != nil {
		t.Fatalf("set: %v", err)
	}
	got, err := c.Get(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(1)})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if id(got.Handle) != 1 || got.Handle.Scope.Value != netshaper.ScopeQueue || got.BwMax.Value != 1_000_000 || got.Weight.Value != 3 || got.Metric.Value != netshaper.MetricBps {
		t.Errorf("get: %+v handle %+v, want queue 1 with bw-max 1000000 bps and weight 3", got, got.Handle)
	}
	n := 0
	for m, err := range c.GetDump(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex)}) {
		if err != nil {
			t.Fatalf("get dump: %v", err)
		}
		if m.Handle != nil && m.Handle.Scope.Value == netshaper.ScopeQueue && id(m.Handle) == 1 {
			n++
		}
	}
	if n != 1 {
		t.Errorf("get dump: queue 1 seen %d times", n)
	}

	node, err := c.Group(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex),
		Handle: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeNode)},
		Leaves: []netshaper.LeafInfo{{Handle: queue(2)}, {Handle: queue(3)}}})
	if err != nil {
		t.Fatalf("group: %v", err)
	}
	if node.Handle == nil || node.Handle.Scope.Value != netshaper.ScopeNode || node.Ifindex.Value != ifindex {
		t.Fatalf("group: %+v, want a node handle on ifindex %d", node, ifindex)
	}
	leaf, err := c.Get(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(2)})
	if err != nil {
		t.Fatalf("get queue 2: %v", err)
	}
	if p := leaf.Parent; p == nil || p.Scope.Value != netshaper.ScopeNode || id(p) != id(node.Handle) {
		t.Errorf("queue 2's parent %+v, want node %d", leaf.Parent, id(node.Handle))
	}

	if err := c.Delete(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(1)}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.Get(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(1)})
	livetest.KernelError(t, err, syscall.ENOENT, ".handle")
}

// TestLiveKernelErrors checks the kernel's errors and attribute paths: a
// netdev-scope handle with an id, a queue handle without one, and a
// queue the device does not have.
func TestLiveKernelErrors(t *testing.T) {
	c, ifindex := live(t)
	ctx := livetest.Ctx(t)
	err := c.Set(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex),
		Handle: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeNetdev), ID: genl.Some[uint32](3)}, BwMax: genl.Some[uint64](1)})
	livetest.KernelError(t, err, syscall.EINVAL, ".handle.id")

	err = c.Set(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex),
		Handle: &netshaper.Handle{Scope: genl.Some(netshaper.ScopeQueue)}, BwMax: genl.Some[uint64](1)})
	livetest.KernelError(t, err, syscall.EINVAL, ".handle.id")

	err = c.Set(ctx, &netshaper.Attrs{Ifindex: genl.Some(ifindex), Handle: queue(9), BwMax: genl.Some[uint64](1)})
	livetest.KernelError(t, err, syscall.ENOENT, "")
}
