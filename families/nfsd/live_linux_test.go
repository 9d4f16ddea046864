//go:build linux

package nfsd

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

func liveClient(t *testing.T) *Client {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "nfsd")
	return c
}

// TestLiveServer configures a stopped NFS server: protocol versions and
// pool mode set and read back, the thread settings read, and the RPC
// status dump, which fails with ENODEV while no server runs. (The exportd group's
// cache-notify needs a running server with exports; it is not tested.)
func TestLiveServer(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	vers, err := c.VersionGet(ctx)
	if err != nil {
		t.Fatalf("version-get: %v", err)
	}
	t.Logf("versions: %+v", vers.Version)
	have := map[[2]uint32]bool{}
	for _, v := range vers.Version {
		have[[2]uint32{v.Major.Value, v.Minor.Value}] = v.Enabled
	}
	if _, ok := have[[2]uint32{3, 0}]; !ok {
		t.Errorf("version-get: no NFSv3 in %+v", vers.Version)
	}
	if _, ok := have[[2]uint32{4, 2}]; !ok {
		t.Errorf("version-get: no NFSv4.2 in %+v", vers.Version)
	}

	set := []Version{
		{Major: genl.Some[uint32](3), Enabled: true},
		{Major: genl.Some[uint32](4), Minor: genl.Some[uint32](0)},
		{Major: genl.Some[uint32](4), Minor: genl.Some[uint32](1), Enabled: true},
		{Major: genl.Some[uint32](4), Minor: genl.Some[uint32](2), Enabled: true},
	}
	if err := c.VersionSet(ctx, &ServerProto{Version: set}); err != nil {
		t.Fatalf("version-set: %v", err)
	}
	vers, err = c.VersionGet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vers.Version {
		if v.Major.Value == 4 && v.Minor.Value == 0 && v.Enabled || v.Major.Value == 4 && v.Minor.Value == 2 && !v.Enabled {
			t.Errorf("after version-set: %+v", v)
		}
	}

	if err := c.PoolModeSet(ctx, &PoolMode{Mode: genl.Some("global")}); err != nil {
		t.Fatalf("pool-mode-set: %v", err)
	}
	pm, err := c.PoolModeGet(ctx)
	if err != nil {
		t.Fatalf("pool-mode-get: %v", err)
	}
	if pm.Mode.Value != "global" || !pm.Npools.Valid {
		t.Errorf("pool-mode-get: %+v", pm)
	}

	th, err := c.ThreadsGet(ctx)
	if err != nil {
		t.Fatalf("threads-get: %v", err)
	}
	if th.Gracetime.Value == 0 || th.Leasetime.Value == 0 {
		t.Errorf("threads-get: %+v, want the grace and lease times", th)
	}
	// With no server running the dump itself fails, from the kernel.
	for s, err := range c.RpcStatusGetDump(ctx, nil) {
		if err == nil {
			t.Fatalf("rpc-status-get dump with no server: %+v", s)
		}
		livetest.KernelError(t, err, syscall.ENODEV, "")
		break
	}
}

// TestLiveErrors: a pool mode the kernel does not know, and an unlock-ip
// address shorter than the policy's 16 bytes (validation off), out of
// range for the kernel, which names the attribute.
func TestLiveErrors(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	livetest.KernelError(t, c.PoolModeSet(ctx, &PoolMode{Mode: genl.Some("no-such-mode")}), syscall.EINVAL, "")
	f, err := c.Conn().Family(ctx, FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Op(uint8(CmdUnlockIP)); !ok {
		t.Skipf("kernel %s has no nfsd unlock-ip op (new in 7.x)", livetest.Release())
	}
	c.NoValidate = true
	livetest.KernelError(t, c.UnlockIP(ctx, &UnlockIP{Address: []byte{2, 0, 0, 0}}), syscall.ERANGE, ".address")
}
