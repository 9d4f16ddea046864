//go:build linux

package devlink_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/devlink"
	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// live dials devlink on a kernel that has it and makes a netdevsim
// device with two ports, skipping where netdevsim is not loaded.
func live(t *testing.T) (*devlink.Client, *livetest.NetdevsimDevice) {
	t.Helper()
	c, err := devlink.Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), devlink.FamilyName, "devlink")
	return c, livetest.Netdevsim(t, 2, 4)
}

func dev(d *livetest.NetdevsimDevice) *devlink.Attrs {
	return &devlink.Attrs{BusName: genl.Some(d.BusName), DevName: genl.Some(d.DevName)}
}

// TestLiveGet gets the netdevsim instance and finds it in a dump.
func TestLiveGet(t *testing.T) {
	c, d := live(t)
	ctx := livetest.Ctx(t)
	got, err := c.Get(ctx, dev(d))
	if err != nil {
		t.Fatalf("get %s: %v", d.Handle(), err)
	}
	if got.BusName.Value != d.BusName || got.DevName.Value != d.DevName {
		t.Errorf("get %s: got %s/%s", d.Handle(), got.BusName.Value, got.DevName.Value)
	}
	found := false
	for m, err := range c.GetDump(ctx, nil) {
		if err != nil {
			t.Fatalf("get dump: %v", err)
		}
		found = found || m.DevName.Value == d.DevName
	}
	if !found {
		t.Errorf("get dump: no %s", d.Handle())
	}
	t.Logf("%s: netdevs %v", d.Handle(), d.Netdevs)
}
