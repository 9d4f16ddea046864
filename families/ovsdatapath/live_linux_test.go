//go:build linux

package ovsdatapath

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// OVS_DP_CMD_NEW and OVS_DP_CMD_DEL, whose replies the kernel multicasts.
const cmdNew, cmdDel = 1, 2

func liveClient(t *testing.T) *Client {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "ovsdatapath")
	return c
}

// TestLiveDatapath creates a datapath, sees its notification, reads it
// with a get and a dump, and deletes it.
func TestLiveDatapath(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	sub := livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupOvsDatapath))
	err := c.New(ctx, &Datapath{Name: genl.Some("ynldp0"), UpcallPID: genl.Some[uint32](0),
		UserFeatures: genl.Some(UserFeatures(1))}) // OVS_DP_F_UNALIGNED
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	deleted := false
	t.Cleanup(func() {
		if !deleted {
			_ = c.Del(livetest.Ctx(t), &Datapath{Name: genl.Some("ynldp0")})
		}
	})
	m := livetest.Wait(t, sub, cmdNew, nil)
	var ntf Datapath
	if err := decodeData("new", m.Data, 4, &ntf); err != nil {
		t.Fatalf("new notification: %v", err)
	}
	if ntf.Name.Value != "ynldp0" || ntf.OvsHeader.DpIfindex == 0 {
		t.Errorf("new notification: name %q dp-ifindex %d", ntf.Name.Value, ntf.OvsHeader.DpIfindex)
	}

	got, err := c.Get(ctx, &Datapath{Name: genl.Some("ynldp0")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.OvsHeader.DpIfindex != ntf.OvsHeader.DpIfindex || got.Stats == nil || got.MegaflowStats == nil {
		t.Errorf("get: %+v", got)
	}
	if got.UserFeatures.Value&1 == 0 {
		t.Errorf("user-features %v: want unaligned set", got.UserFeatures)
	}
	if got.Ifindex.Valid && got.Ifindex.Value != int32(livetest.Ifindex(t, "ynldp0")) {
		t.Errorf("ifindex %d, want ynldp0's %d", got.Ifindex.Value, livetest.Ifindex(t, "ynldp0"))
	}
	t.Logf("get: dp-ifindex %d, stats %+v, masks-cache-size %v", got.OvsHeader.DpIfindex, *got.Stats, got.MasksCacheSize)

	found := 0
	for d, err := range c.GetDump(ctx, nil) {
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		if d.Name.Value == "ynldp0" {
			found++
		}
	}
	if found != 1 {
		t.Errorf("dump: ynldp0 seen %d times, want once", found)
	}

	if err := c.Del(ctx, &Datapath{Name: genl.Some("ynldp0")}); err != nil {
		t.Fatalf("del: %v", err)
	}
	deleted = true
	livetest.Wait(t, sub, cmdDel, nil)
	_, err = c.Get(ctx, &Datapath{Name: genl.Some("ynldp0")})
	livetest.KernelError(t, err, syscall.ENODEV, "")
}

// TestLiveErrors gets kernel errors: a name longer than the policy allows
// (validation off) names the attribute; a second datapath of the same
// name exists already.
func TestLiveErrors(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	c.NoValidate = true
	err := c.New(ctx, &Datapath{Name: genl.Some("ynl-name-much-too-long"), UpcallPID: genl.Some[uint32](0)})
	livetest.KernelError(t, err, syscall.EINVAL, ".name")
	if err := c.New(ctx, &Datapath{Name: genl.Some("ynldp1"), UpcallPID: genl.Some[uint32](0)}); err != nil {
		t.Fatalf("new: %v", err)
	}
	t.Cleanup(func() { _ = c.Del(livetest.Ctx(t), &Datapath{Name: genl.Some("ynldp1")}) })
	err = c.New(ctx, &Datapath{Name: genl.Some("ynldp1"), UpcallPID: genl.Some[uint32](0)})
	livetest.KernelError(t, err, syscall.EEXIST, "")
}
