package nl80211

import (
	"bytes"
	"errors"
	"net"
	"strings"
	"testing"
)

var (
	apMAC  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x01, 0x00}
	staMAC = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x00}
)

// ies is a BSS's elements as a scan reports them: SSID "ynl-test",
// four rates, DS parameter set channel 6, a vendor element.
var ies = Elements{
	0x00, 0x08, 'y', 'n', 'l', '-', 't', 'e', 's', 't',
	0x01, 0x04, 0x82, 0x84, 0x8b, 0x96,
	0x03, 0x01, 0x06,
	0x32, 0x02, 0x0c, 0x6c,
	0xdd, 0x03, 0x00, 0x50, 0xf2,
}

func TestElements(t *testing.T) {
	var ids []uint8
	for e, err := range ies.All() {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	if !bytes.Equal(ids, []byte{0, 1, 3, 50, 221}) {
		t.Errorf("ids %v", ids)
	}
	if s, ok := ies.SSID(); !ok || s != "ynl-test" {
		t.Errorf("SSID %q %v", s, ok)
	}
	if ch, ok := ies.Channel(); !ok || ch != 6 || ChannelFrequency(ch) != 2437 {
		t.Errorf("channel %d %v", ch, ok)
	}
	rates := ies.SupportedRates()
	want := []Rate{0x82, 0x84, 0x8b, 0x96, 0x0c, 0x6c}
	if !slicesEqual(rates, want) {
		t.Errorf("rates %v, want %v", rates, want)
	}
	if got := rates[2].String() + " " + rates[5].String(); got != "5.5* 54" || rates[5].Kbps() != 54000 || BasicRate(0x0c) != 0x8c {
		t.Errorf("rate strings %q", got)
	}
	if _, ok := ies.Find(ElemRSN); ok {
		t.Error("found an RSN element in an open network's elements")
	}
	if ChannelFrequency(14) != 2484 || ChannelFrequency(0) != 0 || ChannelFrequency(1) != 2412 {
		t.Error("ChannelFrequency")
	}
}

func slicesEqual(a, b []Rate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestElementsMalformed(t *testing.T) {
	for _, tc := range []struct {
		b    Elements
		want string
	}{
		{Elements{0x00}, "offset 0: 1 byte(s) left"},
		{Elements{0x00, 0x01, 'a', 0x01, 0x05, 1, 2}, "element 1 at offset 3: length 5 runs past the end (2 bytes left)"},
	} {
		err := tc.b.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("% x: %v, want %q", []byte(tc.b), err, tc.want)
		}
		if _, ok := tc.b.Find(1); ok {
			t.Errorf("% x: Find past a malformed element", []byte(tc.b))
		}
	}
	if _, err := AppendElement(nil, 0, make([]byte, 256)); !errors.Is(err, ErrElementTooLong) {
		t.Errorf("256-byte element: %v", err)
	}
}

func TestBeacon(t *testing.T) {
	bc := &Beacon{BSSID: apMAC, SSID: "ynl", Channel: 1}
	head, err := bc.Head()
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x80, 0x00, 0x00, 0x00, // beacon, duration 0
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // DA broadcast
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00, // SA
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00, // BSSID
		0x00, 0x00, // sequence
		0, 0, 0, 0, 0, 0, 0, 0, // timestamp
		0x64, 0x00, // interval 100 TU
		0x01, 0x00, // capability ESS
		0x00, 0x03, 'y', 'n', 'l',
		0x01, 0x08, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24,
		0x03, 0x01, 0x01,
	}
	if !bytes.Equal(head, want) {
		t.Errorf("head\n% x\nwant\n% x", head, want)
	}
	tail, err := bc.Tail()
	if err != nil {
		t.Fatal(err)
	}
	if want := []byte{0x32, 0x04, 0x30, 0x48, 0x60, 0x6c}; !bytes.Equal(tail, want) {
		t.Errorf("tail % x, want % x", tail, want)
	}
	f, err := ParseMgmt(head)
	if err != nil || f.Subtype() != FrameBeacon || !bytes.Equal(f.BSSID, apMAC) || !bytes.Equal(f.DA, Broadcast) {
		t.Errorf("parsed head %+v, %v", f, err)
	}
	for _, bad := range []*Beacon{
		{BSSID: apMAC, SSID: strings.Repeat("x", 33), Channel: 1},
		{BSSID: apMAC[:5], SSID: "x", Channel: 1},
		{BSSID: apMAC, SSID: "x"},
	} {
		if _, err := bad.Head(); err == nil {
			t.Errorf("beacon %+v: no error", bad)
		}
	}
}

func TestAuthFrames(t *testing.T) {
	// An open-system authentication request as mac80211 sends it.
	req := []byte{
		0xb0, 0x00, 0x3a, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00, // DA: the AP
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, // SA: the client
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00, // BSSID
		0x10, 0x00,
		0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // open, seq 1, status 0
	}
	f, err := ParseMgmt(req)
	if err != nil {
		t.Fatal(err)
	}
	if f.Subtype() != FrameAuth || f.Duration != 314 || !bytes.Equal(f.SA, staMAC) || f.SeqCtrl != 0x10 {
		t.Errorf("header %+v", f)
	}
	a, err := ParseAuth(f.Body)
	if err != nil || a.Algorithm != AuthAlgOpen || a.Seq != 1 || a.Status != 0 || len(a.Elements) != 0 {
		t.Errorf("auth %+v, %v", a, err)
	}
	resp, err := AuthFrame(staMAC, apMAC, apMAC, &Auth{Seq: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0xb0, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x00, 0x00,
		0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	}
	if !bytes.Equal(resp, want) {
		t.Errorf("auth response\n% x\nwant\n% x", resp, want)
	}
	if _, err := ParseAuth([]byte{0, 0, 1}); err == nil {
		t.Error("3-byte auth body: no error")
	}
	if _, err := ParseMgmt([]byte{0x08, 0x00}); err == nil {
		t.Error("2-byte frame: no error")
	}
	data := append([]byte{0x08, 0x01}, req[2:]...)
	if _, err := ParseMgmt(data); err == nil || !strings.Contains(err.Error(), "not a management frame") {
		t.Errorf("data frame: %v", err)
	}
}

func TestAssocFrames(t *testing.T) {
	body := []byte{
		0x21, 0x04, // capability: ESS, short preamble, short slot
		0x0a, 0x00, // listen interval 10
		0x00, 0x08, 'y', 'n', 'l', '-', 't', 'e', 's', 't',
		0x01, 0x02, 0x82, 0x84,
		0x32, 0x01, 0x6c,
	}
	r, err := ParseAssocRequest(body, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Capability != CapESS|CapShortPreamble|CapShortSlotTime || r.ListenInterval != 10 || r.CurrentAP != nil {
		t.Errorf("request %+v", r)
	}
	if rates := r.Elements.SupportedRates(); !slicesEqual(rates, []Rate{0x82, 0x84, 0x6c}) {
		t.Errorf("rates %v", rates)
	}
	re := append([]byte{0x01, 0x00, 0x05, 0x00}, apMAC...)
	re = append(re, 0x00, 0x00)
	rr, err := ParseAssocRequest(re, true)
	if err != nil || !bytes.Equal(rr.CurrentAP, apMAC) || rr.ListenInterval != 5 {
		t.Errorf("reassociation %+v, %v", rr, err)
	}
	if _, err := ParseAssocRequest(body[:9], true); err == nil {
		t.Error("short reassociation body: no error")
	}

	ie, _ := AppendRates(nil, []Rate{0x82, 0x84})
	resp, err := AssocResponseFrame(staMAC, apMAC, apMAC, &AssocResponse{Capability: CapESS, AID: 1, Elements: ie})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x10, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x00, 0x00,
		0x01, 0x00, // capability
		0x00, 0x00, // status
		0x01, 0xc0, // AID 1 with the two top bits
		0x01, 0x02, 0x82, 0x84,
	}
	if !bytes.Equal(resp, want) {
		t.Errorf("association response\n% x\nwant\n% x", resp, want)
	}
	if resp, _ := AssocResponseFrame(staMAC, apMAC, apMAC, &AssocResponse{AID: 2, Reassoc: true}); resp[0] != 0x30 {
		t.Errorf("reassociation response frame control %#x", resp[0])
	}
	if _, err := AssocResponseFrame(staMAC, apMAC, apMAC, &AssocResponse{AID: 0}); err == nil {
		t.Error("AID 0 with success: no error")
	}
}

func TestAppendRatesSplits(t *testing.T) {
	b, err := AppendRates(nil, RatesBG)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x01, 0x08, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24, 0x32, 0x04, 0x30, 0x48, 0x60, 0x6c}
	if !bytes.Equal(b, want) {
		t.Errorf("% x, want % x", b, want)
	}
	if got := Elements(b).SupportedRates(); !slicesEqual(got, RatesBG) {
		t.Errorf("round trip %v", got)
	}
}
