package dpll

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no dpll family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupMonitor)}, Ops: ops,
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

// device encodes a dpll device by hand.
func device(id uint32, status LockStatus) []byte {
	var e genl.Encoder
	e.Uint32(AttrID, id)
	e.String(AttrModuleName, "ice")
	e.Uint64(AttrClockID, 0x1122334455667788)
	e.Uint32(AttrMode, uint32(ModeAutomatic))
	e.Uint32(AttrModeSupported, uint32(ModeManual))
	e.Uint32(AttrModeSupported, uint32(ModeAutomatic))
	e.Uint32(AttrLockStatus, uint32(status))
	e.Int32(AttrTemp, -1500)
	e.Uint32(AttrType, uint32(TypeEec))
	return e.Bytes()
}

// wantDevice is device, decoded.
func wantDevice(id uint32, status LockStatus) *Attrs {
	return &Attrs{
		ID: genl.Some(id), ModuleName: genl.Some("ice"), ClockID: genl.Some[uint64](0x1122334455667788),
		Mode: genl.Some(ModeAutomatic), ModeSupported: []Mode{ModeManual, ModeAutomatic},
		LockStatus: genl.Some(status), Temp: genl.Some[int32](-1500), Type: genl.Some(TypeEec),
	}
}

func TestFakeDeviceGet(t *testing.T) {
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdDeviceGet): genltest.Answer(got, device(3, LockStatusLocked))})
	req := &Attrs{ID: genl.Some[uint32](3)}
	rep, err := c.DeviceGet(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", wantDevice(3, LockStatusLocked), rep)
}

func TestFakePinGetDump(t *testing.T) {
	pin := func(id uint32, label string) []byte {
		var e genl.Encoder
		e.Uint32(AttrPinID, id)
		e.String(AttrPinBoardLabel, label)
		e.Uint32(AttrPinType, uint32(PinTypeExt))
		e.Uint64(AttrPinFrequency, 10000000)
		n := e.Nest(AttrPinParentDevice)
		e.Uint32(AttrPinParentDeviceParentID, 3)
		e.Uint32(AttrPinParentDevicePrio, 2)
		e.End(n)
		return e.Bytes()
	}
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdPinGet): genltest.Answer(new(Pin), pin(10, "SMA1"), pin(11, "SMA2"))})
	var got []*Pin
	for m, err := range c.PinGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(id uint32, label string) *Pin {
		return &Pin{
			ID: genl.Some(id), BoardLabel: genl.Some(label), Type: genl.Some(PinTypeExt), Frequency: genl.Some[uint64](10000000),
			ParentDevice: []PinParentDevice{{ParentID: genl.Some[uint32](3), Prio: genl.Some[uint32](2)}},
		}
	}
	diff(t, "dump", []*Pin{want(10, "SMA1"), want(11, "SMA2")}, got)
}

func TestFakeDeviceChangeNtf(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify(FamilyName, string(GroupMonitor), uint8(CmdDeviceChangeNtf), device(3, LockStatusHoldover)); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdDeviceChangeNtf, Msg: wantDevice(3, LockStatusHoldover)}, n)
}
