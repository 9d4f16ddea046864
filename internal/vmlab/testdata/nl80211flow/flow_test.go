//go:build linux && vmlab

// Package nl80211flow drives the generated nl80211 package through the ops
// and notifications of the overlay, inside the lab with two hwsim radios:
// interfaces, regulatory, wiphy settings, an access point on wlan1 that a
// scan from wlan0 must find, a connection attempt, survey and station
// dumps. It needs a guest (the radios); on a host it skips.
package nl80211flow

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	nl "github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/genl"
)

// lab holds what every step needs.
type lab struct {
	t      *testing.T
	ctx    context.Context
	c      *nl.Client
	sub    *nl.Subscription
	w0, w1 *nl.Nl80211Attrs
	seen   map[nl.ReplyCmd]int
}

func setup(t *testing.T) *lab {
	if os.Getenv("YNL_VMLAB") == "" {
		t.Skip("needs mac80211_hwsim radios: run through the vmlab harness")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	c, err := nl.Dial(ctx, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	sub, err := c.Subscribe(ctx, nl.GroupConfig, nl.GroupScan, nl.GroupMlme, nl.GroupRegulatory)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	t.Cleanup(func() { sub.Close() })
	l := &lab{t: t, ctx: ctx, c: c, sub: sub, seen: map[nl.ReplyCmd]int{}}
	ifs := l.interfaces()
	l.w0, l.w1 = ifs["wlan0"], ifs["wlan1"]
	if l.w0 == nil || l.w1 == nil {
		t.Fatalf("want wlan0 and wlan1, got %v", ifs)
	}
	return l
}

func (l *lab) interfaces() map[string]*nl.Nl80211Attrs {
	out := map[string]*nl.Nl80211Attrs{}
	for m, err := range l.c.GetInterfaceDump(l.ctx, nil) {
		if err != nil {
			l.t.Fatalf("get-interface dump: %v", err)
		}
		out[m.Ifname.Value] = m
	}
	return out
}

// wait receives notifications until one with cmd arrives that match
// accepts (nil accepts any), and returns it.
func (l *lab) wait(cmd nl.ReplyCmd, match func(*nl.Nl80211Attrs) bool) *nl.Nl80211Attrs {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	for {
		n, err := l.sub.Receive(ctx)
		if err != nil {
			l.t.Fatalf("waiting for notification %d: %v (seen %v)", cmd, err, l.seen)
		}
		l.seen[n.Cmd]++
		m, _ := n.Msg.(*nl.Nl80211Attrs)
		if n.Cmd == cmd && m != nil && (match == nil || match(m)) {
			return m
		}
	}
}

func (l *lab) up(name string) {
	if out, err := exec.Command("ip", "link", "set", name, "up").CombinedOutput(); err != nil {
		l.t.Fatalf("ip link set %s up: %v: %s", name, err, out)
	}
}

// beacon returns the head of a beacon frame for an open network on
// channel 1: the management header, fixed fields, SSID, rates, DS set.
func beacon(bssid net.HardwareAddr, ssid string) []byte {
	var b bytes.Buffer
	b.Write([]byte{0x80, 0, 0, 0})                      // beacon, duration
	b.Write([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) // DA broadcast
	b.Write(bssid)                                      // SA
	b.Write(bssid)                                      // BSSID
	b.Write([]byte{0, 0})                               // sequence
	b.Write(make([]byte, 8))                            // timestamp
	b.Write([]byte{100, 0, 0x01, 0x00})                 // interval 100 TU, ESS
	b.Write(append([]byte{0, byte(len(ssid))}, ssid...))
	b.Write([]byte{1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24})
	b.Write([]byte{3, 1, 1})
	return b.Bytes()
}

func TestInterfaceLifecycle(t *testing.T) {
	l := setup(t)
	if l.w0.Iftype.Value != nl.IftypeStation {
		t.Errorf("wlan0 iftype %v, want station", l.w0.Iftype)
	}
	mon, err := l.c.NewInterface(l.ctx, &nl.Nl80211Attrs{Wiphy: l.w0.Wiphy, Ifname: genl.Some("mon0"), Iftype: genl.Some(nl.IftypeMonitor)})
	if err != nil {
		t.Fatalf("new-interface: %v", err)
	}
	if mon.Ifname.Value != "mon0" || mon.Iftype.Value != nl.IftypeMonitor || !mon.Ifindex.Valid {
		t.Errorf("new-interface reply %+v", mon)
	}
	l.wait(nl.CmdNewInterfaceNtf, func(m *nl.Nl80211Attrs) bool { return m.Ifname.Value == "mon0" })
	if err := l.c.DelInterface(l.ctx, &nl.Nl80211Attrs{Ifindex: mon.Ifindex}); err != nil {
		t.Fatalf("del-interface: %v", err)
	}
	l.wait(nl.CmdDelInterfaceNtf, func(m *nl.Nl80211Attrs) bool { return m.Ifindex == mon.Ifindex })
	if _, ok := l.interfaces()["mon0"]; ok {
		t.Error("mon0 still listed after del-interface")
	}
}

func TestRegulatory(t *testing.T) {
	l := setup(t)
	reg, err := l.c.GetReg(l.ctx, &nl.Nl80211Attrs{})
	if err != nil {
		t.Fatalf("get-reg: %v", err)
	}
	if !bytes.HasPrefix(reg.RegAlpha2, []byte("00")) || len(reg.RegRules) == 0 || reg.RegRules[0].FreqRangeEnd.Value <= reg.RegRules[0].FreqRangeStart.Value {
		t.Fatalf("get-reg: alpha2 %q, rules %+v; want the world domain with rules", reg.RegAlpha2, reg.RegRules)
	}
	if err := l.c.ReqSetReg(l.ctx, &nl.Nl80211Attrs{RegAlpha2: []byte("DE")}); err != nil {
		t.Fatalf("req-set-reg: %v", err)
	}
	ch := l.wait(nl.CmdRegChange, func(m *nl.Nl80211Attrs) bool { return bytes.HasPrefix(m.RegAlpha2, []byte("DE")) })
	if ch.RegInitiator.Value != nl.RegInitiatorUser || ch.RegType.Value != nl.RegTypeCountry {
		t.Errorf("reg-change: initiator %v type %v, want user country", ch.RegInitiator, ch.RegType)
	}
	var found bool
	for m, err := range l.c.GetRegDump(l.ctx, nil) {
		if err != nil {
			t.Fatalf("get-reg dump: %v", err)
		}
		found = found || bytes.HasPrefix(m.RegAlpha2, []byte("DE"))
	}
	if !found {
		t.Error("get-reg dump does not show DE after reg-change")
	}
}

func TestSetWiphy(t *testing.T) {
	l := setup(t)
	if err := l.c.SetWiphy(l.ctx, &nl.Nl80211Attrs{Wiphy: l.w0.Wiphy, WiphyRtsThreshold: genl.Some(uint32(1000))}); err != nil {
		t.Fatalf("set-wiphy: %v", err)
	}
	w, err := l.c.GetWiphy(l.ctx, &nl.Nl80211Attrs{Wiphy: l.w0.Wiphy})
	if err != nil {
		t.Fatalf("get-wiphy: %v", err)
	}
	if w.WiphyRtsThreshold.Value != 1000 {
		t.Errorf("rts threshold %v after set-wiphy, want 1000", w.WiphyRtsThreshold)
	}
}

// TestAccessPointScanConnect starts an open AP on wlan1, finds it with a
// scan from wlan0 and tries to connect. Without an authenticator (hostapd)
// on the AP the attempt fails, but the mlme and connect notifications
// still come back and decode.
func TestAccessPointScanConnect(t *testing.T) {
	l := setup(t)
	if err := l.c.SetInterface(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w1.Ifindex, Iftype: genl.Some(nl.IftypeAp)}); err != nil {
		t.Fatalf("set-interface ap: %v", err)
	}
	l.wait(nl.CmdSetInterfaceNtf, func(m *nl.Nl80211Attrs) bool { return m.Iftype.Value == nl.IftypeAp })
	l.up("wlan1")
	l.up("wlan0")
	const ssid = "ynl-open"
	err := l.c.StartAp(l.ctx, &nl.Nl80211Attrs{
		Ifindex: l.w1.Ifindex, BeaconHead: beacon(l.w1.MAC, ssid), BeaconTail: []byte{},
		BeaconInterval: genl.Some(uint32(100)), DtimPeriod: genl.Some(uint32(2)),
		Ssid: []byte(ssid), HiddenSsid: genl.Some(uint32(0)), AuthType: genl.Some(nl.AuthTypeOpenSystem),
		WiphyFreq: genl.Some(uint32(2412)), WiphyChannelType: genl.Some(nl.ChannelTypeNoHt),
	})
	if err != nil {
		t.Fatalf("start-ap: %v", err)
	}
	t.Cleanup(func() {
		if err := l.c.StopAp(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w1.Ifindex}); err != nil {
			t.Errorf("stop-ap: %v", err)
		}
	})

	if err := l.c.TriggerScan(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex, ScanFrequencies: []uint32{2412}}); err != nil {
		t.Fatalf("trigger-scan: %v", err)
	}
	l.wait(nl.CmdTriggerScanNtf, nil)
	done := l.wait(nl.CmdNewScanResults, nil)
	if len(done.ScanFrequencies) != 1 || done.ScanFrequencies[0] != 2412 {
		t.Errorf("new-scan-results frequencies %v, want [2412]", done.ScanFrequencies)
	}
	var bss *nl.Bss
	for m, err := range l.c.GetScanDump(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex}) {
		if err != nil {
			t.Fatalf("get-scan: %v", err)
		}
		if m.Bss != nil && bytes.Equal(m.Bss.Bssid, l.w1.MAC) {
			bss = m.Bss
		}
	}
	if bss == nil {
		t.Fatalf("scan did not find the AP %s", l.w1.MAC)
	}
	if bss.Frequency.Value != 2412 || bss.Capability.Value&1 == 0 || bss.BeaconInterval.Value != 100 ||
		!bytes.Contains(bss.InformationElements, []byte(ssid)) || bss.SignalMbm.Value >= 0 {
		t.Errorf("bss %+v: want 2412 MHz, ESS, interval 100, SSID %q, negative mBm", bss, ssid)
	}

	err = l.c.Connect(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex, Ssid: []byte(ssid), MAC: l.w1.MAC,
		WiphyFreq: genl.Some(uint32(2412)), AuthType: genl.Some(nl.AuthTypeOpenSystem)})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	res := l.wait(nl.CmdConnectNtf, nil)
	if !bytes.Equal(res.MAC, l.w1.MAC) || !res.StatusCode.Valid {
		t.Errorf("connect-ntf %+v: want the AP's address and a status", res)
	}
	t.Logf("connect-ntf status %v; notifications so far %v", res.StatusCode, l.seen)
	if l.seen[nl.CmdAuthenticate] == 0 {
		t.Errorf("no authenticate notification before connect-ntf (seen %v)", l.seen)
	}
	for m, err := range l.c.GetStationDump(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w1.Ifindex}) {
		if err != nil {
			t.Fatalf("get-station dump: %v", err)
		}
		t.Logf("station %s: %+v", m.MAC, m.StaInfo)
	}
	for m, err := range l.c.GetSurveyDump(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex}) {
		if err != nil {
			t.Fatalf("get-survey: %v", err)
		}
		t.Logf("survey: %+v", m.SurveyInfo)
	}
	if err := l.c.Disconnect(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex, ReasonCode: genl.Some(uint16(3))}); err != nil {
		t.Logf("disconnect after a failed connect: %v", err)
	}
}

// TestAbortScan starts a scan of every channel and aborts it.
func TestAbortScan(t *testing.T) {
	l := setup(t)
	l.up("wlan0")
	if err := l.c.TriggerScan(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex}); err != nil {
		t.Fatalf("trigger-scan: %v", err)
	}
	l.wait(nl.CmdTriggerScanNtf, nil)
	if err := l.c.AbortScan(l.ctx, &nl.Nl80211Attrs{Ifindex: l.w0.Ifindex}); err != nil {
		t.Fatalf("abort-scan: %v", err)
	}
	l.wait(nl.CmdScanAborted, nil)
}
