//go:build linux

package nl80211

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"

	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ynlgo/ynl/genl"
)

const testSSID = "ynl-test"

// startAP turns wlan1 into an open access point on channel 1 with a
// beacon from Beacon, and starts the user-space MLME that answers
// authentication and association. The MLME's events and errors come
// back on the returned channel.
func (l *live) startAP() <-chan mlmeResult {
	t := l.t
	t.Helper()
	if err := l.c.SetInterface(l.ctx, &Attrs{Ifindex: l.w1.Ifindex, Iftype: genl.Some(IftypeAp)}); err != nil {
		t.Fatalf("set-interface ap: %v", err)
	}
	l.wait(CmdSetInterfaceNtf, func(m *Attrs) bool { return m.Ifindex == l.w1.Ifindex && m.Iftype.Value == IftypeAp })
	l.ip("link", "set", "wlan1", "up")
	l.ip("link", "set", "wlan0", "up")

	ap := &AccessPoint{Client: l.c, Ifindex: l.w1.Ifindex.Value, BSSID: l.w1.MAC}
	if err := ap.Start(l.ctx); err != nil {
		t.Fatalf("AP MLME: %v", err)
	}
	bc := &Beacon{BSSID: l.w1.MAC, SSID: testSSID, Channel: 1, Interval: 100}
	head, err := bc.Head()
	if err != nil {
		t.Fatal(err)
	}
	tail, err := bc.Tail()
	if err != nil {
		t.Fatal(err)
	}
	if len(tail) != 2+4 || tail[0] != ElemExtSupportedRate {
		t.Fatalf("beacon tail % x: want the extended supported rates element", tail)
	}
	err = l.c.StartAp(l.ctx, &Attrs{
		Ifindex: l.w1.Ifindex, BeaconHead: head, BeaconTail: tail,
		BeaconInterval: genl.Some(uint32(100)), DtimPeriod: genl.Some(uint32(2)),
		Ssid: []byte(testSSID), HiddenSsid: genl.Some(uint32(0)), AuthType: genl.Some(AuthTypeOpenSystem),
		WiphyFreq: genl.Some(uint32(2412)), WiphyChannelType: genl.Some(ChannelTypeNoHt),
	})
	if err != nil {
		ap.Close()
		t.Fatalf("start-ap: %v", err)
	}
	ctx, cancel := context.WithCancel(l.ctx)
	out := make(chan mlmeResult, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			ev, err := ap.Next(ctx)
			if ctx.Err() != nil {
				return
			}
			out <- mlmeResult{ev, err}
		}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		ap.Close()
		if err := l.c.StopAp(context.Background(), &Attrs{Ifindex: l.w1.Ifindex}); err != nil {
			t.Errorf("stop-ap: %v", err)
		}
	})
	return out
}

type mlmeResult struct {
	ev  *MLMEEvent
	err error
}

// scanFor scans channel 1 from wlan0 until the AP shows up, and returns
// its BSS.
func (l *live) scanFor(bssid net.HardwareAddr) *Bss {
	t := l.t
	t.Helper()
	for try := 1; try <= 3; try++ {
		if err := l.c.TriggerScan(l.ctx, &Attrs{Ifindex: l.w0.Ifindex, ScanFrequencies: []uint32{2412}}); err != nil {
			t.Fatalf("trigger-scan: %v", err)
		}
		l.wait(CmdTriggerScanNtf, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
		res := l.wait(CmdNewScanResults, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
		if len(res.ScanFrequencies) != 1 || res.ScanFrequencies[0] != 2412 {
			t.Errorf("new-scan-results frequencies %v, want [2412]", res.ScanFrequencies)
		}
		for m, err := range l.c.GetScanDump(l.ctx, &Attrs{Ifindex: l.w0.Ifindex}) {
			if err != nil {
				t.Fatalf("get-scan: %v", err)
			}
			if m.Bss != nil && bytes.Equal(m.Bss.Bssid, bssid) {
				return m.Bss
			}
		}
		t.Logf("scan %d did not find %s", try, bssid)
	}
	t.Fatalf("three scans did not find the AP %s", bssid)
	return nil
}

// sendEther sends n Ethernet frames of size bytes from interface ifindex
// to dst through a packet socket, to make data traffic between the radios.
func sendEther(t *testing.T, ifindex int, src, dst net.HardwareAddr, n, size int) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, 0)
	if err != nil {
		t.Fatalf("packet socket: %v", err)
	}
	defer unix.Close(fd)
	frame := make([]byte, size)
	copy(frame, dst)
	copy(frame[6:], src)
	binary.BigEndian.PutUint16(frame[12:], 0x88b5) // IEEE local experimental ethertype
	to := &unix.SockaddrLinklayer{Ifindex: ifindex, Halen: 6}
	copy(to.Addr[:], dst)
	for i := 0; i < n; i++ {
		if err := unix.Sendto(fd, frame, 0, to); err != nil {
			t.Fatalf("send to %s on ifindex %d: %v", dst, ifindex, err)
		}
	}
}

// TestLiveAccessPoint runs an open network between the radios: wlan1 is
// the access point, with our beacon and our MLME answering authentication
// and association; wlan0 scans, finds it, connects, exchanges a little
// traffic and disconnects. The AP's station dump is checked on the way.
func TestLiveAccessPoint(t *testing.T) {
	l := newLive(t)
	mlme := l.startAP()

	bss := l.scanFor(l.w1.MAC)
	ies := Elements(bss.InformationElements)
	if err := ies.Validate(); err != nil {
		t.Fatalf("scan result elements: %v", err)
	}
	ssid, ok := ies.SSID()
	ch, chOK := ies.Channel()
	rates := ies.SupportedRates()
	if !ok || ssid != testSSID || !chOK || ch != 1 || len(rates) != len(RatesBG) || rates[0] != 0x82 {
		t.Errorf("scan result elements: SSID %q (%v), channel %d (%v), rates %v: want %q, 1, %v", ssid, ok, ch, chOK, rates, testSSID, RatesBG)
	}
	if bss.Frequency.Value != 2412 || ChannelFrequency(ch) != bss.Frequency.Value || bss.Capability.Value&CapESS == 0 ||
		bss.BeaconInterval.Value != 100 || !bss.SignalMbm.Valid || bss.SignalMbm.Value >= 0 {
		t.Errorf("bss %+v: want 2412 MHz, ESS, interval 100, a negative signal", bss)
	}

	err := l.c.Connect(l.ctx, &Attrs{Ifindex: l.w0.Ifindex, Ssid: []byte(testSSID), MAC: l.w1.MAC,
		WiphyFreq: genl.Some(uint32(2412)), AuthType: genl.Some(AuthTypeOpenSystem)})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	res := l.wait(CmdConnectNtf, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
	if !res.StatusCode.Valid || res.StatusCode.Value != 0 || !bytes.Equal(res.MAC, l.w1.MAC) {
		t.Errorf("connect-ntf: status %v, bssid %s: want status 0 from %s", res.StatusCode, res.MAC, l.w1.MAC)
		for len(mlme) > 0 {
			r := <-mlme
			t.Logf("MLME: %+v %v", r.ev, r.err)
		}
		t.FailNow()
	}
	checkMLME(t, mlme, l.w0.MAC)
	if _, ok := Elements(res.RespIe).Find(ElemSupportedRates); !ok {
		t.Errorf("connect-ntf resp-ie % x: want our association response's rates", res.RespIe)
	}

	l.checkClientSide()
	sendEther(t, int(l.w0.Ifindex.Value), l.w0.MAC, l.w1.MAC, 5, 200)
	sendEther(t, int(l.w1.Ifindex.Value), l.w1.MAC, l.w0.MAC, 5, 300)
	time.Sleep(300 * time.Millisecond) // let the frames cross the simulated air
	l.checkStation()

	if err := l.c.Disconnect(l.ctx, &Attrs{Ifindex: l.w0.Ifindex, ReasonCode: genl.Some(uint16(3))}); err != nil {
		t.Fatalf("disconnect: %v", err)
	}
	d := l.wait(CmdDisconnectNtf, func(m *Attrs) bool { return m.Ifindex == l.w0.Ifindex })
	if d.ReasonCode.Value != 3 || d.DisconnectedByAp {
		t.Errorf("disconnect-ntf: reason %v, by AP %v: want 3 from us", d.ReasonCode, d.DisconnectedByAp)
	}
	l.checkLeft(mlme)
	t.Logf("notifications seen: %v", l.seen)
}

// checkLeft checks that the MLME saw the client's deauthentication and
// removed it: the AP's station dump no longer lists it.
func (l *live) checkLeft(mlme <-chan mlmeResult) {
	t := l.t
	t.Helper()
	select {
	case r := <-mlme:
		for r.err == nil && (r.ev.Repeated || r.ev.Frame == FrameAuth) && bytes.Equal(r.ev.Peer, l.w0.MAC) {
			// The client resent a request it did not see answered in
			// time (slow under emulation); the MLME answered it again.
			t.Logf("MLME: repeated %#04x from %s", r.ev.Frame, r.ev.Peer)
			select {
			case r = <-mlme:
			case <-time.After(5 * time.Second):
				t.Fatal("MLME: no deauthentication 5 s after disconnect")
			}
		}
		if r.err != nil {
			t.Fatalf("MLME: %v", r.err)
		}
		if r.ev.Frame != FrameDeauth || !bytes.Equal(r.ev.Peer, l.w0.MAC) || r.ev.Status != 3 {
			t.Fatalf("MLME event %+v after disconnect: want a deauthentication from %s with reason 3", r.ev, l.w0.MAC)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("MLME: no deauthentication 5 s after disconnect")
	}
	for m, err := range l.c.GetStationDump(l.ctx, &Attrs{Ifindex: l.w1.Ifindex}) {
		if err != nil {
			t.Fatalf("get-station dump: %v", err)
		}
		if bytes.Equal(m.MAC, l.w0.MAC) {
			t.Errorf("AP still lists %s after its deauthentication", m.MAC)
		}
	}
}

// checkMLME checks that the AP's MLME answered one authentication and
// one association of peer, with success and AID 1.
func checkMLME(t *testing.T, mlme <-chan mlmeResult, peer net.HardwareAddr) {
	t.Helper()
	var auth, assoc bool
	for !auth || !assoc {
		var r mlmeResult
		select {
		case r = <-mlme:
		case <-time.After(5 * time.Second):
			t.Fatalf("MLME: authenticated %v, associated %v after connect-ntf", auth, assoc)
		}
		if r.err != nil {
			t.Fatalf("MLME: %v", r.err)
		}
		ev := r.ev
		if !bytes.Equal(ev.Peer, peer) || ev.Status != 0 || ev.Request.RXSignalDbm.Valid && int32(ev.Request.RXSignalDbm.Value) >= 0 {
			t.Errorf("MLME event %+v: want status 0 from %s, a negative signal", ev, peer)
		}
		switch ev.Frame {
		case FrameAuth:
			auth = true
		case FrameAssocRequest:
			assoc = true
			if ev.AID != 1 {
				t.Errorf("association got AID %d, want 1", ev.AID)
			}
		}
	}
}

// checkStation checks the AP's station dump: the client, with typed
// statistics after the traffic.
func (l *live) checkStation() {
	t := l.t
	t.Helper()
	var found *StaInfo
	for m, err := range l.c.GetStationDump(l.ctx, &Attrs{Ifindex: l.w1.Ifindex}) {
		if err != nil {
			t.Fatalf("get-station dump: %v", err)
		}
		if bytes.Equal(m.MAC, l.w0.MAC) {
			found = m.StaInfo
		}
	}
	if found == nil {
		t.Fatalf("AP station dump does not list the client %s", l.w0.MAC)
	}
	s := found
	t.Logf("station %s: signal %v, rx %v/%v bytes, tx %v/%v bytes, connected %v s, inactive %v ms",
		l.w0.MAC, s.Signal, s.RXBytes, s.RXBytes64, s.TXBytes, s.TXBytes64, s.ConnectedTime, s.InactiveTime)
	if !s.ConnectedTime.Valid || !s.InactiveTime.Valid {
		t.Errorf("sta-info lacks connected-time or inactive-time: %+v", s)
	}
	if !s.Signal.Valid || s.Signal.Value >= 0 || s.Signal.Value < -100 {
		t.Errorf("sta-info signal %v, want a negative dBm value", s.Signal)
	}
	if s.RXBytes.Value < 5*200 || s.RXBytes64.Value < 5*200 || s.RXPackets.Value < 5 {
		t.Errorf("sta-info rx %v bytes (%v 64-bit), %v packets: want the 5 frames of 200 bytes sent", s.RXBytes, s.RXBytes64, s.RXPackets)
	}
	if s.TXBytes.Value < 5*300 || s.TXPackets.Value < 5 {
		t.Errorf("sta-info tx %v bytes, %v packets: want the 5 frames of 300 bytes sent", s.TXBytes, s.TXPackets)
	}
	const want = 1<<StaFlagAuthorized | 1<<StaFlagAuthenticated | 1<<StaFlagAssociated
	if f := s.StaFlags; f == nil || f.Set&want != want {
		t.Errorf("sta-info sta-flags %+v: want authorized, authenticated, associated set", f)
	}
	if s.BssParam == nil || s.BssParam.BeaconInterval.Value != 100 || s.BssParam.DtimPeriod.Value != 2 {
		t.Errorf("sta-info bss-param %+v: want beacon interval 100, DTIM 2", s.BssParam)
	}
}

// checkClientSide checks what the client knows of its connection: the
// scan dump marks the AP's BSS associated, and the client's station dump
// lists the AP.
func (l *live) checkClientSide() {
	t := l.t
	t.Helper()
	// The AP's beacons update the BSS list, so a dump may come back
	// interrupted (NLM_F_DUMP_INTR); it is retried, as the error says.
	var status *Bss
	for attempt := 1; ; attempt++ {
		status = nil
		var err error
		for m, e := range l.c.GetScanDump(l.ctx, &Attrs{Ifindex: l.w0.Ifindex}) {
			if e != nil {
				err = e
				break
			}
			if m.Bss != nil && bytes.Equal(m.Bss.Bssid, l.w1.MAC) {
				status = m.Bss
			}
		}
		if err == nil {
			break
		}
		if !errors.Is(err, genl.ErrDumpInterrupted) || attempt == 5 {
			t.Fatalf("get-scan (attempt %d): %v", attempt, err)
		}
	}
	if status == nil || !status.Status.Valid || status.Status.Value != BssStatusAssociated {
		t.Errorf("scan dump after connect: AP's BSS %+v, want status associated", status)
	}
	var ap *StaInfo
	for m, err := range l.c.GetStationDump(l.ctx, &Attrs{Ifindex: l.w0.Ifindex}) {
		if err != nil {
			t.Fatalf("get-station dump on the client: %v", err)
		}
		if bytes.Equal(m.MAC, l.w1.MAC) {
			ap = m.StaInfo
		}
	}
	if ap == nil || !ap.Signal.Valid || ap.BssParam == nil || ap.BssParam.DtimPeriod.Value != 2 || ap.BssParam.BeaconInterval.Value != 100 {
		t.Errorf("client's station dump: AP %+v, want it with a signal and the BSS's DTIM 2, interval 100", ap)
	}
}
