package psp_test

import (
	"encoding/json"
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/psp"
	"github.com/ynlgo/ynl/families/psp/psptest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no psp family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (psptest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[psp.Cmd]genltest.Handler) (*psp.Client, *genltest.Kernel) {
	t.Helper()
	f := psptest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// versions is a psp-versions-cap/ena value: the attributes are the enum
// "version" used as flags (enum-as-flags), a bitmask of 1<<Version, which
// the generated VersionMask types.
func versions(vs ...psp.Version) psp.VersionMask { return psp.VersionMaskOf(vs...) }

// The masks print and marshal their bits by name, and are built and tested
// with Version values.
func TestVersionMask(t *testing.T) {
	m := versions(psp.VersionHdr0AesGcm128, psp.VersionHdr0AesGmac128)
	if uint32(m) != 1<<0|1<<2 {
		t.Fatalf("mask %#x, want 0x5", uint32(m))
	}
	if !m.Has(psp.VersionHdr0AesGmac128) || m.Has(psp.VersionHdr0AesGcm256) {
		t.Errorf("Has: %v", m)
	}
	if got, want := (m | 1<<6).String(), "hdr0-aes-gcm-128|hdr0-aes-gmac-128|0x40"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := json.Marshal(&psp.Dev{PspVersionsEna: genl.Some(m)})
	if err != nil || string(b) != `{"psp-versions-ena":"hdr0-aes-gcm-128|hdr0-aes-gmac-128"}` {
		t.Errorf("JSON %s, %v", b, err)
	}
}

// dev encodes a PSP device by hand.
func dev(id uint32, ena psp.VersionMask) []byte {
	var e genl.Encoder
	e.Uint32(psp.AttrDevID, id)
	e.Uint32(psp.AttrDevIfindex, 10+id)
	e.Uint32(psp.AttrDevPspVersionsCap, uint32(versions(psp.VersionHdr0AesGcm128, psp.VersionHdr0AesGcm256)))
	e.Uint32(psp.AttrDevPspVersionsEna, uint32(ena))
	return e.Bytes()
}

// wantDev is dev, decoded.
func wantDev(id uint32, ena psp.VersionMask) *psp.Dev {
	return &psp.Dev{
		ID: genl.Some(id), Ifindex: genl.Some(10 + id),
		PspVersionsCap: genl.Some(versions(psp.VersionHdr0AesGcm128, psp.VersionHdr0AesGcm256)), PspVersionsEna: genl.Some(ena),
	}
}

func TestFakeDevGet(t *testing.T) {
	got := new(psp.Dev)
	ena := versions(psp.VersionHdr0AesGcm256)
	c, _ := fake(t, map[psp.Cmd]genltest.Handler{psp.CmdDevGet: genltest.Answer(got, dev(1, ena))})
	rep, err := c.DevGet(ctx(t), &psp.Dev{ID: genl.Some[uint32](1)})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", &psp.Dev{ID: genl.Some[uint32](1)}, got)
	diff(t, "reply", wantDev(1, ena), rep)
}

func TestFakeDevGetDump(t *testing.T) {
	c, _ := fake(t, map[psp.Cmd]genltest.Handler{psp.CmdDevGet: genltest.Answer(new(psp.Dev), dev(1, 0), dev(2, versions(psp.VersionHdr0AesGcm128)))})
	var got []*psp.Dev
	for m, err := range c.DevGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*psp.Dev{wantDev(1, 0), wantDev(2, versions(psp.VersionHdr0AesGcm128))}, got)
}

func TestFakeRXAssoc(t *testing.T) {
	var e genl.Encoder
	e.Uint32(psp.AttrAssocDevID, 1)
	n := e.Nest(psp.AttrAssocRXKey)
	e.Binary(psp.AttrKeysKey, []byte("0123456789abcdef"))
	e.Uint32(psp.AttrKeysSpi, 0x80000001)
	e.End(n)
	got := new(psp.Assoc)
	c, _ := fake(t, map[psp.Cmd]genltest.Handler{psp.CmdRXAssoc: genltest.Answer(got, e.Bytes())})
	req := &psp.Assoc{DevID: genl.Some[uint32](1), Version: genl.Some(psp.VersionHdr0AesGcm256), SockFD: genl.Some[uint32](3)}
	rep, err := c.RXAssoc(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &psp.Assoc{DevID: genl.Some[uint32](1), RXKey: &psp.Keys{Key: []byte("0123456789abcdef"), Spi: genl.Some[uint32](0x80000001)}}, rep)
}

func TestFakeDevChangeNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), psp.GroupMgmt)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ena := versions(psp.VersionHdr0AesGcm128, psp.VersionHdr0AesGcm256)
	if err := k.Notify(psp.FamilyName, string(psp.GroupMgmt), uint8(psp.CmdDevChangeNtf), dev(2, ena)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", psp.Notification{Cmd: psp.CmdDevChangeNtf, Msg: wantDev(2, ena)}, n)
}
