//go:build linux

package nl80211

import (
	"context"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// The mac80211_hwsim generic netlink family (MAC80211_HWSIM) adds and
// removes simulated radios; these are its numbers from the kernel's
// drivers/net/wireless/mac80211_hwsim.h, which has no YNL spec.
const (
	hwsimFamily         = "MAC80211_HWSIM"
	hwsimCmdNewRadio    = 4
	hwsimCmdDelRadio    = 5
	hwsimAttrChannels   = 9  // u32
	hwsimAttrRadioName  = 17 // string
	hwsimSurveyRadioTag = "ynl-survey"
)

// hwsim sends one request to the MAC80211_HWSIM family.
func (l *live) hwsim(ctx context.Context, cmd uint8, attrs func(*genl.Encoder)) error {
	e := genl.NewEncoder(nil)
	attrs(e)
	_, err := l.c.Conn().Do(ctx, &genl.Request{Family: hwsimFamily, Command: cmd, Attrs: e.Bytes(), OpName: "hwsim cmd"})
	return err
}

// TestLiveSurvey checks the survey dump. hwsim reports survey data only
// for channels a hardware scan visited, and scans in hardware only on a
// radio with more than one channel context, which the lab's radios (one
// channel) are not; so the test adds such a radio through hwsim's own
// family, scans channel 1 on it and dumps its survey.
func TestLiveSurvey(t *testing.T) {
	l := newLive(t)
	err := l.hwsim(l.ctx, hwsimCmdNewRadio, func(e *genl.Encoder) {
		e.Uint32(hwsimAttrChannels, 2)
		e.String(hwsimAttrRadioName, hwsimSurveyRadioTag)
	})
	if err != nil {
		t.Fatalf("hwsim new-radio with 2 channels: %v", err)
	}
	t.Cleanup(func() {
		err := l.hwsim(context.Background(), hwsimCmdDelRadio, func(e *genl.Encoder) { e.String(hwsimAttrRadioName, hwsimSurveyRadioTag) })
		if err != nil {
			t.Errorf("hwsim del-radio: %v", err)
		}
	})
	ifc := l.wait(CmdNewInterfaceNtf, func(m *Attrs) bool { return m.Ifindex != l.w0.Ifindex && m.Ifindex != l.w1.Ifindex })
	name := ifc.Ifname.Value
	l.ip("link", "set", name, "up")
	res, err := l.c.Scan(l.ctx, &Attrs{Ifindex: ifc.Ifindex, ScanFrequencies: []uint32{2412}})
	if err != nil {
		t.Fatalf("scan on %s: %v", name, err)
	}
	if len(res.ScanFrequencies) != 1 || res.ScanFrequencies[0] != 2412 {
		t.Errorf("scan on %s: results for %v, want [2412]", name, res.ScanFrequencies)
	}

	var n int
	var ch1 *SurveyInfo
	for m, err := range l.c.GetSurveyDump(l.ctx, &Attrs{Ifindex: ifc.Ifindex}) {
		if err != nil {
			t.Fatalf("get-survey: %v", err)
		}
		s := m.SurveyInfo
		if s == nil || !s.Frequency.Valid || m.Ifindex != ifc.Ifindex {
			t.Fatalf("get-survey message %+v: want survey-info with a frequency for %s", m, name)
		}
		n++
		if s.Frequency.Value == 2412 {
			ch1 = s
		}
	}
	if ch1 == nil || !ch1.Noise.Valid || ch1.Noise.Value >= 0 || !ch1.Time.Valid || !ch1.TimeBusy.Valid || ch1.TimeBusy.Value > ch1.Time.Value {
		t.Fatalf("survey of %d channels on %s: 2412 MHz %+v, want a negative noise level, time and busy time", n, name, ch1)
	}
	t.Logf("survey of %d channels on %s: 2412 MHz noise %d dBm, %d ms on channel, %d ms busy", n, name, ch1.Noise.Value, ch1.Time.Value, ch1.TimeBusy.Value)
}
