package bench

// The classic netlink comparison: link, address and route lists of
// families/rtlink, rtaddr and rtroute against vishvananda/netlink and
// jsimonetti/rtnetlink, over the same 1000 veths.

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"os/exec"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	jrtnl "github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	vnl "github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/families/rtroute"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// rtnlNS is the namespace of the rtnetlink comparison: vethPairs pairs,
// up, each of the 1000 devices with an IPv4 address of its own /24, so
// that the main table holds 1000 connected routes and the local table
// 2000 more.
var rtnlNS struct {
	once sync.Once
	path string
	err  error
}

func rtnlNetNS(tb testing.TB) string {
	tb.Helper()
	if err := requireRoot(); err != nil {
		tb.Skip(err)
	}
	rtnlNS.once.Do(func() {
		name, err := makeNetNS(vethPairs)
		if name != "" {
			netnses.mu.Lock()
			netnses.names = append(netnses.names, name)
			netnses.mu.Unlock()
		}
		if err != nil {
			rtnlNS.err = err
			return
		}
		var batch bytes.Buffer
		for i := range vethPairs {
			for j, end := range []string{"a", "b"} {
				k := 2*i + j
				fmt.Fprintf(&batch, "link set vb%d%s up\naddr add 10.%d.%d.1/24 dev vb%d%s\n", i, end, k/256, k%256, i, end)
			}
		}
		cmd := exec.Command("ip", "-n", name, "-batch", "-")
		cmd.Stdin = &batch
		if out, err := cmd.CombinedOutput(); err != nil {
			rtnlNS.err = fmt.Errorf("ip -n %s -batch: %v: %s", name, err, out)
			return
		}
		rtnlNS.path = "/run/netns/" + name
	})
	if rtnlNS.err != nil {
		tb.Fatal(rtnlNS.err)
	}
	return rtnlNS.path
}

// requireRoot says why the namespace cannot be made, if it cannot.
func requireRoot() error {
	if unix.Geteuid() != 0 {
		return fmt.Errorf("needs root: creates a network namespace and veths")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return fmt.Errorf("needs ip (iproute2) to create the veths")
	}
	return nil
}

// rtnlClients are the three libraries' handles in the namespace.
type rtnlClients struct {
	link  *rtlink.Client
	addr  *rtaddr.Client
	route *rtroute.Client
	vish  *vnl.Handle
	jsim  *jrtnl.Conn
}

func dialRtnl(tb testing.TB) *rtnlClients {
	tb.Helper()
	path := rtnlNetNS(tb)
	ctx := context.Background()
	opts := &genl.DialOptions{NetNSPath: path}
	var c rtnlClients
	var err error
	if c.link, err = rtlink.Dial(ctx, opts); err != nil {
		tb.Fatal(err)
	}
	if c.addr, err = rtaddr.Dial(ctx, opts); err != nil {
		tb.Fatal(err)
	}
	if c.route, err = rtroute.Dial(ctx, opts); err != nil {
		tb.Fatal(err)
	}
	ns, err := netns.GetFromPath(path)
	if err != nil {
		tb.Fatal(err)
	}
	if c.vish, err = vnl.NewHandleAt(ns, unix.NETLINK_ROUTE); err != nil {
		tb.Fatal(err)
	}
	if c.jsim, err = jrtnl.Dial(&netlink.Config{NetNS: int(ns)}); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		c.link.Close()
		c.addr.Close()
		c.route.Close()
		c.vish.Close()
		c.jsim.Close()
		ns.Close()
	})
	return &c
}

// The fields every library reports, to compare them by.
type (
	linkRow struct {
		Index int
		Name  string
		MTU   int
		Flags uint32
		MAC   string
	}
	addrRow struct {
		Index  int
		Prefix string
		Label  string
	}
	routeRow struct {
		Dst      string
		Oif      int
		Table    int
		Protocol int
		Scope    int
		Type     int
	}
)

func ynlLinks(ctx context.Context, c *rtnlClients) ([]*rtlink.LinkAttrs, error) {
	var out []*rtlink.LinkAttrs
	for l, err := range c.link.GetlinkDump(ctx, nil) {
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func ynlAddrs(ctx context.Context, c *rtnlClients) ([]*rtaddr.AddrAttrs, error) {
	var out []*rtaddr.AddrAttrs
	for a, err := range c.addr.GetaddrDump(ctx, &rtaddr.AddrAttrs{Ifaddrmsg: rtaddr.Ifaddrmsg{IfaFamily: unix.AF_INET}}) {
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ynlRoutes lists the main table's IPv4 routes; strict checking lets the
// kernel do the filtering.
func ynlRoutes(ctx context.Context, c *rtnlClients) ([]*rtroute.RouteAttrs, error) {
	var out []*rtroute.RouteAttrs
	req := &rtroute.RouteAttrs{Rtmsg: rtroute.Rtmsg{RtmFamily: unix.AF_INET, RtmTable: unix.RT_TABLE_MAIN}}
	for r, err := range c.route.GetrouteDump(ctx, req) {
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// jsimRoutes lists the main table's IPv4 routes: the library dumps every
// table, so it filters as its users must.
func jsimRoutes(c *rtnlClients) ([]jrtnl.RouteMessage, error) {
	all, err := c.jsim.Route.List()
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, r := range all {
		if r.Family == unix.AF_INET && r.Attributes.Table == unix.RT_TABLE_MAIN {
			out = append(out, r)
		}
	}
	return out, nil
}

func jsimAddrs(c *rtnlClients) ([]jrtnl.AddressMessage, error) {
	all, err := c.jsim.Address.List()
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if a.Family == unix.AF_INET {
			out = append(out, a)
		}
	}
	return out, nil
}

func prefix(ip net.IP, bits int) string {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return "?"
	}
	return netip.PrefixFrom(a.Unmap(), bits).String()
}

func sorted[T any](rows []T, key func(T) string) []T {
	slices.SortFunc(rows, func(a, b T) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	return rows
}

// TestRtnlListsAgree checks that the three libraries report the same
// links, addresses and main-table routes, field by field.
func TestRtnlListsAgree(t *testing.T) {
	c := dialRtnl(t)
	ctx := context.Background()

	yl, err := ynlLinks(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	vl, err := c.vish.LinkList()
	if err != nil {
		t.Fatal(err)
	}
	jl, err := c.jsim.Link.List()
	if err != nil {
		t.Fatal(err)
	}
	var ylr, vlr, jlr []linkRow
	for _, l := range yl {
		ylr = append(ylr, linkRow{int(l.Ifinfomsg.IfiIndex), l.Ifname.Value, int(l.MTU.Value), uint32(l.Ifinfomsg.IfiFlags), l.Address.String()})
	}
	for _, l := range vl {
		a := l.Attrs()
		vlr = append(vlr, linkRow{a.Index, a.Name, a.MTU, a.RawFlags, a.HardwareAddr.String()})
	}
	for _, l := range jl {
		jlr = append(jlr, linkRow{int(l.Index), l.Attributes.Name, int(l.Attributes.MTU), l.Flags, l.Attributes.Address.String()})
	}
	// vishvananda/netlink drops an all-zero address (lo's); so do the rest.
	for _, rows := range [][]linkRow{ylr, vlr, jlr} {
		for i := range rows {
			if rows[i].MAC == "00:00:00:00:00:00" {
				rows[i].MAC = ""
			}
		}
	}
	linkKey := func(r linkRow) string { return fmt.Sprintf("%08d", r.Index) }
	compare(t, "links", devices+1, sorted(ylr, linkKey), sorted(vlr, linkKey), sorted(jlr, linkKey))

	ya, err := ynlAddrs(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	va, err := c.vish.AddrList(nil, vnl.FAMILY_V4)
	if err != nil {
		t.Fatal(err)
	}
	ja, err := jsimAddrs(c)
	if err != nil {
		t.Fatal(err)
	}
	var yar, var_, jar []addrRow
	for _, a := range ya {
		yar = append(yar, addrRow{int(a.Ifaddrmsg.IfaIndex), netip.PrefixFrom(a.Local, int(a.Ifaddrmsg.IfaPrefixlen)).String(), a.Label.Value})
	}
	for _, a := range va {
		ones, _ := a.IPNet.Mask.Size()
		var_ = append(var_, addrRow{a.LinkIndex, prefix(a.IP, ones), a.Label})
	}
	for _, a := range ja {
		jar = append(jar, addrRow{int(a.Index), prefix(a.Attributes.Local, int(a.PrefixLength)), a.Attributes.Label})
	}
	addrKey := func(r addrRow) string { return fmt.Sprintf("%08d %s", r.Index, r.Prefix) }
	compare(t, "addresses", devices, sorted(yar, addrKey), sorted(var_, addrKey), sorted(jar, addrKey))

	yr, err := ynlRoutes(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	vr, err := c.vish.RouteList(nil, vnl.FAMILY_V4)
	if err != nil {
		t.Fatal(err)
	}
	jr, err := jsimRoutes(c)
	if err != nil {
		t.Fatal(err)
	}
	var yrr, vrr, jrr []routeRow
	for _, r := range yr {
		yrr = append(yrr, routeRow{netip.PrefixFrom(r.Dst, int(r.Rtmsg.RtmDstLen)).String(), int(r.Oif.Value), int(r.Table.Value),
			int(r.Rtmsg.RtmProtocol), int(r.Rtmsg.RtmScope), int(r.Rtmsg.RtmType)})
	}
	for _, r := range vr {
		ones, _ := r.Dst.Mask.Size()
		vrr = append(vrr, routeRow{prefix(r.Dst.IP, ones), r.LinkIndex, r.Table, int(r.Protocol), int(r.Scope), r.Type})
	}
	for _, r := range jr {
		jrr = append(jrr, routeRow{prefix(r.Attributes.Dst, int(r.DstLength)), int(r.Attributes.OutIface), int(r.Attributes.Table),
			int(r.Protocol), int(r.Scope), int(r.Type)})
	}
	routeKey := func(r routeRow) string { return r.Dst + fmt.Sprint(r.Oif) }
	compare(t, "routes", devices, sorted(yrr, routeKey), sorted(vrr, routeKey), sorted(jrr, routeKey))
}

// compare fails t unless the three libraries' rows are equal and as
// many as want.
func compare[T any](t *testing.T, what string, want int, ynl, vish, jsim []T) {
	t.Helper()
	if len(ynl) != want {
		t.Errorf("%s: ynl reports %d, want %d", what, len(ynl), want)
	}
	if d := cmp.Diff(ynl, vish); d != "" {
		t.Errorf("%s: ynl and vishvananda/netlink differ (-ynl +vishvananda):\n%s", what, d)
	}
	if d := cmp.Diff(ynl, jsim); d != "" {
		t.Errorf("%s: ynl and jsimonetti/rtnetlink differ (-ynl +jsimonetti):\n%s", what, d)
	}
}

// benchList runs one library's list op per iteration and checks the
// count.
func benchList(b *testing.B, want int, list func() (int, error)) {
	b.ReportAllocs()
	for b.Loop() {
		n, err := list()
		if err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("listed %d, want %d", n, want)
		}
	}
}

func BenchmarkRtnlLinks(b *testing.B) {
	c := dialRtnl(b)
	ctx := context.Background()
	b.Run("ynl", func(b *testing.B) {
		benchList(b, devices+1, func() (int, error) { l, err := ynlLinks(ctx, c); return len(l), err })
	})
	b.Run("vishvananda", func(b *testing.B) {
		benchList(b, devices+1, func() (int, error) { l, err := c.vish.LinkList(); return len(l), err })
	})
	b.Run("jsimonetti", func(b *testing.B) {
		benchList(b, devices+1, func() (int, error) { l, err := c.jsim.Link.List(); return len(l), err })
	})
}

func BenchmarkRtnlAddrs(b *testing.B) {
	c := dialRtnl(b)
	ctx := context.Background()
	b.Run("ynl", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := ynlAddrs(ctx, c); return len(l), err })
	})
	b.Run("vishvananda", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := c.vish.AddrList(nil, vnl.FAMILY_V4); return len(l), err })
	})
	b.Run("jsimonetti", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := jsimAddrs(c); return len(l), err })
	})
}

func BenchmarkRtnlRoutes(b *testing.B) {
	c := dialRtnl(b)
	ctx := context.Background()
	b.Run("ynl", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := ynlRoutes(ctx, c); return len(l), err })
	})
	b.Run("vishvananda", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := c.vish.RouteList(nil, vnl.FAMILY_V4); return len(l), err })
	})
	b.Run("jsimonetti", func(b *testing.B) {
		benchList(b, devices, func() (int, error) { l, err := jsimRoutes(c); return len(l), err })
	})
}
