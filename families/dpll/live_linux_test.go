//go:build linux

package dpll

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
)

// TestLiveResolveAndEmptyDumps resolves dpll with its monitor group and
// dumps devices and pins: a machine without DPLL hardware (the VM lab's
// guest) has none, and the kernel answers both dumps with nothing.
func TestLiveResolveAndEmptyDumps(t *testing.T) {
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := livetest.Family(t, c.Conn(), FamilyName, "dpll")
	if _, ok := f.Group(string(GroupMonitor)); !ok {
		t.Errorf("dpll has no %s group: %+v", GroupMonitor, f.Groups)
	}
	sub, err := c.Subscribe(livetest.Ctx(t), GroupMonitor)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	sub.Close()
	n := 0
	for d, err := range c.DeviceGetDump(livetest.Ctx(t), nil) {
		if err != nil {
			t.Fatalf("device-get dump: %v", err)
		}
		n++
		t.Logf("device %+v", d)
	}
	for p, err := range c.PinGetDump(livetest.Ctx(t), nil) {
		if err != nil {
			t.Fatalf("pin-get dump: %v", err)
		}
		n++
		t.Logf("pin %+v", p)
	}
	if livetest.InLab() && n != 0 {
		t.Errorf("the lab's guest has no DPLL hardware, yet %d objects were dumped", n)
	}
}
