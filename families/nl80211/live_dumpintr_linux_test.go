//go:build linux

package nl80211

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

// Information elements of a Multiple BSSID set (IEEE 802.11-2020 9.4.2.45,
// include/linux/ieee80211.h's WLAN_EID_MULTIPLE_BSSID, _NON_TX_BSSID_CAP,
// _MULTI_BSSID_IDX).
const (
	elemMultipleBSSID    uint8 = 71
	elemNonTxBSSIDCap    uint8 = 83
	elemMultiBSSIDIndex  uint8 = 85
	mbssidMaxIndicator         = 6 // 2^6 BSSIDs in the set
	mbssidNontransmitted       = 46
)

// mbssidElements returns Multiple BSSID elements describing n
// nontransmitted BSSes, indices 1 to n, each with an SSID of its own.
// cfg80211 makes a BSS of each profile it finds in a received beacon.
func mbssidElements(n int) (Elements, error) {
	var out, body []byte
	flush := func() error {
		var err error
		out, err = AppendElement(out, elemMultipleBSSID, append([]byte{mbssidMaxIndicator}, body...))
		body = nil
		return err
	}
	for i := 1; i <= n; i++ {
		p, _ := AppendElement(nil, elemNonTxBSSIDCap, []byte{byte(CapESS), byte(CapESS >> 8)})
		p, _ = AppendElement(p, ElemSSID, fmt.Appendf(nil, "ynl-bss-%02d", i))
		p, _ = AppendElement(p, elemMultiBSSIDIndex, []byte{byte(i), 2, 0}) // index, DTIM period, count
		profile, err := AppendElement(nil, 0, p)                            // subelement 0: a nontransmitted BSSID profile
		if err != nil {
			return nil, err
		}
		if 1+len(body)+len(profile) > 255 {
			if err := flush(); err != nil {
				return nil, err
			}
		}
		body = append(body, profile...)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return out, Elements(out).Validate()
}

// startMBSSIDAP adds an access point interface to wlan1's radio whose
// beacon announces a Multiple BSSID set of n nontransmitted BSSes, so
// that every beacon wlan0's radio hears adds or refreshes n+1 entries of
// its BSS list, each refresh a new BSS generation. It returns the
// interface and a function stopping its beacon.
func (l *live) startMBSSIDAP(n int) (*Attrs, func()) {
	t := l.t
	t.Helper()
	mac := net.HardwareAddr{0x02, 'y', 'n', 'l', 0x40, 0x00} // low 6 bits 0: the set's BSSIDs end 01 to 2e
	ap, err := l.c.NewInterface(l.ctx, &Attrs{Wiphy: l.w1.Wiphy, Ifname: genl.Some("ynlap0"), Iftype: genl.Some(IftypeAp), MAC: mac})
	if err != nil {
		t.Fatalf("new-interface ap: %v", err)
	}
	t.Cleanup(func() {
		if err := l.c.DelInterface(l.ctx, &Attrs{Ifindex: ap.Ifindex}); err != nil {
			t.Errorf("del-interface ynlap0: %v", err)
		}
	})
	l.ip("link", "set", "ynlap0", "up")
	extra, err := mbssidElements(n)
	if err != nil {
		t.Fatal(err)
	}
	bc := &Beacon{BSSID: mac, SSID: "ynl-mbssid", Channel: 1, Interval: 100, Extra: extra}
	head, err := bc.Head()
	if err != nil {
		t.Fatal(err)
	}
	tail, err := bc.Tail()
	if err != nil {
		t.Fatal(err)
	}
	err = l.c.StartAp(l.ctx, &Attrs{
		Ifindex: ap.Ifindex, BeaconHead: head, BeaconTail: tail,
		BeaconInterval: genl.Some(uint32(100)), DtimPeriod: genl.Some(uint32(2)),
		Ssid: []byte(bc.SSID), HiddenSsid: genl.Some(uint32(0)), AuthType: genl.Some(AuthTypeOpenSystem),
		WiphyFreq: genl.Some(uint32(2412)), WiphyChannelType: genl.Some(ChannelTypeNoHt),
	})
	if err != nil {
		t.Fatalf("start-ap with %d bytes of Multiple BSSID elements: %v", len(extra), err)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		if err := l.c.StopAp(l.ctx, &Attrs{Ifindex: ap.Ifindex}); err != nil {
			t.Errorf("stop-ap ynlap0: %v", err)
		}
	}
	t.Cleanup(stop)
	return ap, stop
}

// scanDump is what one get-scan dump brought back.
type scanDump struct {
	bsses       int      // messages with a BSS
	set         int      // of which in the Multiple BSSID set or its transmitter
	generations []uint32 // the generation attribute of each message, in order
	datagrams   int32
	err         error // the dump's error; nil, or the last thing it yielded
	errAt       int   // messages before it
	afterErr    int   // anything yielded after it (a bug)
}

// dumpScan dumps wlan0's scan results on c, whose datagrams count
// counts, pausing for pause after the first message: the kernel fills
// the next datagram only when the one before it is read, so the pause
// lets beacons change the BSS list between the parts of the dump.
func (l *live) dumpScan(c *Client, count *atomic.Int32, pause time.Duration) scanDump {
	var d scanDump
	before := count.Load()
	n := 0
	for m, err := range c.GetScanDump(l.ctx, &Attrs{Ifindex: l.w0.Ifindex}) {
		if d.err != nil {
			d.afterErr++
			continue
		}
		if err != nil {
			d.err, d.errAt = err, n
			continue
		}
		n++
		if n == 1 && pause > 0 {
			time.Sleep(pause)
		}
		d.generations = append(d.generations, m.Generation.Value)
		if m.Bss == nil {
			continue
		}
		d.bsses++
		if b := m.Bss.Bssid; len(b) == 6 && b[0] == 0x02 && b[1] == 'y' && b[2] == 'n' && b[3] == 'l' {
			d.set++
		}
	}
	d.datagrams = count.Load() - before
	return d
}

// TestLiveScanDumpInterrupted proves NLM_F_DUMP_INTR on a real kernel:
// nl80211's get-scan dump stamps its parts with the radio's BSS
// generation (nl80211_dump_scan sets cb->seq to rdev->bss_generation),
// and every beacon heard during a scan changes it. A Multiple BSSID
// beacon fills wlan0's BSS list with 47 entries, a small receive buffer
// splits the dump into several datagrams, and a reader that pauses after
// the first message (as a slow consumer does) lets the list change
// between them. The dump must yield all its data, then
// ErrDumpInterrupted; with the beacon stopped, the same dump must come
// back whole.
func TestLiveScanDumpInterrupted(t *testing.T) {
	l := newLive(t)
	_, stopAP := l.startMBSSIDAP(mbssidNontransmitted)
	l.ip("link", "set", "wlan0", "up")

	var count atomic.Int32
	dc, err := Dial(l.ctx, &genl.DialOptions{ReceiveSize: 4000, OnReceive: func([]byte) { count.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	// Resolve nl80211 on it first, so the datagrams counted are the dump's.
	if _, err := dc.Conn().Family(l.ctx, FamilyName); err != nil {
		t.Fatal(err)
	}

	// A first scan fills the list: the transmitter and its set.
	if _, err := l.c.Scan(l.ctx, &Attrs{Ifindex: l.w0.Ifindex, ScanFrequencies: []uint32{2412}}); err != nil {
		t.Fatalf("scan: %v", err)
	}
	if full := l.dumpScan(dc, &count, 0); full.set < mbssidNontransmitted+1 {
		t.Fatalf("after a scan, %d BSSes of the Multiple BSSID set of %d (dump error %v): cfg80211 did not read the beacon's set",
			full.set, mbssidNontransmitted+1, full.err)
	}

	const maxAttempts = 10
	const pause = 250 * time.Millisecond // over two beacon intervals, longer than a passive scan's dwell
	var got scanDump
	attempt := 0
	for attempt = 1; attempt <= maxAttempts; attempt++ {
		// A passive scan of channel 1 (no SSIDs): it listens for
		// beacons, each of which updates the BSS list.
		if err := l.c.TriggerScan(l.ctx, &Attrs{Ifindex: l.w0.Ifindex, ScanFrequencies: []uint32{2412}}); err != nil {
			t.Fatalf("attempt %d: trigger-scan: %v", attempt, err)
		}
		l.wait(CmdTriggerScanNtf, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
		got = l.dumpScan(dc, &count, pause)
		l.waitScanEnd()
		t.Logf("attempt %d: %d BSSes (%d of the set) in %d datagrams, generations %v, error %v",
			attempt, got.bsses, got.set, got.datagrams, compactGenerations(got.generations), got.err)
		if got.afterErr > 0 {
			t.Fatalf("attempt %d: %d results after the dump's error %v: the error must come last", attempt, got.afterErr, got.err)
		}
		if got.err != nil && !errors.Is(got.err, genl.ErrDumpInterrupted) {
			t.Fatalf("attempt %d: get-scan: %v", attempt, got.err)
		}
		if got.err != nil {
			break
		}
	}
	if got.err == nil {
		t.Fatalf("no interrupted get-scan dump in %d attempts (last: %d BSSes in %d datagrams)", maxAttempts, got.bsses, got.datagrams)
	}
	t.Logf("get-scan came back interrupted on attempt %d: %v", attempt, got.err)
	if got.errAt != len(got.generations) || got.errAt == 0 {
		t.Errorf("ErrDumpInterrupted after %d of %d messages: want it after all the data", got.errAt, len(got.generations))
	}
	if got.set < mbssidNontransmitted+1 || got.datagrams < 3 {
		t.Errorf("interrupted dump: %d BSSes of the Multiple BSSID set in %d datagrams: want all %d, in 3 or more datagrams",
			got.set, got.datagrams, mbssidNontransmitted+1)
	}
	g := got.generations
	for i := 1; i < len(g); i++ {
		if g[i] < g[i-1] {
			t.Errorf("generation went back from %d to %d at message %d", g[i-1], g[i], i)
		}
	}
	if g[0] == g[len(g)-1] {
		// Possible only when the change fell between the last part and
		// the done message, which a 47-entry dump of small datagrams
		// makes unlikely: say so rather than pass silently.
		t.Logf("all messages carry generation %d: the change came before the done message", g[0])
	}

	// The control: no beacon, no scan, the same slow reader. The BSS list
	// keeps its entries (they expire after 30 s) and its generation.
	stopAP()
	time.Sleep(300 * time.Millisecond) // let a beacon already on the air land
	ctl := l.dumpScan(dc, &count, pause)
	if ctl.err != nil || ctl.afterErr > 0 {
		t.Errorf("get-scan with the beacon stopped: %v: want a whole dump", ctl.err)
	}
	if ctl.set < mbssidNontransmitted+1 || ctl.datagrams < 3 {
		t.Errorf("control dump: %d BSSes of the set in %d datagrams, want %d in 3 or more", ctl.set, ctl.datagrams, mbssidNontransmitted+1)
	}
	if cg := compactGenerations(ctl.generations); len(cg) != 1 {
		t.Errorf("control dump generations %v: want one", cg)
	}
}

// waitScanEnd waits for wlan0's scan to end, with results or aborted.
func (l *live) waitScanEnd() {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	for {
		n, err := l.sub.Receive(ctx)
		if err != nil {
			l.t.Fatalf("waiting for the scan's end: %v (seen %v)", err, l.seen)
		}
		l.seen[n.Cmd]++
		if m, _ := n.Msg.(*Attrs); m != nil && m.Ifindex == l.w0.Ifindex && (n.Cmd == CmdNewScanResults || n.Cmd == CmdScanAborted) {
			return
		}
	}
}

// compactGenerations returns the distinct values of g, in order.
func compactGenerations(g []uint32) []uint32 {
	var out []uint32
	for _, v := range g {
		if len(out) == 0 || out[len(out)-1] != v {
			out = append(out, v)
		}
	}
	return out
}
