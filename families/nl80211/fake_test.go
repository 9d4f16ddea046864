package nl80211_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/families/nl80211/nl80211test"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no nl80211 family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (nl80211test),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[nl80211.Cmd]genltest.Handler) (*nl80211.Client, *genltest.Kernel) {
	t.Helper()
	f := nl80211test.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// iface encodes an interface the way the kernel reports it.
func iface(ifindex uint32, name string, typ nl80211.Iftype) []byte {
	var e genl.Encoder
	e.Uint32(nl80211.AttrWiphy, 0)
	e.Uint32(nl80211.AttrIfindex, ifindex)
	e.String(nl80211.AttrIfname, name)
	e.Uint32(nl80211.AttrIftype, uint32(typ))
	e.Uint32(nl80211.AttrGeneration, 5)
	e.Binary(nl80211.AttrSsid, []byte("ynl-test"))
	return e.Bytes()
}

// wantIface is iface, decoded.
func wantIface(ifindex uint32, name string, typ nl80211.Iftype) *nl80211.Attrs {
	return &nl80211.Attrs{
		Wiphy: genl.Some[uint32](0), Ifindex: genl.Some(ifindex), Ifname: genl.Some(name),
		Iftype: genl.Some(typ), Generation: genl.Some[uint32](5), Ssid: []byte("ynl-test"),
	}
}

func TestFakeGetInterface(t *testing.T) {
	got := new(nl80211.Attrs)
	c, _ := fake(t, map[nl80211.Cmd]genltest.Handler{nl80211.CmdGetInterface: genltest.Answer(got, iface(3, "wlan0", nl80211.IftypeStation))})
	req := &nl80211.Attrs{Ifindex: genl.Some[uint32](3)}
	rep, err := c.GetInterface(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantIface(3, "wlan0", nl80211.IftypeStation), rep)
}

func TestFakeGetWiphyDump(t *testing.T) {
	wiphy := func(id uint32, name string) []byte {
		var e genl.Encoder
		e.Uint32(nl80211.AttrWiphy, id)
		e.String(nl80211.AttrWiphyName, name)
		n := e.Nest(nl80211.AttrSupportedIftypes)
		e.Flag(nl80211.AttrSupportedIftypesStation)
		e.Flag(nl80211.AttrSupportedIftypesAp)
		e.End(n)
		return e.Bytes()
	}
	c, _ := fake(t, map[nl80211.Cmd]genltest.Handler{nl80211.CmdGetWiphy: genltest.Answer(new(nl80211.Attrs), wiphy(0, "phy0"), wiphy(1, "phy1"))})
	var got []*nl80211.Attrs
	for m, err := range c.GetWiphyDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(id uint32, name string) *nl80211.Attrs {
		return &nl80211.Attrs{Wiphy: genl.Some(id), WiphyName: genl.Some(name), SupportedIftypes: &nl80211.SupportedIftypes{Station: true, Ap: true}}
	}
	diff(t, "dump", []*nl80211.Attrs{want(0, "phy0"), want(1, "phy1")}, got)
}

func TestFakeNewInterfaceNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), nl80211.GroupConfig)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify(nl80211.FamilyName, string(nl80211.GroupConfig), uint8(nl80211.CmdNewInterfaceNtf), iface(4, "wlan1", nl80211.IftypeAp)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", nl80211.Notification{Cmd: nl80211.CmdNewInterfaceNtf, Msg: wantIface(4, "wlan1", nl80211.IftypeAp)}, n)
}
