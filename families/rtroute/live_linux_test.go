package rtroute

import (
	"context"
	"encoding/json"
	"net/netip"
	"slices"
	"strconv"
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

// routes dumps the IPv4 routes of table, as "dst/len" strings.
func routes(t *testing.T, c *Client, table uint8, tableAttr uint32) []string {
	var l []string
	req := &RouteAttrs{Rtmsg: Rtmsg{RtmFamily: unix.AF_INET, RtmTable: table}}
	if tableAttr != 0 {
		req.Table = genl.Some(tableAttr)
	}
	for r, err := range c.GetrouteDump(ctx(t), req) {
		if err != nil {
			t.Fatal(err)
		}
		l = append(l, netip.PrefixFrom(r.Dst, int(r.Rtmsg.RtmDstLen)).String())
	}
	slices.Sort(l)
	return l
}

// TestLiveRoutes adds routes to tables 100 and 1000 (which needs the
// table attribute: rtm_table is 8 bits), dumps each table filtered by the
// kernel (strict checking) and compares with ip -j route show table.
func TestLiveRoutes(t *testing.T) {
	ns := netnstest.New(t)
	ns.Veth(t, "va", "vb")
	ns.IP(t, "addr", "add", "10.1.0.1/24", "dev", "va")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var links []struct {
		Ifindex uint32 `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link", "show", "va")), &links); err != nil {
		t.Fatal(err)
	}
	add := func(dst string, table uint32) {
		p := netip.MustParsePrefix(dst)
		r := &RouteAttrs{
			Rtmsg: Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: uint8(p.Bits()), RtmTable: unix.RT_TABLE_UNSPEC,
				RtmProtocol: unix.RTPROT_STATIC, RtmScope: unix.RT_SCOPE_UNIVERSE, RtmType: RtmTypeUnicast},
			Dst: p.Addr(), Gateway: netip.MustParseAddr("10.1.0.254"), Oif: genl.Some(links[0].Ifindex), Table: genl.Some(table),
		}
		if err := c.Newroute(ctx(t), r, genl.Create, genl.Excl); err != nil {
			t.Fatalf("newroute %s table %d: %v", dst, table, err)
		}
	}
	add("192.0.2.0/24", 100)
	add("198.51.100.0/24", 100)
	add("203.0.113.0/24", 1000)
	for _, tc := range []struct {
		table uint8
		attr  uint32
		want  []string
	}{
		{100, 0, []string{"192.0.2.0/24", "198.51.100.0/24"}},
		{unix.RT_TABLE_UNSPEC, 1000, []string{"203.0.113.0/24"}},
	} {
		got := routes(t, c, tc.table, tc.attr)
		if !slices.Equal(got, tc.want) {
			t.Errorf("table %d/%d: %v, want %v", tc.table, tc.attr, got, tc.want)
		}
		table := tc.attr
		if table == 0 {
			table = uint32(tc.table)
		}
		var ip []struct {
			Dst string `json:"dst"`
		}
		if err := json.Unmarshal([]byte(ns.IP(t, "-j", "route", "show", "table", itoa(table))), &ip); err != nil {
			t.Fatal(err)
		}
		var ipl []string
		for _, r := range ip {
			ipl = append(ipl, r.Dst)
		}
		slices.Sort(ipl)
		if !slices.Equal(got, ipl) {
			t.Errorf("table %d: %v, ip says %v", table, got, ipl)
		}
	}
	// The main table holds the connected route only: the filter applied.
	if got := routes(t, c, unix.RT_TABLE_MAIN, 0); !slices.Equal(got, []string{"10.1.0.0/24"}) {
		t.Errorf("main table: %v", got)
	}
	r, err := c.Getroute(ctx(t), &RouteAttrs{Rtmsg: Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: 32}, Dst: netip.MustParseAddr("10.1.0.9")})
	if err != nil || r.Oif.Value != links[0].Ifindex {
		t.Errorf("getroute 10.1.0.9: %+v, %v; want via va", r, err)
	}
	if err := c.Delroute(ctx(t), &RouteAttrs{Rtmsg: Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: 24}, Dst: netip.MustParseAddr("203.0.113.0"), Table: genl.Some[uint32](1000)}); err != nil {
		t.Fatal(err)
	}
	if got := routes(t, c, 0, 1000); len(got) != 0 {
		t.Errorf("table 1000 after delroute: %v", got)
	}
}

func itoa(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
