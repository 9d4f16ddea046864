package rtneigh

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestLiveNeighbours adds a permanent neighbour, finds it in a dump
// filtered by device and in ip -j neigh, and deletes it.
func TestLiveNeighbours(t *testing.T) {
	ns := netnstest.New(t)
	ns.Veth(t, "va", "vb")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var links []struct {
		Ifindex int32 `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link", "show", "va")), &links); err != nil {
		t.Fatal(err)
	}
	mac, _ := net.ParseMAC("02:00:00:00:00:42")
	n := &NeighbourAttrs{
		Ndmsg:  Ndmsg{NdmFamily: unix.AF_INET, NdmIfindex: links[0].Ifindex, NdmState: NudStatePermanent},
		Dst:    netip.MustParseAddr("192.0.2.42"),
		Lladdr: mac,
	}
	if err := c.Newneigh(ctx(t), n, genl.Create, genl.Excl); err != nil {
		t.Fatal(err)
	}
	found := 0
	// A neighbour dump is filtered by the ifindex attribute: strict
	// checking refuses a dump request with ndm_ifindex set.
	var derr error
	for _, err := range c.GetneighDump(ctx(t), &NeighbourAttrs{Ndmsg: Ndmsg{NdmFamily: unix.AF_INET, NdmIfindex: links[0].Ifindex}}) {
		derr = err
	}
	if !errors.Is(derr, unix.EINVAL) {
		t.Errorf("dump with ndm_ifindex set: %v, want EINVAL", derr)
	}
	for m, err := range c.GetneighDump(ctx(t), &NeighbourAttrs{Ndmsg: Ndmsg{NdmFamily: unix.AF_INET}, Ifindex: genl.Some(uint32(links[0].Ifindex))}) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Ndmsg.NdmIfindex != links[0].Ifindex {
			t.Errorf("dump filtered by va returned ifindex %d", m.Ndmsg.NdmIfindex)
		}
		if m.Dst == n.Dst && m.Lladdr.String() == mac.String() && m.Ndmsg.NdmState == NudStatePermanent {
			found++
		}
	}
	var ip []struct {
		Dst    string   `json:"dst"`
		Lladdr string   `json:"lladdr"`
		State  []string `json:"state"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "-4", "neigh", "show", "dev", "va")), &ip); err != nil {
		t.Fatal(err)
	}
	if found != 1 || len(ip) != 1 || ip[0].Dst != "192.0.2.42" || ip[0].Lladdr != mac.String() || ip[0].State[0] != "PERMANENT" {
		t.Errorf("neighbour found %d times; ip says %+v", found, ip)
	}
	got, err := c.Getneigh(ctx(t), &NeighbourAttrs{Ndmsg: Ndmsg{NdmFamily: unix.AF_INET, NdmIfindex: links[0].Ifindex}, Dst: n.Dst})
	if err != nil || got.Lladdr.String() != mac.String() {
		t.Errorf("getneigh: %+v, %v", got, err)
	}
	if err := c.Delneigh(ctx(t), n); err != nil {
		t.Fatal(err)
	}
	if out := ns.IP(t, "-4", "neigh", "show", "dev", "va"); out != "" {
		t.Errorf("after delneigh ip lists %q", out)
	}
}
