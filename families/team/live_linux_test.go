//go:build linux

package team

import (
	"encoding/binary"
	"os/exec"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// Netlink attribute types the kernel puts in TEAM_ATTR_OPTION_TYPE.
const (
	nlaU32    = 3
	nlaString = 5
	nlaFlag   = 6
)

// liveTeam dials team, skipping unless the kernel has it, and creates a
// team device with iproute2; it returns the client and its ifindex.
func liveTeam(t *testing.T, name string) (*Client, uint32) {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "team")
	livetest.Run(t, "ip", "link", "add", name, "type", "team")
	t.Cleanup(func() { _ = exec.Command("ip", "link", "del", name).Run() })
	return c, livetest.Ifindex(t, name)
}

func options(t *testing.T, c *Client, ifindex uint32) map[string]AttrOption {
	t.Helper()
	rep, err := c.OptionsGet(livetest.Ctx(t), &Attrs{Ifindex: genl.Some(ifindex)})
	if err != nil {
		t.Fatalf("options-get: %v", err)
	}
	if rep.Ifindex.Value != ifindex || rep.ListOption == nil {
		t.Fatalf("options-get: %+v", rep)
	}
	out := map[string]AttrOption{}
	for _, o := range rep.ListOption.Option {
		key := o.Name.Value
		if o.PortIfindex.Valid {
			continue // per-port options
		}
		out[key] = o
	}
	return out
}

// TestLiveOptions reads a team's options (all of them: the entries are
// repeated), changes one with options-set while subscribed to
// change_event, sees the event, and reads the new value back.
func TestLiveOptions(t *testing.T) {
	c, ifindex := liveTeam(t, "ynlteam0")
	opts := options(t, c, ifindex)
	t.Logf("%d options", len(opts))
	if len(opts) < 5 {
		t.Errorf("options-get: %d options %v, want the team's whole list", len(opts), opts)
	}
	mode, ok := opts["mode"]
	if !ok || mode.Type.Value != nlaString {
		t.Errorf("option mode: %+v (present %v), want a string", mode, ok)
	}
	rejoin, ok := opts["mcast_rejoin_count"]
	if !ok || rejoin.Type.Value != nlaU32 || len(rejoin.Data) != 4 {
		t.Fatalf("option mcast_rejoin_count: %+v (present %v), want a u32", rejoin, ok)
	}

	sub := livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupChangeEvent))
	data := binary.NativeEndian.AppendUint32(nil, 7)
	_, err := c.OptionsSet(livetest.Ctx(t), &Attrs{Ifindex: genl.Some(ifindex), ListOption: &ItemOption{Option: []AttrOption{
		{Name: genl.Some("mcast_rejoin_count"), Type: genl.Some[uint8](nlaU32), Data: data},
	}}})
	if err != nil && !errorsIsNoReply(err) {
		t.Fatalf("options-set: %v", err)
	}
	m := livetest.Wait(t, sub, uint8(CmdOptionsGet), nil)
	n, err := DecodeNotification(m)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := n.Msg.(*Attrs)
	if ev == nil || ev.Ifindex.Value != ifindex || ev.ListOption == nil || len(ev.ListOption.Option) != 1 {
		t.Fatalf("change event: %+v", n.Msg)
	}
	if o := ev.ListOption.Option[0]; o.Name.Value != "mcast_rejoin_count" || !o.Changed || binary.NativeEndian.Uint32(o.Data) != 7 {
		t.Errorf("change event option: %+v", o)
	}
	if got := options(t, c, ifindex)["mcast_rejoin_count"]; binary.NativeEndian.Uint32(got.Data) != 7 {
		t.Errorf("mcast_rejoin_count after set: %x, want 7", got.Data)
	}
}

func errorsIsNoReply(err error) bool {
	for e := err; e != nil; {
		if e == ErrNoReply {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// TestLivePorts adds two veths to a team and lists them: both entries come
// back (repeated), and the port event arrives on change_event.
func TestLivePorts(t *testing.T) {
	c, ifindex := liveTeam(t, "ynlteam1")
	sub := livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupChangeEvent))
	for _, p := range []string{"ynltp0", "ynltp2"} {
		livetest.Run(t, "ip", "link", "add", p, "type", "veth", "peer", "name", p+"p")
		t.Cleanup(func() { _ = exec.Command("ip", "link", "del", p).Run() })
		livetest.Run(t, "ip", "link", "set", p, "master", "ynlteam1")
	}
	livetest.Wait(t, sub, uint8(CmdPortListGet), nil)
	rep, err := c.PortListGet(livetest.Ctx(t), &Attrs{Ifindex: genl.Some(ifindex)})
	if err != nil {
		t.Fatalf("port-list-get: %v", err)
	}
	want := map[uint32]bool{livetest.Ifindex(t, "ynltp0"): true, livetest.Ifindex(t, "ynltp2"): true}
	if rep.ListPort == nil || len(rep.ListPort.Port) != 2 {
		t.Fatalf("port-list-get: %+v, want two ports", rep.ListPort)
	}
	for _, p := range rep.ListPort.Port {
		if !want[p.Ifindex.Value] {
			t.Errorf("port %+v not one of %v", p, want)
		}
	}
}

// TestLiveErrors: options-get of a device that is not a team, and an
// option name over the policy's 32 bytes (validation off), which the
// kernel names.
func TestLiveErrors(t *testing.T) {
	c, ifindex := liveTeam(t, "ynlteam2")
	_, err := c.OptionsGet(livetest.Ctx(t), &Attrs{Ifindex: genl.Some[uint32](1)}) // lo
	livetest.KernelError(t, err, syscall.EINVAL, "")
	c.NoValidate = true
	// A listener on change_event, or options-set fails with ESRCH first.
	livetest.Subscribe(t, c.Conn(), FamilyName, string(GroupChangeEvent))
	_, err = c.OptionsSet(livetest.Ctx(t), &Attrs{Ifindex: genl.Some(ifindex), ListOption: &ItemOption{Option: []AttrOption{
		{Name: genl.Some("an-option-name-longer-than-32-bytes"), Type: genl.Some[uint8](nlaU32), Data: make([]byte, 4)},
	}}})
	livetest.KernelError(t, err, syscall.ERANGE, ".list-option.option.name")
}
