package rtaddr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func live(t *testing.T) (*Client, *netnstest.NS, uint32) {
	t.Helper()
	ns := netnstest.New(t)
	ns.Veth(t, "va", "vb")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var links []struct {
		Ifindex uint32 `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link", "show", "va")), &links); err != nil || len(links) != 1 {
		t.Fatalf("ip -j link show va: %v", err)
	}
	return c, ns, links[0].Ifindex
}

// ipAddrs lists the addresses ip -j addr reports for dev, as prefixes.
func ipAddrs(t *testing.T, ns *netnstest.NS, dev string) []string {
	var out []struct {
		AddrInfo []struct {
			Local     string `json:"local"`
			Prefixlen int    `json:"prefixlen"`
		} `json:"addr_info"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "addr", "show", "dev", dev)), &out); err != nil {
		t.Fatal(err)
	}
	var l []string
	for _, a := range out[0].AddrInfo {
		l = append(l, netip.PrefixFrom(netip.MustParseAddr(a.Local), a.Prefixlen).String())
	}
	slices.Sort(l)
	return l
}

func dumpAddrs(t *testing.T, c *Client, filter *AddrAttrs) []string {
	var l []string
	for a, err := range c.GetaddrDump(ctx(t), filter) {
		if err != nil {
			t.Fatal(err)
		}
		addr := a.Local
		if !addr.IsValid() {
			addr = a.Address // IPv6 addresses come without IFA_LOCAL
		}
		l = append(l, netip.PrefixFrom(addr, int(a.Ifaddrmsg.IfaPrefixlen)).String())
	}
	slices.Sort(l)
	return l
}

// TestLiveAddresses adds IPv4 and IPv6 addresses, dumps them filtered by
// family and device (strict checking), compares with ip -j addr, and
// deletes them.
func TestLiveAddresses(t *testing.T) {
	c, ns, va := live(t)
	v4 := &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET, IfaPrefixlen: 24, IfaIndex: va}, Local: netip.MustParseAddr("192.0.2.1"), Address: netip.MustParseAddr("192.0.2.1")}
	v6 := &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET6, IfaPrefixlen: 64, IfaIndex: va}, Address: netip.MustParseAddr("2001:db8::1"), Flags: genl.Some(IfaFlagsNodad)}
	for _, a := range []*AddrAttrs{v4, v6} {
		if err := c.Newaddr(ctx(t), a, genl.Create, genl.Excl); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Newaddr(ctx(t), v4, genl.Create, genl.Excl); !errors.Is(err, unix.EEXIST) {
		t.Errorf("adding 192.0.2.1 again with excl: %v, want EEXIST", err)
	}
	got4 := dumpAddrs(t, c, &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET, IfaIndex: va}})
	if want := []string{"192.0.2.1/24"}; !slices.Equal(got4, want) {
		t.Errorf("v4 dump of va: %v, want %v", got4, want)
	}
	got6 := dumpAddrs(t, c, &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET6, IfaIndex: va}})
	all := append(append([]string{}, got4...), got6...)
	slices.Sort(all)
	if want := ipAddrs(t, ns, "va"); !slices.Equal(all, want) {
		t.Errorf("dumps of va: %v, ip says %v", all, want)
	}
	if !slices.Contains(got6, "2001:db8::1/64") {
		t.Errorf("v6 dump of va: %v, want 2001:db8::1/64 in it", got6)
	}
	for _, a := range []*AddrAttrs{v4, v6} {
		if err := c.Deladdr(ctx(t), a); err != nil {
			t.Fatal(err)
		}
	}
	if l := dumpAddrs(t, c, &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET, IfaIndex: va}}); len(l) != 0 {
		t.Errorf("after deladdr: %v", l)
	}
	// Strict checking rejects a dump filter the kernel cannot apply.
	for _, err := range c.GetaddrDump(ctx(t), &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET, IfaPrefixlen: 8}}) {
		if !errors.Is(err, unix.EINVAL) {
			t.Errorf("dump filtered by prefix length: %v, want EINVAL from strict checking", err)
		}
		break
	}
}

// TestLiveDumpIntr dumps many addresses while a goroutine adds and
// removes others: some dumps must end with genl.ErrDumpInterrupted, after
// all their data.
func TestLiveDumpIntr(t *testing.T) {
	c, ns, va := live(t)
	var lines []string
	for i := range 2000 {
		lines = append(lines, fmt.Sprintf("addr add 10.8.%d.%d/32 dev vb", i/200, i%200+1))
	}
	ns.Batch(t, lines)
	cctx, cancel := context.WithCancel(ctx(t))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; cctx.Err() == nil; i++ {
			a := &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET, IfaPrefixlen: 32, IfaIndex: va}, Local: netip.AddrFrom4([4]byte{10, 9, 0, byte(i%200 + 1)})}
			if c.Newaddr(cctx, a, genl.Create) == nil {
				_ = c.Deladdr(cctx, a)
			}
		}
	}()
	defer func() { cancel(); <-done }()
	intr := 0
	for range 200 {
		n := 0
		for _, err := range c.GetaddrDump(ctx(t), &AddrAttrs{Ifaddrmsg: Ifaddrmsg{IfaFamily: unix.AF_INET}}) {
			if errors.Is(err, genl.ErrDumpInterrupted) {
				intr++
				if n < 2000 {
					t.Errorf("interrupted dump yielded %d addresses before the error, want all", n)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if intr >= 2 {
			return
		}
	}
	t.Errorf("%d of 200 dumps interrupted under address churn, want 2", intr)
}

// TestLiveWatchAddresses receives newaddr and deladdr typed.
func TestLiveWatchAddresses(t *testing.T) {
	c, ns, _ := live(t)
	sub, err := c.Subscribe(ctx(t), GroupRtnlgrpIPv4Ifaddr)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ns.IP(t, "addr", "add", "198.51.100.7/24", "dev", "va")
	ns.IP(t, "addr", "del", "198.51.100.7/24", "dev", "va")
	var ops []string
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		if a, ok := n.Msg.(*AddrAttrs); ok && a.Local == netip.MustParseAddr("198.51.100.7") {
			ops = append(ops, n.Op)
		}
		if len(ops) == 2 {
			break
		}
	}
	if !slices.Equal(ops, []string{"newaddr", "deladdr"}) {
		t.Errorf("notifications %v, want newaddr, deladdr", ops)
	}
}
