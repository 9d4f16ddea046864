package netdev

import (
	"context"
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// live returns a client inside a fresh network namespace.
func live(t *testing.T) (*Client, *netnstest.NS) {
	t.Helper()
	ns := netnstest.New(t)
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "netdev") // new in Linux 6.2
	return c, ns
}

// ipLinks returns the namespace's interfaces by ifindex, from `ip -j link`.
func ipLinks(t *testing.T, ns *netnstest.NS) map[uint32]string {
	var links []struct {
		Ifindex uint32 `json:"ifindex"`
		Ifname  string `json:"ifname"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link")), &links); err != nil {
		t.Fatal(err)
	}
	m := map[uint32]string{}
	for _, l := range links {
		m[l.Ifindex] = l.Ifname
	}
	return m
}

func TestLiveDevDump(t *testing.T) {
	c, ns := live(t)
	ns.Veth(t, "va0", "vb0")
	ns.Veth(t, "va1", "vb1")
	want := ipLinks(t, ns)
	// Tunnel modules (ip6_tunnel, ipip, sit, gre: loaded in the VM lab for
	// fou) add a fallback device to every namespace; they are devices too.
	fallback := 0
	for _, name := range want {
		switch name {
		case "ip6tnl0", "tunl0", "sit0", "gre0", "gretap0", "erspan0", "ip6gre0", "ip6_vti0", "ip_vti0":
			fallback++
		}
	}
	if len(want)-fallback != 5 {
		t.Fatalf("ip link shows %v, want lo and four veths", want)
	}
	got := map[uint32]string{}
	for d, err := range c.DevGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if !d.Ifindex.Valid {
			t.Fatalf("dev-get dump: a device without an ifindex: %+v", d)
		}
		got[d.Ifindex.Value] = want[d.Ifindex.Value]
		// veth does XDP: the dump says which actions it supports.
		if want[d.Ifindex.Value] == "va0" && d.XDPFeatures.Value&XDPActBasic == 0 {
			t.Errorf("va0 xdp-features %v, want basic", d.XDPFeatures)
		}
	}
	if !maps.Equal(got, want) {
		t.Errorf("dev-get dump ifindexes %v, ip link %v", got, want)
	}
	for idx, name := range want {
		d, err := c.DevGet(ctx(t), &Dev{Ifindex: genl.Some(idx)})
		if err != nil || d.Ifindex != genl.Some(idx) {
			t.Errorf("dev-get of %s (%d) = %+v, %v", name, idx, d, err)
		}
	}
}

func TestLiveMgmtNotifications(t *testing.T) {
	c, ns := live(t)
	sub, err := c.Subscribe(ctx(t), GroupMgmt)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ns.Veth(t, "va0", "vb0")
	links := ipLinks(t, ns)
	ns.IP(t, "link", "del", "va0") // takes its peer with it

	// Each veth shows up once in dev-add-ntf and once in dev-del-ntf;
	// dev-change-ntf may come in between.
	added, deleted := map[string]bool{}, map[string]bool{}
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		d, ok := n.Msg.(*Dev)
		if !ok {
			t.Fatalf("notification %v carries %T, want *Dev", n.Cmd, n.Msg)
		}
		name := links[d.Ifindex.Value]
		switch n.Cmd {
		case CmdDevAddNtf:
			added[name] = true
		case CmdDevDelNtf:
			if !added[name] {
				t.Errorf("dev-del-ntf for ifindex %d (%q) before its dev-add-ntf", d.Ifindex.Value, name)
			}
			deleted[name] = true
		}
		if deleted["va0"] && deleted["vb0"] {
			break
		}
	}
	want := map[string]bool{"va0": true, "vb0": true}
	if !maps.Equal(added, want) || !maps.Equal(deleted, want) {
		t.Errorf("dev-add-ntf for %v, dev-del-ntf for %v; want both veths in each", added, deleted)
	}
}
