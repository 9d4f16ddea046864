package devlink

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no devlink family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: nil, Ops: ops,
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

// The devlink spec declares no multicast groups, so there are no
// notifications to test.

// handle encodes a devlink instance's bus and device names.
func handle(e *genl.Encoder) {
	e.String(AttrBusName, "pci")
	e.String(AttrDevName, "0000:01:00.0")
}

// pciDev is the request naming that instance.
func pciDev() *Attrs {
	return &Attrs{BusName: genl.Some("pci"), DevName: genl.Some("0000:01:00.0")}
}

func TestFakeGet(t *testing.T) {
	var e genl.Encoder
	handle(&e)
	e.Uint8(AttrReloadFailed, 0)
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGet): genltest.Answer(got, e.Bytes())})
	rep, err := c.Get(ctx(t), pciDev())
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", pciDev(), got)
	want := pciDev()
	want.ReloadFailed = genl.Some[uint8](0)
	diff(t, "reply", want, rep)
}

func TestFakeInfoGet(t *testing.T) {
	var e genl.Encoder
	handle(&e)
	e.String(AttrInfoDriverName, "mlx5_core")
	for _, v := range [][2]string{{"fw.version", "16.35.2000"}, {"fw.psid", "MT_0000000080"}} {
		n := e.Nest(AttrInfoVersionRunning)
		e.String(AttrDlInfoVersionInfoVersionName, v[0])
		e.String(AttrDlInfoVersionInfoVersionValue, v[1])
		e.End(n)
	}
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdInfoGet): genltest.Answer(new(Attrs), e.Bytes())})
	rep, err := c.InfoGet(ctx(t), pciDev())
	if err != nil {
		t.Fatal(err)
	}
	want := pciDev()
	want.InfoDriverName = genl.Some("mlx5_core")
	want.InfoVersionRunning = []DlInfoVersion{
		{InfoVersionName: genl.Some("fw.version"), InfoVersionValue: genl.Some("16.35.2000")},
		{InfoVersionName: genl.Some("fw.psid"), InfoVersionValue: genl.Some("MT_0000000080")},
	}
	diff(t, "reply", want, rep)
}

func TestFakePortGetDump(t *testing.T) {
	port := func(index uint32, netdev string) []byte {
		var e genl.Encoder
		handle(&e)
		e.Uint32(AttrPortIndex, index)
		e.Uint16(AttrPortType, uint16(PortTypeEth))
		e.String(AttrPortNetdevName, netdev)
		e.Uint16(AttrPortFlavour, uint16(PortFlavourPhysical))
		return e.Bytes()
	}
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdPortGet): genltest.Answer(new(Attrs), port(1, "eth0"), port(2, "eth1"))})
	var got []*Attrs
	for m, err := range c.PortGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(index uint32, netdev string) *Attrs {
		d := pciDev()
		d.PortIndex, d.PortType, d.PortNetdevName = genl.Some(index), genl.Some(PortTypeEth), genl.Some(netdev)
		d.PortFlavour = genl.Some(PortFlavourPhysical)
		return d
	}
	diff(t, "dump", []*Attrs{want(1, "eth0"), want(2, "eth1")}, got)
}
