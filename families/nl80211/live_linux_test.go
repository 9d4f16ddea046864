//go:build linux

package nl80211

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

// The live tests need radios: they run in the VM lab (go run
// ./internal/vmlab ./families/nl80211/...), whose guest loads
// mac80211_hwsim with two radios (wlan0 and wlan1) and sets YNL_VMLAB=1.
// The guest is disposable, so the tests change its global state freely,
// in order: later tests see what earlier ones left.

// live holds what every live test needs.
type live struct {
	t      *testing.T
	ctx    context.Context
	c      *Client
	sub    *Subscription
	w0, w1 *Attrs
	seen   map[ReplyCmd]int
}

func newLive(t *testing.T) *live {
	t.Helper()
	if os.Getenv("YNL_VMLAB") != "1" {
		t.Skip("needs mac80211_hwsim radios: run it in the VM lab (go run ./internal/vmlab ./families/nl80211/...)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	c, err := Dial(ctx, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	sub, err := c.Subscribe(ctx, GroupConfig, GroupScan, GroupMlme, GroupRegulatory)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	t.Cleanup(func() { sub.Close() })
	l := &live{t: t, ctx: ctx, c: c, sub: sub, seen: map[ReplyCmd]int{}}
	ifs := l.interfaces()
	l.w0, l.w1 = ifs["wlan0"], ifs["wlan1"]
	if l.w0 == nil || l.w1 == nil {
		t.Fatalf("want wlan0 and wlan1, got %v", ifs)
	}
	for _, w := range []*Attrs{l.w0, l.w1} {
		if !w.Ifindex.Valid || !w.Wiphy.Valid || len(w.MAC) != 6 {
			t.Fatalf("interface %s: ifindex %v wiphy %v mac %v: want all", w.Ifname.Value, w.Ifindex, w.Wiphy, w.MAC)
		}
	}
	return l
}

func (l *live) interfaces() map[string]*Attrs {
	l.t.Helper()
	out := map[string]*Attrs{}
	for m, err := range l.c.GetInterfaceDump(l.ctx, nil) {
		if err != nil {
			l.t.Fatalf("get-interface dump: %v", err)
		}
		out[m.Ifname.Value] = m
	}
	return out
}

// wait receives notifications until one of cmd arrives that match
// accepts (nil accepts any), and returns it.
func (l *live) wait(cmd ReplyCmd, match func(*Attrs) bool) *Attrs {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	for {
		n, err := l.sub.Receive(ctx)
		if err != nil {
			l.t.Fatalf("waiting for %v: %v (seen %v)", cmd, err, l.seen)
		}
		l.seen[n.Cmd]++
		m, _ := n.Msg.(*Attrs)
		if n.Cmd == cmd && m != nil && (match == nil || match(m)) {
			return m
		}
	}
}

func (l *live) ip(args ...string) {
	l.t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		l.t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func TestLiveResolve(t *testing.T) {
	l := newLive(t)
	fam, err := l.c.Conn().Family(l.ctx, FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []Group{GroupConfig, GroupScan, GroupRegulatory, GroupMlme, GroupVendor} {
		if _, ok := fam.Group(string(g)); !ok {
			t.Errorf("nl80211 has no group %s (groups %+v)", g, fam.Groups)
		}
	}
	for _, cmd := range []Cmd{CmdGetWiphy, CmdNewStation, CmdRegisterFrame, CmdFrame, CmdConnect, CmdStartAp} {
		if _, ok := fam.Op(uint8(cmd)); !ok {
			t.Errorf("nl80211 does not list op %v", cmd)
		}
	}
}

// unknownAttrs walks attributes b of the space t, and the nests the
// spec types, and returns the path of every attribute the spec does not
// name, and the walker's error.
func unknownAttrs(b []byte, t *genl.NameTable, path string) ([]string, error) {
	var out []string
	w := genl.NewWalker(b, t.Names)
	for w.Next() {
		typ := w.Type()
		name, nested := t.AttrName(typ)
		if name == "" {
			out = append(out, fmt.Sprintf("%s.%d", path, typ))
			continue
		}
		if nt, ok := nested.(*genl.NameTable); ok && nt != nil && w.Nested() {
			sub, err := unknownAttrs(w.Data(), nt, path+"."+name)
			if err != nil {
				return out, err
			}
			out = append(out, sub...)
		}
	}
	return out, w.Err()
}

// TestLiveWiphyDump dumps both radios split and checks that every part
// decodes: bands with frequencies, supported commands, interface modes,
// and no attribute the spec does not know.
func TestLiveWiphyDump(t *testing.T) {
	l := newLive(t)
	phys, err := l.c.Wiphys(l.ctx)
	if err != nil {
		t.Fatalf("split get-wiphy dump: %v", err)
	}
	if len(phys) != 2 {
		t.Fatalf("%d wiphys, want the 2 hwsim radios", len(phys))
	}
	for _, w := range phys {
		freqs := w.Frequencies()
		t.Logf("%s (wiphy %d): %d messages, %d frequencies, %d commands", w.Name, w.Index, w.Messages, len(freqs), len(w.Commands))
		if !strings.HasPrefix(w.Name, "phy") || w.Messages < 2 {
			t.Errorf("wiphy %d: name %q, %d messages: want phyN, split over several", w.Index, w.Name, w.Messages)
		}
		if b := w.Bands.N2ghz; b == nil || len(b.Freqs) < 13 || len(b.Rates) < 12 || !b.HtCapa.Valid {
			t.Errorf("%s: 2.4 GHz band %+v: want 13+ frequencies, 12 rates, HT capabilities", w.Name, b)
		}
		if w.Bands.N5ghz == nil || len(w.Bands.N5ghz.Freqs) == 0 {
			t.Errorf("%s: no 5 GHz frequencies", w.Name)
		}
		if len(freqs) == 0 || freqs[0] != 2412 {
			t.Errorf("%s: frequencies %v, want 2412 first", w.Name, freqs)
		}
		// The kernel lists the commands a driver may lack, not those every
		// wiphy has (trigger-scan, get-survey, register-frame).
		for _, cmd := range []Commands{CommandsNewInterface, CommandsNewBeacon, CommandsNewStation, CommandsConnect, CommandsDisconnect, CommandsAction} {
			if !w.Supports(cmd) {
				t.Errorf("%s: supported commands lack %v (have %v)", w.Name, cmd, w.Commands)
			}
		}
		if it := w.Iftypes; it == nil || !it.Station || !it.Ap || !it.Monitor {
			t.Errorf("%s: interface modes %+v, want station, ap and monitor", w.Name, it)
		}
		if len(w.Combinations) == 0 || len(w.CipherSuites) == 0 || w.Software == nil || !w.Software.Monitor {
			t.Errorf("%s: %d interface combinations, cipher suites %v, software modes %+v: want combinations, ciphers, monitor in software", w.Name, len(w.Combinations), w.CipherSuites, w.Software)
		}
		if !w.Attrs.MaxNumScanSsids.Valid || !w.Attrs.WiphyRetryShort.Valid {
			t.Errorf("%s: first message lacks max-num-scan-ssids or wiphy-retry-short: %+v", w.Name, w.Attrs)
		}
	}
	r, err := l.c.request(l.ctx, CmdGetWiphy, "get-wiphy", nil, &Attrs{SplitWiphyDump: true}, nl80211AttrsTable)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for m, err := range l.c.Conn().Dump(l.ctx, r) {
		if err != nil {
			t.Fatalf("raw get-wiphy dump: %v", err)
		}
		n++
		unknown, err := unknownAttrs(m.Data, nl80211AttrsTable, "")
		if err != nil || len(unknown) > 0 {
			t.Errorf("get-wiphy message %d: unknown attributes %v, walk error %v", n, unknown, err)
		}
	}
	if n < 2*phys[0].Messages-2 {
		t.Errorf("raw dump of %d messages, typed one of %d for the first wiphy", n, phys[0].Messages)
	}
}

// TestLiveInterfaces creates an interface, changes its type and deletes it,
// each step confirmed by its notification on the config group.
func TestLiveInterfaces(t *testing.T) {
	l := newLive(t)
	if l.w0.Iftype.Value != IftypeStation {
		t.Errorf("wlan0 iftype %v, want station", l.w0.Iftype)
	}
	n, err := l.c.NewInterface(l.ctx, &Attrs{Wiphy: l.w0.Wiphy, Ifname: genl.Some("ynl0"), Iftype: genl.Some(IftypeStation)})
	if err != nil {
		t.Fatalf("new-interface: %v", err)
	}
	if n.Ifname.Value != "ynl0" || n.Iftype.Value != IftypeStation || !n.Ifindex.Valid || n.Wiphy != l.w0.Wiphy || len(n.MAC) != 6 {
		t.Errorf("new-interface reply %+v: want ynl0, station, an ifindex, wiphy %v, a MAC", n, l.w0.Wiphy)
	}
	l.wait(CmdNewInterfaceNtf, func(m *Attrs) bool { return m.Ifindex == n.Ifindex })
	if err := l.c.SetInterface(l.ctx, &Attrs{Ifindex: n.Ifindex, Iftype: genl.Some(IftypeMonitor)}); err != nil {
		t.Fatalf("set-interface monitor: %v", err)
	}
	ch := l.wait(CmdSetInterfaceNtf, func(m *Attrs) bool { return m.Ifindex == n.Ifindex })
	if ch.Iftype.Value != IftypeMonitor {
		t.Errorf("set-interface-ntf iftype %v, want monitor", ch.Iftype)
	}
	// The spec lists ifname as get-interface's request attribute, but the
	// kernel looks the interface up by ifindex (or wdev) only.
	got, err := l.c.GetInterface(l.ctx, &Attrs{Ifindex: n.Ifindex})
	if err != nil {
		t.Fatalf("get-interface ynl0: %v", err)
	}
	if got.Iftype.Value != IftypeMonitor {
		t.Errorf("get-interface ynl0: iftype %v after set-interface, want monitor", got.Iftype)
	}
	if err := l.c.DelInterface(l.ctx, &Attrs{Ifindex: n.Ifindex}); err != nil {
		t.Fatalf("del-interface: %v", err)
	}
	l.wait(CmdDelInterfaceNtf, func(m *Attrs) bool { return m.Ifindex == n.Ifindex })
	if _, ok := l.interfaces()["ynl0"]; ok {
		t.Error("ynl0 still listed after del-interface")
	}
}

// TestLiveRegulatory reads the world domain, then sets a country.
func TestLiveRegulatory(t *testing.T) {
	l := newLive(t)
	reg, err := l.c.GetReg(l.ctx, &Attrs{})
	if err != nil {
		t.Fatalf("get-reg: %v", err)
	}
	if len(reg.RegAlpha2) < 2 || len(reg.RegRules) == 0 {
		t.Fatalf("get-reg: alpha2 %q, %d rules: want a domain with rules", reg.RegAlpha2, len(reg.RegRules))
	}
	for i, r := range reg.RegRules {
		if !r.FreqRangeStart.Valid || r.FreqRangeEnd.Value <= r.FreqRangeStart.Value || !r.FreqRangeMaxBw.Valid || !r.PowerRuleMaxEirp.Valid {
			t.Errorf("rule %d %+v: want a frequency range, bandwidth and power", i, r)
		}
	}
	t.Logf("get-reg: %q, %d rules, first %d-%d kHz", reg.RegAlpha2, len(reg.RegRules), reg.RegRules[0].FreqRangeStart.Value, reg.RegRules[0].FreqRangeEnd.Value)
	// The lab copies the host's regulatory database into the guest when
	// there is one; reloading must succeed then and fail without.
	err = l.c.ReloadRegdb(l.ctx, &Attrs{})
	_, statErr := os.Stat("/lib/firmware/regulatory.db")
	switch {
	case statErr == nil && err != nil:
		t.Errorf("reload-regdb with /lib/firmware/regulatory.db present: %v", err)
	case statErr != nil && !errors.Is(err, syscall.ENOENT):
		t.Errorf("reload-regdb without /lib/firmware/regulatory.db: %v, want ENOENT", err)
	case statErr != nil:
		t.Skip("setting a country needs regulatory.db in the guest, which the lab copies from the host unless -no-regdb")
	}
	if err := l.c.ReqSetReg(l.ctx, &Attrs{RegAlpha2: []byte("DE")}); err != nil {
		t.Fatalf("req-set-reg: %v", err)
	}
	ch := l.wait(CmdRegChange, func(m *Attrs) bool { return bytes.HasPrefix(m.RegAlpha2, []byte("DE")) })
	if ch.RegInitiator.Value != RegInitiatorUser || ch.RegType.Value != RegTypeCountry {
		t.Errorf("reg-change: initiator %v type %v, want user country", ch.RegInitiator, ch.RegType)
	}
}

// TestLiveAbortScan starts a scan of every channel and aborts it: Scan
// must report the abort.
func TestLiveAbortScan(t *testing.T) {
	l := newLive(t)
	l.ip("link", "set", "wlan0", "up")
	done := make(chan error, 1)
	go func() {
		_, err := l.c.Scan(l.ctx, &Attrs{Ifindex: l.w0.Ifindex})
		done <- err
	}()
	l.wait(CmdTriggerScanNtf, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
	if err := l.c.AbortScan(l.ctx, &Attrs{Ifindex: l.w0.Ifindex}); err != nil {
		t.Fatalf("abort-scan: %v", err)
	}
	if err := <-done; !errors.Is(err, ErrScanAborted) {
		t.Fatalf("Scan of an aborted scan: %v, want ErrScanAborted", err)
	}
}

func TestLiveSetWiphy(t *testing.T) {
	l := newLive(t)
	if err := l.c.SetWiphy(l.ctx, &Attrs{Wiphy: l.w0.Wiphy, WiphyRtsThreshold: genl.Some(uint32(1000))}); err != nil {
		t.Fatalf("set-wiphy: %v", err)
	}
	w, err := l.c.GetWiphy(l.ctx, &Attrs{Wiphy: l.w0.Wiphy})
	if err != nil {
		t.Fatalf("get-wiphy: %v", err)
	}
	if w.WiphyRtsThreshold.Value != 1000 {
		t.Errorf("rts threshold %v after set-wiphy, want 1000", w.WiphyRtsThreshold)
	}
}
