package devlink_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/devlink"
	"github.com/ynlgo/ynl/families/devlink/devlinktest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no devlink family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (devlinktest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[devlink.Cmd]genltest.Handler) (*devlink.Client, *genltest.Kernel) {
	t.Helper()
	f := devlinktest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The devlink spec declares no multicast groups; our overlay adds the
// kernel's "config" group, whose notifications TestLiveNotification sees
// from a real kernel in the VM lab.

// handle encodes a devlink instance's bus and device names.
func handle(e *genl.Encoder) {
	e.String(devlink.AttrBusName, "pci")
	e.String(devlink.AttrDevName, "0000:01:00.0")
}

// pciDev is the request naming that instance.
func pciDev() *devlink.Attrs {
	return &devlink.Attrs{BusName: genl.Some("pci"), DevName: genl.Some("0000:01:00.0")}
}

func TestFakeGet(t *testing.T) {
	var e genl.Encoder
	handle(&e)
	e.Uint8(devlink.AttrReloadFailed, 0)
	got := new(devlink.Attrs)
	c, _ := fake(t, map[devlink.Cmd]genltest.Handler{devlink.CmdGet: genltest.Answer(got, e.Bytes())})
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
	e.String(devlink.AttrInfoDriverName, "mlx5_core")
	for _, v := range [][2]string{{"fw.version", "16.35.2000"}, {"fw.psid", "MT_0000000080"}} {
		n := e.Nest(devlink.AttrInfoVersionRunning)
		e.String(devlink.AttrDlInfoVersionInfoVersionName, v[0])
		e.String(devlink.AttrDlInfoVersionInfoVersionValue, v[1])
		e.End(n)
	}
	c, _ := fake(t, map[devlink.Cmd]genltest.Handler{devlink.CmdInfoGet: genltest.Answer(new(devlink.Attrs), e.Bytes())})
	rep, err := c.InfoGet(ctx(t), pciDev())
	if err != nil {
		t.Fatal(err)
	}
	want := pciDev()
	want.InfoDriverName = genl.Some("mlx5_core")
	want.InfoVersionRunning = []devlink.DlInfoVersion{
		{InfoVersionName: genl.Some("fw.version"), InfoVersionValue: genl.Some("16.35.2000")},
		{InfoVersionName: genl.Some("fw.psid"), InfoVersionValue: genl.Some("MT_0000000080")},
	}
	diff(t, "reply", want, rep)
}

func TestFakePortGetDump(t *testing.T) {
	port := func(index uint32, netdev string) []byte {
		var e genl.Encoder
		handle(&e)
		e.Uint32(devlink.AttrPortIndex, index)
		e.Uint16(devlink.AttrPortType, uint16(devlink.PortTypeEth))
		e.String(devlink.AttrPortNetdevName, netdev)
		e.Uint16(devlink.AttrPortFlavour, uint16(devlink.PortFlavourPhysical))
		return e.Bytes()
	}
	c, _ := fake(t, map[devlink.Cmd]genltest.Handler{devlink.CmdPortGet: genltest.Answer(new(devlink.Attrs), port(1, "eth0"), port(2, "eth1"))})
	var got []*devlink.Attrs
	for m, err := range c.PortGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(index uint32, netdev string) *devlink.Attrs {
		d := pciDev()
		d.PortIndex, d.PortType, d.PortNetdevName = genl.Some(index), genl.Some(devlink.PortTypeEth), genl.Some(netdev)
		d.PortFlavour = genl.Some(devlink.PortFlavourPhysical)
		return d
	}
	diff(t, "dump", []*devlink.Attrs{want(1, "eth0"), want(2, "eth1")}, got)
}
