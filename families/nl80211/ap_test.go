package nl80211_test

import (
	"bytes"
	"net"
	"sync"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// apKernel records what the AccessPoint sends to a fake kernel.
type apKernel struct {
	mu         sync.Mutex
	registered []uint16
	frames     [][]byte
	stations   []*nl80211.Attrs
	deleted    []*nl80211.Attrs
	present    map[string]bool // stations added and not deleted, by MAC
}

func (k *apKernel) handlers(t *testing.T) map[nl80211.Cmd]genltest.Handler {
	decode := func(req genltest.Request) *nl80211.Attrs {
		m := new(nl80211.Attrs)
		if err := m.Decode(req.Attrs); err != nil {
			t.Errorf("request %d: %v", req.Command, err)
		}
		return m
	}
	return map[nl80211.Cmd]genltest.Handler{
		nl80211.CmdRegisterFrame: func(req genltest.Request) ([]genltest.Reply, error) {
			m := decode(req)
			if m.FrameMatch == nil || m.Ifindex.Value != 4 {
				t.Errorf("register-frame %+v: want ifindex 4 and a frame-match", m)
			}
			k.mu.Lock()
			k.registered = append(k.registered, m.FrameType.Value)
			k.mu.Unlock()
			return nil, nil
		},
		nl80211.CmdFrame: func(req genltest.Request) ([]genltest.Reply, error) {
			m := decode(req)
			k.mu.Lock()
			k.frames = append(k.frames, m.Frame)
			k.mu.Unlock()
			var e genl.Encoder
			e.Uint64(nl80211.AttrCookie, uint64(len(k.frames)))
			return []genltest.Reply{{Attrs: e.Bytes()}}, nil
		},
		nl80211.CmdNewStation: func(req genltest.Request) ([]genltest.Reply, error) {
			m := decode(req)
			k.mu.Lock()
			defer k.mu.Unlock()
			if k.present[m.MAC.String()] {
				return nil, syscall.EEXIST // as mac80211 answers
			}
			if k.present == nil {
				k.present = map[string]bool{}
			}
			k.present[m.MAC.String()] = true
			k.stations = append(k.stations, m)
			return nil, nil
		},
		nl80211.CmdDelStation: func(req genltest.Request) ([]genltest.Reply, error) {
			m := decode(req)
			k.mu.Lock()
			k.deleted = append(k.deleted, m)
			delete(k.present, m.MAC.String())
			k.mu.Unlock()
			return nil, syscall.ENOENT // as if already gone: not an error for the MLME
		},
	}
}

// frameNtf wraps a received frame as the kernel's frame notification.
func frameNtf(hdr []byte, body ...byte) *nl80211.Attrs {
	return &nl80211.Attrs{Ifindex: genl.Some[uint32](4), Frame: append(append([]byte(nil), hdr...), body...)}
}

// The access point's and the client's addresses (frames_test.go's, in
// the internal tests).
var (
	apMAC  = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x01, 0x00}
	staMAC = net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0x00}
)

// mgmtHdr is a header of a frame from the client to the AP.
func mgmtHdr(fc byte) []byte {
	h := []byte{fc, 0x00, 0x3a, 0x01}
	h = append(h, apMAC...)
	h = append(h, staMAC...)
	h = append(h, apMAC...)
	return append(h, 0x20, 0x00)
}

// TestFakeAccessPoint runs the MLME through an authentication, an
// association and a deauthentication against a fake kernel, and checks
// the frames and station it sends, byte by byte.
func TestFakeAccessPoint(t *testing.T) {
	var k apKernel
	c, _ := fake(t, k.handlers(t))
	ap := &nl80211.AccessPoint{Client: c, Ifindex: 4, BSSID: apMAC, Rates: []nl80211.Rate{0x82, 0x84}}
	if err := ap.Start(ctx(t)); err != nil {
		t.Fatal(err)
	}
	defer ap.Close()
	diff(t, "registered frame types", []uint16{nl80211.FrameAuth, nl80211.FrameAssocRequest, nl80211.FrameReassocRequest, nl80211.FrameDeauth, nl80211.FrameDisassoc}, k.registered)

	ev, err := ap.Handle(ctx(t), frameNtf(mgmtHdr(0xb0), 0, 0, 1, 0, 0, 0))
	if err != nil || ev.Frame != nl80211.FrameAuth || !bytes.Equal(ev.Peer, staMAC) || ev.Status != 0 {
		t.Fatalf("auth: %+v, %v", ev, err)
	}
	ev, err = ap.Handle(ctx(t), frameNtf(mgmtHdr(0x00), 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01, 'x', 0x01, 0x02, 0x82, 0x8b))
	if err != nil || ev.Frame != nl80211.FrameAssocRequest || ev.AID != 1 {
		t.Fatalf("assoc: %+v, %v", ev, err)
	}
	hdr := func(fc byte) []byte {
		h := []byte{fc, 0x00, 0x00, 0x00}
		h = append(h, staMAC...)
		h = append(h, apMAC...)
		h = append(h, apMAC...)
		return append(h, 0x00, 0x00)
	}
	diff(t, "frames sent", [][]byte{
		append(hdr(0xb0), 0x00, 0x00, 0x02, 0x00, 0x00, 0x00),
		append(hdr(0x10), 0x01, 0x00, 0x00, 0x00, 0x01, 0xc0, 0x01, 0x02, 0x82, 0x84),
	}, k.frames)
	const flags = 1<<nl80211.StaFlagAuthorized | 1<<nl80211.StaFlagAuthenticated | 1<<nl80211.StaFlagAssociated
	diff(t, "station added", []*nl80211.Attrs{{
		Ifindex: genl.Some[uint32](4), MAC: staMAC, StaFlags2: &nl80211.StaFlagUpdate{Mask: flags, Set: flags},
		StaSupportedRates: []byte{0x82, 0x8b}, StaAid: genl.Some[uint16](1),
		StaListenInterval: genl.Some[uint16](10), StaCapability: genl.Some[uint16](1),
	}}, k.stations)

	// The client sends its association request again (it gave up waiting
	// for our response, as mac80211 does after 200 ms, which under
	// emulation can pass): the station is there, the same AID is answered.
	ev, err = ap.Handle(ctx(t), frameNtf(mgmtHdr(0x00), 0x01, 0x00, 0x0a, 0x00, 0x00, 0x01, 'x', 0x01, 0x02, 0x82, 0x8b))
	if err != nil || ev.Frame != nl80211.FrameAssocRequest || ev.AID != 1 || !ev.Repeated || len(k.stations) != 1 ||
		len(k.frames) != 3 || !bytes.Equal(k.frames[2], k.frames[1]) {
		t.Fatalf("repeated assoc: %+v, %v, %d stations, %d frames sent", ev, err, len(k.stations), len(k.frames))
	}

	ev, err = ap.Handle(ctx(t), frameNtf(mgmtHdr(0xc0), 0x03, 0x00))
	if err != nil || ev.Frame != nl80211.FrameDeauth || ev.Status != 3 || len(k.deleted) != 1 || !bytes.Equal(k.deleted[0].MAC, staMAC) {
		t.Fatalf("deauth: %+v, %v, deleted %+v", ev, err, k.deleted)
	}

	// Frames the MLME must refuse.
	shared := frameNtf(mgmtHdr(0xb0), 1, 0, 1, 0, 0, 0)
	if ev, err := ap.Handle(ctx(t), shared); err != nil || ev.Status != 13 {
		t.Errorf("shared-key auth: %+v, %v: want status 13 sent", ev, err)
	}
	other := frameNtf(mgmtHdr(0xb0), 0, 0, 1, 0, 0, 0)
	copy(other.Frame[16:22], staMAC)
	if _, err := ap.Handle(ctx(t), other); err == nil {
		t.Error("frame for another BSSID: no error")
	}
	if _, err := ap.Handle(ctx(t), frameNtf(mgmtHdr(0x00), 0x01, 0x00)); err == nil {
		t.Error("association request without rates: no error")
	}
	if _, err := ap.Handle(ctx(t), frameNtf(mgmtHdr(0xb0)[:10])); err == nil {
		t.Error("truncated frame: no error")
	}
}

// TestFakeWiphysMerge serves a split dump of two wiphys, each over three
// messages, and checks that Wiphys asked for the split and merged them.
func TestFakeWiphysMerge(t *testing.T) {
	msg := func(id uint32, f func(e *genl.Encoder)) []byte {
		var e genl.Encoder
		e.Uint32(nl80211.AttrWiphy, id)
		f(&e)
		return e.Bytes()
	}
	band := func(e *genl.Encoder, freqs ...uint32) {
		b := e.Nest(nl80211.AttrWiphyBands)
		n := e.Nest(nl80211.AttrWiphyBandsN2ghz)
		fs := e.Nest(nl80211.AttrBandAttrsFreqs)
		for i, f := range freqs {
			x := e.Nest(uint16(i + 1))
			e.Uint32(nl80211.AttrFrequencyAttrsFreq, f)
			e.End(x)
		}
		e.End(fs)
		e.End(n)
		e.End(b)
	}
	var replies [][]byte
	for id := uint32(0); id < 2; id++ {
		replies = append(replies,
			msg(id, func(e *genl.Encoder) { e.String(nl80211.AttrWiphyName, "phy"+string(rune('0'+id))) }),
			msg(id, func(e *genl.Encoder) { band(e, 2412, 2417) }),
			msg(id, func(e *genl.Encoder) {
				band(e, 2422)
				c := e.Nest(nl80211.AttrSupportedCommands)
				e.Uint32(1, uint32(nl80211.CommandsConnect))
				e.End(c)
			}))
	}
	got := new(nl80211.Attrs)
	c, _ := fake(t, map[nl80211.Cmd]genltest.Handler{nl80211.CmdGetWiphy: genltest.Answer(got, replies...)})
	phys, err := c.Wiphys(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if !got.SplitWiphyDump {
		t.Error("the dump request lacks split-wiphy-dump")
	}
	if len(phys) != 2 {
		t.Fatalf("%d wiphys, want 2", len(phys))
	}
	for i, w := range phys {
		if w.Index != uint32(i) || w.Name != "phy"+string(rune('0'+i)) || w.Messages != 3 || !w.Supports(nl80211.CommandsConnect) || w.Supports(nl80211.CommandsDisconnect) {
			t.Errorf("wiphy %d: %+v", i, w)
		}
		diff(t, "frequencies", []uint32{2412, 2417, 2422}, w.Frequencies())
	}
}
