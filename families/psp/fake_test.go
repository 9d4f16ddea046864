package psp

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no psp family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupMgmt), string(GroupUse)}, Ops: ops,
	})
	return New(k.Conn(t)), k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// versions is a psp-versions-cap/ena value: the attributes are the enum
// "version" used as flags (enum-as-flags), a bitmask of 1<<Version, which
// the generated VersionMask types.
func versions(vs ...Version) VersionMask { return VersionMaskOf(vs...) }

// The masks print and marshal their bits by name, and are built and tested
// with Version values.
func TestVersionMask(t *testing.T) {
	m := versions(VersionHdr0AesGcm128, VersionHdr0AesGmac128)
	if uint32(m) != 1<<0|1<<2 {
		t.Fatalf("mask %#x, want 0x5", uint32(m))
	}
	if !m.Has(VersionHdr0AesGmac128) || m.Has(VersionHdr0AesGcm256) {
		t.Errorf("Has: %v", m)
	}
	if got, want := (m | 1<<6).String(), "hdr0-aes-gcm-128|hdr0-aes-gmac-128|0x40"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b, err := json.Marshal(&Dev{PspVersionsEna: genl.Some(m)})
	if err != nil || string(b) != `{"psp-versions-ena":"hdr0-aes-gcm-128|hdr0-aes-gmac-128"}` {
		t.Errorf("JSON %s, %v", b, err)
	}
}

// dev encodes a PSP device by hand.
func dev(id uint32, ena VersionMask) []byte {
	var e genl.Encoder
	e.Uint32(AttrDevID, id)
	e.Uint32(AttrDevIfindex, 10+id)
	e.Uint32(AttrDevPspVersionsCap, uint32(versions(VersionHdr0AesGcm128, VersionHdr0AesGcm256)))
	e.Uint32(AttrDevPspVersionsEna, uint32(ena))
	return e.Bytes()
}

// wantDev is dev, decoded.
func wantDev(id uint32, ena VersionMask) *Dev {
	return &Dev{
		ID: genl.Some(id), Ifindex: genl.Some(10 + id),
		PspVersionsCap: genl.Some(versions(VersionHdr0AesGcm128, VersionHdr0AesGcm256)), PspVersionsEna: genl.Some(ena),
	}
}

func TestFakeDevGet(t *testing.T) {
	got := new(Dev)
	ena := versions(VersionHdr0AesGcm256)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdDevGet): genltest.Answer(got, dev(1, ena))})
	rep, err := c.DevGet(ctx(t), &Dev{ID: genl.Some[uint32](1)})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", &Dev{ID: genl.Some[uint32](1)}, got)
	diff(t, "reply", wantDev(1, ena), rep)
}

func TestFakeDevGetDump(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdDevGet): genltest.Answer(new(Dev), dev(1, 0), dev(2, versions(VersionHdr0AesGcm128)))})
	var got []*Dev
	for m, err := range c.DevGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "dump", []*Dev{wantDev(1, 0), wantDev(2, versions(VersionHdr0AesGcm128))}, got)
}

func TestFakeRXAssoc(t *testing.T) {
	var e genl.Encoder
	e.Uint32(AttrAssocDevID, 1)
	n := e.Nest(AttrAssocRXKey)
	e.Binary(AttrKeysKey, []byte("0123456789abcdef"))
	e.Uint32(AttrKeysSpi, 0x80000001)
	e.End(n)
	got := new(Assoc)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdRXAssoc): genltest.Answer(got, e.Bytes())})
	req := &Assoc{DevID: genl.Some[uint32](1), Version: genl.Some(VersionHdr0AesGcm256), SockFD: genl.Some[uint32](3)}
	rep, err := c.RXAssoc(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &Assoc{DevID: genl.Some[uint32](1), RXKey: &Keys{Key: []byte("0123456789abcdef"), Spi: genl.Some[uint32](0x80000001)}}, rep)
}

func TestFakeDevChangeNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupMgmt)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ena := versions(VersionHdr0AesGcm128, VersionHdr0AesGcm256)
	if err := k.Notify(FamilyName, string(GroupMgmt), uint8(CmdDevChangeNtf), dev(2, ena)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdDevChangeNtf, Msg: wantDev(2, ena)}, n)
}
