package nl80211

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no nl80211 family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupConfig), string(GroupScan), string(GroupRegulatory), string(GroupMlme)}, Ops: ops,
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

// iface encodes an interface the way the kernel reports it.
func iface(ifindex uint32, name string, typ Iftype) []byte {
	var e genl.Encoder
	e.Uint32(AttrWiphy, 0)
	e.Uint32(AttrIfindex, ifindex)
	e.String(AttrIfname, name)
	e.Uint32(AttrIftype, uint32(typ))
	e.Uint32(AttrGeneration, 5)
	e.Binary(AttrSsid, []byte("ynl-test"))
	return e.Bytes()
}

// wantIface is iface, decoded.
func wantIface(ifindex uint32, name string, typ Iftype) *Attrs {
	return &Attrs{
		Wiphy: genl.Some[uint32](0), Ifindex: genl.Some(ifindex), Ifname: genl.Some(name),
		Iftype: genl.Some(typ), Generation: genl.Some[uint32](5), Ssid: []byte("ynl-test"),
	}
}

func TestFakeGetInterface(t *testing.T) {
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGetInterface): genltest.Answer(got, iface(3, "wlan0", IftypeStation))})
	req := &Attrs{Ifindex: genl.Some[uint32](3)}
	rep, err := c.GetInterface(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantIface(3, "wlan0", IftypeStation), rep)
}

func TestFakeGetWiphyDump(t *testing.T) {
	wiphy := func(id uint32, name string) []byte {
		var e genl.Encoder
		e.Uint32(AttrWiphy, id)
		e.String(AttrWiphyName, name)
		n := e.Nest(AttrSupportedIftypes)
		e.Flag(AttrSupportedIftypesStation)
		e.Flag(AttrSupportedIftypesAp)
		e.End(n)
		return e.Bytes()
	}
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGetWiphy): genltest.Answer(new(Attrs), wiphy(0, "phy0"), wiphy(1, "phy1"))})
	var got []*Attrs
	for m, err := range c.GetWiphyDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(id uint32, name string) *Attrs {
		return &Attrs{Wiphy: genl.Some(id), WiphyName: genl.Some(name), SupportedIftypes: &SupportedIftypes{Station: true, Ap: true}}
	}
	diff(t, "dump", []*Attrs{want(0, "phy0"), want(1, "phy1")}, got)
}

func TestFakeNewInterfaceNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify(FamilyName, string(GroupConfig), uint8(CmdNewInterfaceNtf), iface(4, "wlan1", IftypeAp)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdNewInterfaceNtf, Msg: wantIface(4, "wlan1", IftypeAp)}, n)
}
