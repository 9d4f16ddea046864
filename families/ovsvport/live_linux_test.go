//go:build linux

package ovsvport

import (
	"os/exec"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/genl"
)

// liveDatapath dials ovs_vport, skipping unless the kernel has it, and
// creates a datapath named name; it returns the client and the datapath's
// ifindex (the ovs header's dp-ifindex).
func liveDatapath(t *testing.T, name string) (*Client, uint32) {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "ovsvport")
	dp := ovsdatapath.New(c.Conn())
	ctx := livetest.Ctx(t)
	if err := dp.New(ctx, &ovsdatapath.Datapath{Name: genl.Some(name), UpcallPID: genl.Some[uint32](0)}); err != nil {
		t.Fatalf("new datapath: %v", err)
	}
	t.Cleanup(func() { _ = dp.Del(livetest.Ctx(t), &ovsdatapath.Datapath{Name: genl.Some(name)}) })
	got, err := dp.Get(ctx, &ovsdatapath.Datapath{Name: genl.Some(name)})
	if err != nil {
		t.Fatal(err)
	}
	return c, got.OvsHeader.DpIfindex
}

// TestLiveVports adds an internal vport and a netdev vport on a veth,
// sees the new notifications, reads them back with get and dump, and
// deletes one.
func TestLiveVports(t *testing.T) {
	c, dpIfindex := liveDatapath(t, "ynlvdp0")
	ctx := livetest.Ctx(t)
	sub := livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupOvsVport))
	hdr := OvsHeader{DpIfindex: dpIfindex}
	if err := c.New(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlvp0"), Type: genl.Some(VportTypeInternal), UpcallPID: []uint32{0}}); err != nil {
		t.Fatalf("new internal vport: %v", err)
	}
	m := livetest.Wait(t, sub, uint8(CmdNew), nil)
	var ntf Vport
	if err := decodeData("new", m.Data, 4, &ntf); err != nil {
		t.Fatal(err)
	}
	if ntf.Name.Value != "ynlvp0" || ntf.Type.Value != VportTypeInternal || ntf.OvsHeader.DpIfindex != dpIfindex || !ntf.PortNo.Valid {
		t.Errorf("new notification: %+v", ntf)
	}

	livetest.Run(t, "ip", "link", "add", "ynlve0", "type", "veth", "peer", "name", "ynlve1")
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", "ynlve0").Run() })
	if err := c.New(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlve0"), Type: genl.Some(VportTypeNetdev), UpcallPID: []uint32{0}}); err != nil {
		t.Fatalf("new netdev vport: %v", err)
	}
	got, err := c.Get(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlve0")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.Type.Value != VportTypeNetdev || got.Ifindex.Value != int32(livetest.Ifindex(t, "ynlve0")) || got.Stats == nil || len(got.UpcallPID) != 1 {
		t.Errorf("get: %+v", got)
	}
	ports := map[string]VportType{}
	for v, err := range c.GetDump(ctx, &Vport{OvsHeader: hdr}) {
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		ports[v.Name.Value] = v.Type.Value
	}
	// Port 0, the datapath's own internal port, comes first.
	want := map[string]VportType{"ynlvdp0": VportTypeInternal, "ynlvp0": VportTypeInternal, "ynlve0": VportTypeNetdev}
	if len(ports) != len(want) {
		t.Errorf("dump: %v, want %v", ports, want)
	}
	for n, ty := range want {
		if ports[n] != ty {
			t.Errorf("dump: port %s type %v, want %v (all %v)", n, ports[n], ty, ports)
		}
	}
	if err := c.Del(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlvp0")}); err != nil {
		t.Fatalf("del: %v", err)
	}
	livetest.Wait(t, sub, uint8(CmdDel), nil)
	_, err = c.Get(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlvp0")})
	livetest.KernelError(t, err, syscall.ENODEV, "")
}

// TestLiveVxlanOptions adds a vxlan vport with a destination port in its
// options and reads the port back: the option is a u16 in the kernel
// (OVS_TUNNEL_ATTR_DST_PORT, nla_get_u16), which it refuses in any other
// size.
func TestLiveVxlanOptions(t *testing.T) {
	c, dpIfindex := liveDatapath(t, "ynlvdp1")
	ctx := livetest.Ctx(t)
	hdr := OvsHeader{DpIfindex: dpIfindex}
	err := c.New(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlvx0"), Type: genl.Some(VportTypeVxlan), UpcallPID: []uint32{0},
		Options: &VportOptions{DstPort: genl.Some[uint16](4790)}})
	if err != nil {
		t.Fatalf("new vxlan vport: %v", err)
	}
	got, err := c.Get(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynlvx0")})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.Type.Value != VportTypeVxlan || got.Options == nil || got.Options.DstPort.Value != 4790 {
		t.Errorf("get: type %v options %+v, want vxlan on port 4790", got.Type.Value, got.Options)
	}
}

// TestLiveErrors: a netdev vport for a device that does not exist, and
// a name over the policy's limit (validation off), which is named.
func TestLiveErrors(t *testing.T) {
	c, dpIfindex := liveDatapath(t, "ynlvdp2")
	ctx := livetest.Ctx(t)
	hdr := OvsHeader{DpIfindex: dpIfindex}
	err := c.New(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynl-nosuchdev"), Type: genl.Some(VportTypeNetdev), UpcallPID: []uint32{0}})
	livetest.KernelError(t, err, syscall.ENODEV, "")
	c.NoValidate = true
	err = c.New(ctx, &Vport{OvsHeader: hdr, Name: genl.Some("ynl-name-much-too-long"), Type: genl.Some(VportTypeInternal), UpcallPID: []uint32{0}})
	livetest.KernelError(t, err, syscall.EINVAL, ".name")
}
