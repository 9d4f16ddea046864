package ethtool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// live returns a client inside a fresh network namespace holding the veth
// pairs va0<->vb0 and va1<->vb1, two queues each way. It skips t when the
// namespace or the ethtool command can't be had.
func live(t *testing.T) (*Client, *netnstest.NS) {
	t.Helper()
	ns := netnstest.New(t)
	netnstest.Require(t, "ethtool")
	ns.Veth(t, "va0", "vb0", "numrxqueues", "2", "numtxqueues", "2")
	ns.Veth(t, "va1", "vb1")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ns
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func dev(name string) *Header { return &Header{DevName: genl.Some(name)} }

// ifindexes lists the namespace's interfaces by name, from `ip -j link`.
func ifindexes(t *testing.T, ns *netnstest.NS) map[string]uint32 {
	var links []struct {
		Ifindex uint32 `json:"ifindex"`
		Ifname  string `json:"ifname"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "link")), &links); err != nil {
		t.Fatal(err)
	}
	m := make(map[string]uint32)
	for _, l := range links {
		m[l.Ifname] = l.Ifindex
	}
	return m
}

func TestLiveLinkinfo(t *testing.T) {
	c, ns := live(t)
	idx := ifindexes(t, ns)
	rep, err := c.LinkinfoGet(ctx(t), &Linkinfo{Header: dev("va0")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Header == nil || rep.Header.DevName.Value != "va0" || rep.Header.DevIndex.Value != idx["va0"] {
		t.Errorf("reply header %+v, want va0 with ifindex %d", rep.Header, idx["va0"])
	}
	// veth reports a twisted-pair port with an internal transceiver.
	out := ns.Exec(t, "ethtool", "va0")
	if !rep.Port.Valid || rep.Port.Value != PortTp || !strings.Contains(out, "Port: Twisted Pair") {
		t.Errorf("port %v, want %d (Twisted Pair); ethtool says:\n%s", rep.Port, PortTp, out)
	}

	// A nil request: the generated dump sends an empty header (ynlgen's
	// -dump-nest header), so every kernel lists the same devices as with
	// one, as ethtool(8)'s dumps do.
	seen := map[string]uint32{}
	for m, err := range c.LinkinfoGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatalf("dump without a request on %s: %v", livetest.Release(), err)
		}
		seen[m.Header.DevName.Value] = m.Header.DevIndex.Value
	}
	for _, v := range []string{"va0", "vb0", "va1", "vb1"} {
		if seen[v] == 0 || seen[v] != idx[v] {
			t.Errorf("dump: %s has ifindex %d, ip link says %d", v, seen[v], idx[v])
		}
	}
	for name, i := range seen {
		if idx[name] != i {
			t.Errorf("dump lists %s (ifindex %d), which ip link does not show", name, i)
		}
	}
	// A request without a header gets one too, on a copy: the caller's
	// request is left as it was.
	req := &Linkinfo{}
	n := 0
	for _, err := range c.LinkinfoGetDump(ctx(t), req) {
		if err != nil {
			t.Fatalf("dump of a header-less request on %s: %v", livetest.Release(), err)
		}
		n++
	}
	if n != len(seen) || req.Header != nil {
		t.Errorf("header-less request: %d devices (want %d), request header now %+v (want nil)", n, len(seen), req.Header)
	}

	// Why: a dump with no header at all, sent through genl.Conn. 6.12 and
	// later list the same devices; Debian's 6.1 refuses it with a bare
	// EINVAL (no extended ACK).
	gc, err := genl.Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	var bare int
	var bareErr error
	for _, err := range gc.Dump(ctx(t), &genl.Request{Family: FamilyName, Command: uint8(CmdLinkinfoGet), OpName: "linkinfo-get", Names: linkinfoTable}) {
		if err != nil {
			bareErr = err
			break
		}
		bare++
	}
	switch {
	case livetest.AtLeast(6, 12):
		if bareErr != nil || bare != len(seen) {
			t.Errorf("header-less dump on %s: %d devices (want %d), %v", livetest.Release(), bare, len(seen), bareErr)
		}
	case !errors.Is(bareErr, unix.EINVAL):
		t.Errorf("header-less dump on %s: %v, want EINVAL (listed %d)", livetest.Release(), bareErr, bare)
	}
}

func TestLiveLinkmodesAndState(t *testing.T) {
	c, ns := live(t)
	lm, err := c.LinkmodesGet(ctx(t), &Linkmodes{Header: dev("va0")})
	if err != nil {
		t.Fatal(err)
	}
	out := ns.Exec(t, "ethtool", "va0")
	speed := "Speed: " + strconv.FormatUint(uint64(lm.Speed.Value), 10) + "Mb/s"
	if !lm.Speed.Valid || !strings.Contains(out, speed) || lm.Duplex.Value != DuplexFull || !strings.Contains(out, "Duplex: Full") ||
		lm.Autoneg.Value != AutonegDisable || !strings.Contains(out, "Auto-negotiation: off") {
		t.Errorf("speed %v duplex %v autoneg %v; ethtool says:\n%s", lm.Speed, lm.Duplex, lm.Autoneg, out)
	}
	ls, err := c.LinkSettings(ctx(t), dev("va0"))
	if err != nil {
		t.Fatal(err)
	}
	if ls.Name != "va0" || ls.Speed != lm.Speed.Value || ls.Duplex != DuplexFull || ls.Autoneg != AutonegDisable || ls.Port != PortTp || !strings.Contains(out, "Port: Twisted Pair") {
		t.Errorf("LinkSettings %+v; ethtool says:\n%s", ls, out)
	}
	modes, err := c.StringSet(ctx(t), nil, StringsetLinkModes)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := lm.Ours.Names(modes)
	if err != nil {
		t.Fatal(err)
	}
	if (len(ours) == 0) != strings.Contains(out, "Advertised link modes:  Not reported") {
		t.Errorf("advertised modes %q; ethtool says:\n%s", ours, out)
	}

	for _, want := range []uint8{1, 0} {
		ls, err := c.LinkstateGet(ctx(t), &Linkstate{Header: dev("va0")})
		if err != nil {
			t.Fatal(err)
		}
		detected := map[uint8]string{1: "Link detected: yes", 0: "Link detected: no"}[want]
		if out := ns.Exec(t, "ethtool", "va0"); ls.Link != genl.Some(want) || !strings.Contains(out, detected) {
			t.Errorf("link %v, want %d; ethtool says:\n%s", ls.Link, want, out)
		}
		ns.IP(t, "link", "set", "vb0", "down") // va0 loses its carrier
	}
}

func TestLiveStrset(t *testing.T) {
	c, ns := live(t)
	modes, err := c.StringSet(ctx(t), nil, StringsetLinkModes)
	if err != nil {
		t.Fatal(err)
	}
	// ETHTOOL_LINK_MODE_10baseT_Half_BIT and ETHTOOL_LINK_MODE_10000baseT_Full_BIT.
	if len(modes) < 13 || modes[0] != "10baseT/Half" || modes[12] != "10000baseT/Full" {
		t.Errorf("link modes %q: want 10baseT/Half at 0 and 10000baseT/Full at 12", modes[:min(len(modes), 13)])
	}
	// The hand-written string set ids fetch the sets they are named for.
	for id, member := range map[Stringset]string{
		StringsetRSSHashFuncs: "toeplitz", StringsetTunables: "rx-copybreak",
		StringsetPHYTunables: "phy-downshift", StringsetMsgClasses: "drv",
		StringsetWolModes: "magic", StringsetSofTimestamping: "hardware-transmit",
		StringsetTsTXTypes: "onestep-sync", StringsetTsRXFilters: "ptpv2-event",
		StringsetUDPTunnelTypes: "vxlan", StringsetStatsEthPHY: "SymbolErrorDuringCarrier",
		StringsetStatsEthMAC: "FramesTransmittedOK", StringsetStatsEthCtrl: "MACControlFramesTransmitted",
		StringsetStatsRmon: "etherStatsUndersizePkts",
	} {
		if set, err := c.StringSet(ctx(t), nil, id); err != nil || !slices.Contains(set, member) {
			t.Errorf("string set %d lacks %q: %q, %v", id, member, set, err)
		}
	}
	feats, err := c.StringSet(ctx(t), nil, StringsetFeatures)
	if err != nil {
		t.Fatal(err)
	}
	// Every feature ethtool -k shows is in the set, except ethtool's own
	// names for groups of features.
	have := map[string]bool{}
	for _, f := range feats {
		have[f] = true
	}
	for name := range ethtoolK(t, ns, "va0") {
		if !have[name] && !legacyFeature[name] {
			t.Errorf("ethtool -k shows %q, which the features string set lacks", name)
		}
	}

	// A dump walks the devices and gives their own sets: veth has driver
	// statistics, as many as ethtool -S shows.
	stats := map[string]uint32{}
	for m, err := range c.StrsetGetDump(ctx(t), &Strset{Header: &Header{}, CountsOnly: true}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range m.Stringsets.Stringset {
			if s.ID.Value == uint32(StringsetStats) {
				stats[m.Header.DevName.Value] = s.Count.Value
			}
		}
	}
	lines := strings.Count(ns.Exec(t, "ethtool", "-S", "va0"), "\n") - 1 // less the title
	t.Logf("statistics counts %v, ethtool -S va0 lines %d", stats, lines)
	if len(stats) != 4 || stats["va0"] != uint32(lines) {
		t.Errorf("strset dump stats counts %v; ethtool -S va0 shows %d", stats, lines)
	}
	names, err := c.StringSet(ctx(t), dev("va0"), StringsetStats)
	if err != nil || len(names) != lines || !slices.Contains(names, "peer_ifindex") {
		t.Errorf("va0 statistics %q, %v; want %d names with peer_ifindex", names, err, lines)
	}
}

// legacyFeature lists the names ethtool -k prints for groups of kernel
// features (its off_flag_def table), which are not in the string set.
var legacyFeature = map[string]bool{
	"rx-checksumming": true, "tx-checksumming": true, "scatter-gather": true,
	"tcp-segmentation-offload": true, "generic-segmentation-offload": true,
	"generic-receive-offload": true, "large-receive-offload": true,
	"rx-vlan-offload": true, "tx-vlan-offload": true, "ntuple-filters": true,
	"receive-hashing": true,
}

// ethtoolK returns the features `ethtool -k dev` shows, on or off.
func ethtoolK(t *testing.T, ns *netnstest.NS, dev string) map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(ns.Exec(t, "ethtool", "-k", dev), "\n") {
		name, val, ok := strings.Cut(strings.TrimSpace(line), ": ")
		if !ok {
			continue
		}
		m[name] = strings.HasPrefix(val, "on")
	}
	return m
}

const toggled = "tx-nocache-copy" // off by default on veth, and not fixed

func TestLiveFeatures(t *testing.T) {
	c, ns := live(t)
	feats, err := c.StringSet(ctx(t), nil, StringsetFeatures)
	if err != nil {
		t.Fatal(err)
	}
	active := func() map[string]bool {
		t.Helper()
		f, err := c.FeaturesGet(ctx(t), &Features{Header: dev("va0")})
		if err != nil {
			t.Fatal(err)
		}
		on, err := f.Active.Names(nil) // verbose: the kernel names the bits
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]bool{}
		for _, n := range on {
			m[n] = true
		}
		return m
	}
	before := active()
	k := ethtoolK(t, ns, "va0")
	for _, name := range feats {
		if v, shown := k[name]; shown && v != before[name] {
			t.Errorf("feature %s: ethtool -k says %v, features-get %v", name, v, before[name])
		}
	}

	// The compact form names the same bits through the string set.
	cf, err := c.FeaturesGet(ctx(t), &Features{Header: &Header{DevName: genl.Some("va0"), Flags: genl.Some(HeaderFlagsCompactBitsets)}})
	if err != nil {
		t.Fatal(err)
	}
	if cf.Active == nil || cf.Active.Bits != nil || cf.Active.Value == nil {
		t.Fatalf("compact features-get active = %+v, want value words", cf.Active)
	}
	compact, err := cf.Active.Names(feats)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(maps.Keys(before)); !slices.Equal(slices.Sorted(slices.Values(compact)), got) {
		t.Errorf("compact active features %q, verbose %q", compact, got)
	}

	want := !before[toggled]
	rep, err := c.FeaturesSet(ctx(t), &Features{Header: dev("va0"), Wanted: BitsetFromNames(map[string]bool{toggled: want})})
	if err != nil {
		t.Fatal(err)
	}
	if rep == nil || rep.Header == nil || rep.Header.DevName.Value != "va0" {
		t.Errorf("features-set reply %+v, want one for va0", rep)
	}
	if after := active(); after[toggled] != want {
		t.Errorf("after features-set, %s is %v, want %v", toggled, after[toggled], want)
	}
	if k := ethtoolK(t, ns, "va0"); k[toggled] != want {
		t.Errorf("after features-set, ethtool -k says %s is %v, want %v", toggled, k[toggled], want)
	}
}

// ethtoolL returns ethtool -l's "maximums" and "current" numbers by row
// (RX, TX, Other, Combined); n/a rows are absent.
func ethtoolL(t *testing.T, ns *netnstest.NS, dev string) (maxes, cur map[string]uint32) {
	maxes, cur = map[string]uint32{}, map[string]uint32{}
	m := maxes
	for _, line := range strings.Split(ns.Exec(t, "ethtool", "-l", dev), "\n") {
		if strings.HasPrefix(line, "Current hardware settings") {
			m = cur
		}
		k, v, ok := strings.Cut(line, ":")
		if n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 32); ok && err == nil {
			m[k] = uint32(n)
		}
	}
	return maxes, cur
}

// channelRows maps a channels reply to ethtool -l's rows.
func channelRows(ch *Channels) (maxes, cur map[string]uint32) {
	maxes, cur = map[string]uint32{}, map[string]uint32{}
	for _, r := range []struct {
		row      string
		max, cnt genl.Opt[uint32]
	}{
		{"RX", ch.RXMax, ch.RXCount}, {"TX", ch.TXMax, ch.TXCount},
		{"Other", ch.OtherMax, ch.OtherCount}, {"Combined", ch.CombinedMax, ch.CombinedCount},
	} {
		if r.max.Value > 0 {
			maxes[r.row], cur[r.row] = r.max.Value, r.cnt.Value
		}
	}
	return maxes, cur
}

func TestLiveChannels(t *testing.T) {
	c, ns := live(t)
	get := func() *Channels {
		t.Helper()
		ch, err := c.ChannelsGet(ctx(t), &Channels{Header: dev("va0")})
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	compare := func(ch *Channels) {
		t.Helper()
		gm, gc := channelRows(ch)
		em, ec := ethtoolL(t, ns, "va0")
		if !maps.Equal(gm, em) || !maps.Equal(gc, ec) {
			t.Errorf("channels-get max %v cur %v; ethtool -l max %v cur %v", gm, gc, em, ec)
		}
	}
	ch := get()
	compare(ch)
	if ch.RXMax.Value != 2 || ch.TXMax.Value != 2 {
		t.Fatalf("veth with 2 queues reports rx-max %v tx-max %v", ch.RXMax, ch.TXMax)
	}
	rx := 3 - ch.RXCount.Value // 1 <-> 2
	if err := c.ChannelsSet(ctx(t), &Channels{Header: dev("va0"), RXCount: genl.Some(rx)}); err != nil {
		t.Fatal(err)
	}
	ch = get()
	if ch.RXCount.Value != rx {
		t.Errorf("after channels-set rx %d, channels-get says %v", rx, ch.RXCount)
	}
	compare(ch)
}

func TestLiveMonitor(t *testing.T) {
	c, _ := live(t)
	feats, err := c.StringSet(ctx(t), nil, StringsetFeatures)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := c.FeaturesSet(ctx(t), &Features{Header: dev("va1"), Wanted: BitsetFromNames(map[string]bool{toggled: true})}); err != nil {
		t.Fatal(err)
	}
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		f, ok := n.Msg.(*Features)
		if n.Cmd != CmdFeaturesNtf || !ok {
			continue // another notification (the veths settling)
		}
		if f.Header == nil || f.Header.DevName.Value != "va1" {
			t.Errorf("features-ntf for %+v, want va1", f.Header)
		}
		// Notifications carry compact bitsets: the string set names the bits.
		if on, err := f.Active.Has(feats, toggled); !on || err != nil {
			t.Errorf("features-ntf: %s active = %v (%v), want on", toggled, on, err)
		}
		return
	}
	t.Fatal("no features-ntf before the deadline")
}

func TestLiveUnknownDevice(t *testing.T) {
	c, _ := live(t)
	_, err := c.LinkinfoGet(ctx(t), &Linkinfo{Header: dev("ynl-nosuchdev")})
	if !errors.Is(err, unix.ENODEV) {
		t.Fatalf("linkinfo-get of a missing device: %v, want ENODEV", err)
	}
	t.Logf("error: %v", err)
	var ge *genl.Error
	if !errors.As(err, &ge) || ge.AttrPath != ".header.dev-name" || !strings.Contains(err.Error(), ".header.dev-name") {
		t.Errorf("error %q (path %q), want it to name .header.dev-name", err, ge.AttrPath)
	}
	if ge.Op != "linkinfo-get" || ge.Message == "" {
		t.Errorf("error op %q message %q, want linkinfo-get and the kernel's message", ge.Op, ge.Message)
	}
}

// TestLiveDumpReuseValues: the kernel's linkinfo, linkmodes and features
// dumps (compact and verbose bitsets) read the same with
// genl.ReuseValues as without, message by message.
func TestLiveDumpReuseValues(t *testing.T) {
	c, _ := live(t)
	compact := &Header{Flags: genl.Some(HeaderFlagsCompactBitsets)}
	check := func(name string, fresh, reused []string, same bool) {
		t.Helper()
		if len(fresh) < 4 {
			t.Errorf("%s: %d devices, want at least the namespace's 4 veths", name, len(fresh))
		}
		if !same {
			t.Errorf("%s: the reused dump yielded more than one value", name)
		}
		if diff := cmp.Diff(fresh, reused); diff != "" {
			t.Errorf("%s with ReuseValues (-fresh +reused):\n%s", name, diff)
		}
	}
	// read returns each yielded value as JSON, and whether they were all
	// the same value.
	read := func(seq func(yield func(any, error) bool)) (texts []string, same bool) {
		same = true
		var first any
		for v, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = v
			}
			same = same && v == first
			j, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(j))
		}
		return texts, same
	}
	anyOf := func(seq func(yield func(*Linkinfo, error) bool)) func(func(any, error) bool) {
		return func(yield func(any, error) bool) {
			seq(func(v *Linkinfo, err error) bool { return yield(v, err) })
		}
	}
	fresh, _ := read(anyOf(c.LinkinfoGetDump(ctx(t), &Linkinfo{Header: &Header{}})))
	reused, same := read(anyOf(c.LinkinfoGetDump(ctx(t), &Linkinfo{Header: &Header{}}, genl.ReuseValues)))
	check("linkinfo", fresh, reused, same)

	lm := func(opts ...genl.DumpOption) func(func(any, error) bool) {
		return func(yield func(any, error) bool) {
			c.LinkmodesGetDump(ctx(t), &Linkmodes{Header: compact}, opts...)(func(v *Linkmodes, err error) bool { return yield(v, err) })
		}
	}
	fresh, _ = read(lm())
	reused, same = read(lm(genl.ReuseValues))
	check("linkmodes", fresh, reused, same)

	for _, hdr := range []*Header{compact, {}} {
		ft := func(opts ...genl.DumpOption) func(func(any, error) bool) {
			return func(yield func(any, error) bool) {
				c.FeaturesGetDump(ctx(t), &Features{Header: hdr}, opts...)(func(v *Features, err error) bool { return yield(v, err) })
			}
		}
		fresh, _ = read(ft())
		reused, same = read(ft(genl.ReuseValues))
		check(fmt.Sprintf("features (header flags %d)", hdr.Flags.Value), fresh, reused, same)
	}
}
