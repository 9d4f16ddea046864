package mptcppm

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// Endpoint flags (MPTCP_PM_ADDR_FLAG_*).
const (
	flagSignal  = 1
	flagSubflow = 2
	flagBackup  = 4
)

// liveClient dials mptcp_pm in a fresh namespace holding a veth d0 (peer d1)
// with 10.9.0.1/24 and 10.9.0.2/24, and returns the client and the
// device's ifindex. It skips when the kernel lacks mptcp_pm.
func liveClient(t *testing.T) (*Client, int32) {
	t.Helper()
	ns := netnstest.New(t)
	ns.Veth(t, "d0", "d1")
	ns.IP(t, "addr", "add", "10.9.0.1/24", "dev", "d0")
	ns.IP(t, "addr", "add", "10.9.0.2/24", "dev", "d0")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	if _, err := c.GetLimits(ctx(t), nil); errors.Is(err, os.ErrNotExist) {
		t.Skipf("kernel lacks mptcp_pm: %v", err)
	}
	var links []struct {
		Ifindex int32 `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link", "show", "d0")), &links); err != nil || len(links) != 1 {
		t.Fatalf("ip -j link show d0: %v %+v", err, links)
	}
	return c, links[0].Ifindex
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// v4 returns an IPv4 address as the big-endian number addr4 carries.
func v4(a, b, c, d byte) uint32 {
	return uint32(a)<<24 | uint32(b)<<16 | uint32(c)<<8 | uint32(d)
}

// dumpIDs returns the ids of the endpoints a get-addr dump reports, and
// the endpoints by id.
func dumpIDs(t *testing.T, c *Client) ([]uint8, map[uint8]*Address) {
	t.Helper()
	var ids []uint8
	byID := map[uint8]*Address{}
	for m, err := range c.GetAddrDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Addr == nil {
			t.Fatalf("get-addr dump: reply without addr: %+v", m)
		}
		ids = append(ids, m.Addr.ID.Value)
		byID[m.Addr.ID.Value] = m.Addr
	}
	slices.Sort(ids)
	return ids, byID
}

func TestLiveEndpoints(t *testing.T) {
	c, idx := liveClient(t)
	// The kernel reports port 0 explicitly, so the endpoints send it too.
	ep := func(id uint8, addr4, flags uint32) *Address {
		return &Address{
			Family: genl.Some[uint16](unix.AF_INET), ID: genl.Some(id), Addr4: genl.Some(addr4),
			Port: genl.Some[uint16](0), Flags: genl.Some(flags), IfIdx: genl.Some(idx),
		}
	}
	eps := []*Address{ep(1, v4(10, 9, 0, 1), flagSignal), ep(2, v4(10, 9, 0, 2), flagSubflow|flagBackup)}
	for _, a := range eps {
		if err := c.AddAddr(ctx(t), &Endpoint{Addr: a}); err != nil {
			t.Fatalf("add-addr %+v: %v", a, err)
		}
	}

	got, err := c.GetAddr(ctx(t), &Attr{Addr: &Address{ID: genl.Some[uint8](2)}})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(eps[1], got.Addr); d != "" {
		t.Errorf("get-addr id 2 (-added +got):\n%s", d)
	}

	ids, byID := dumpIDs(t, c)
	if !slices.Equal(ids, []uint8{1, 2}) {
		t.Fatalf("dump after adding 1 and 2 reports ids %v", ids)
	}
	if d := cmp.Diff(eps[0], byID[1]); d != "" {
		t.Errorf("dumped id 1 (-added +got):\n%s", d)
	}

	if err := c.DelAddr(ctx(t), &Endpoint{Addr: &Address{ID: genl.Some[uint8](1)}}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := dumpIDs(t, c); !slices.Equal(ids, []uint8{2}) {
		t.Errorf("dump after deleting 1 reports ids %v, want [2]", ids)
	}
	if _, err := c.GetAddr(ctx(t), &Attr{Addr: &Address{ID: genl.Some[uint8](1)}}); err == nil {
		t.Error("get-addr of the deleted id 1 succeeded")
	}

	if err := c.AddAddr(ctx(t), &Endpoint{Addr: eps[0]}); err != nil {
		t.Fatal(err)
	}
	if err := c.FlushAddrs(ctx(t), &Endpoint{}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := dumpIDs(t, c); len(ids) != 0 {
		t.Errorf("dump after flush-addrs reports ids %v", ids)
	}
}

func TestLiveLimits(t *testing.T) {
	c, _ := liveClient(t)
	for _, want := range []*Attr{
		{RcvAddAddrs: genl.Some[uint32](5), Subflows: genl.Some[uint32](3)},
		{RcvAddAddrs: genl.Some[uint32](0), Subflows: genl.Some[uint32](7)},
	} {
		if err := c.SetLimits(ctx(t), want); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetLimits(ctx(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("get-limits after set-limits (-set +got):\n%s", d)
		}
	}
	err := c.SetLimits(ctx(t), &Attr{Subflows: genl.Some[uint32](1000)})
	if !errors.Is(err, unix.EINVAL) {
		t.Errorf("set-limits subflows 1000 = %v, want EINVAL (the kernel's maximum is 8)", err)
	}
}
