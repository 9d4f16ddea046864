package dpll_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/dpll"
	"github.com/ynlgo/ynl/families/dpll/dplltest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no dpll family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (dplltest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[dpll.Cmd]genltest.Handler) (*dpll.Client, *genltest.Kernel) {
	t.Helper()
	f := dplltest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// device encodes a dpll device by hand.
func device(id uint32, status dpll.LockStatus) []byte {
	var e genl.Encoder
	e.Uint32(dpll.AttrID, id)
	e.String(dpll.AttrModuleName, "ice")
	e.Uint64(dpll.AttrClockID, 0x1122334455667788)
	e.Uint32(dpll.AttrMode, uint32(dpll.ModeAutomatic))
	e.Uint32(dpll.AttrModeSupported, uint32(dpll.ModeManual))
	e.Uint32(dpll.AttrModeSupported, uint32(dpll.ModeAutomatic))
	e.Uint32(dpll.AttrLockStatus, uint32(status))
	e.Int32(dpll.AttrTemp, -1500)
	e.Uint32(dpll.AttrType, uint32(dpll.TypeEec))
	return e.Bytes()
}

// wantDevice is device, decoded.
func wantDevice(id uint32, status dpll.LockStatus) *dpll.Attrs {
	return &dpll.Attrs{
		ID: genl.Some(id), ModuleName: genl.Some("ice"), ClockID: genl.Some[uint64](0x1122334455667788),
		Mode: genl.Some(dpll.ModeAutomatic), ModeSupported: []dpll.Mode{dpll.ModeManual, dpll.ModeAutomatic},
		LockStatus: genl.Some(status), Temp: genl.Some[int32](-1500), Type: genl.Some(dpll.TypeEec),
	}
}

func TestFakeDeviceGet(t *testing.T) {
	got := new(dpll.Attrs)
	c, _ := fake(t, map[dpll.Cmd]genltest.Handler{dpll.CmdDeviceGet: genltest.Answer(got, device(3, dpll.LockStatusLocked))})
	req := &dpll.Attrs{ID: genl.Some[uint32](3)}
	rep, err := c.DeviceGet(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantDevice(3, dpll.LockStatusLocked), rep)
}

func TestFakePinGetDump(t *testing.T) {
	pin := func(id uint32, label string) []byte {
		var e genl.Encoder
		e.Uint32(dpll.AttrPinID, id)
		e.String(dpll.AttrPinBoardLabel, label)
		e.Uint32(dpll.AttrPinType, uint32(dpll.PinTypeExt))
		e.Uint64(dpll.AttrPinFrequency, 10000000)
		n := e.Nest(dpll.AttrPinParentDevice)
		e.Uint32(dpll.AttrPinParentDeviceParentID, 3)
		e.Uint32(dpll.AttrPinParentDevicePrio, 2)
		e.End(n)
		return e.Bytes()
	}
	c, _ := fake(t, map[dpll.Cmd]genltest.Handler{dpll.CmdPinGet: genltest.Answer(new(dpll.Pin), pin(10, "SMA1"), pin(11, "SMA2"))})
	var got []*dpll.Pin
	for m, err := range c.PinGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(id uint32, label string) *dpll.Pin {
		return &dpll.Pin{
			ID: genl.Some(id), BoardLabel: genl.Some(label), Type: genl.Some(dpll.PinTypeExt), Frequency: genl.Some[uint64](10000000),
			ParentDevice: []dpll.PinParentDevice{{ParentID: genl.Some[uint32](3), Prio: genl.Some[uint32](2)}},
		}
	}
	diff(t, "dump", []*dpll.Pin{want(10, "SMA1"), want(11, "SMA2")}, got)
}

func TestFakeDeviceChangeNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), dpll.GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify(dpll.FamilyName, string(dpll.GroupMonitor), uint8(dpll.CmdDeviceChangeNtf), device(3, dpll.LockStatusHoldover)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", dpll.Notification{Cmd: dpll.CmdDeviceChangeNtf, Msg: wantDevice(3, dpll.LockStatusHoldover)}, n)
}
