package rtlink

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func live(t *testing.T) (*Client, *netnstest.NS) {
	t.Helper()
	ns := netnstest.New(t)
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ns
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// ipLink is what `ip -j -d link` reports of a link.
type ipLink struct {
	Ifindex  int32    `json:"ifindex"`
	Ifname   string   `json:"ifname"`
	MTU      uint32   `json:"mtu"`
	Flags    []string `json:"flags"`
	Master   string   `json:"master"`
	Address  string   `json:"address"`
	Linkinfo struct {
		InfoKind      string `json:"info_kind"`
		InfoSlaveKind string `json:"info_slave_kind"`
		InfoData      struct {
			StpState *uint32 `json:"stp_state"`
		} `json:"info_data"`
	} `json:"linkinfo"`
}

func ipLinks(t *testing.T, ns *netnstest.NS) map[string]ipLink {
	var links []ipLink
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "-d", "link")), &links); err != nil {
		t.Fatal(err)
	}
	m := map[string]ipLink{}
	for _, l := range links {
		m[l.Ifname] = l
	}
	return m
}

func links(t *testing.T, c *Client) map[string]*LinkAttrs {
	m := map[string]*LinkAttrs{}
	for l, err := range c.GetlinkDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		m[l.Ifname.Value] = l
	}
	return m
}

// vethPeer is the VETH_INFO_PEER payload (linux/veth.h) naming the peer:
// the spec has no veth format, so it travels as the sub-message's raw
// payload, an ifinfomsg and the peer's attributes.
func vethPeer(name string) []byte {
	var e genl.Encoder
	tok := e.Nest(1) // VETH_INFO_PEER
	e.Raw(make([]byte, IfinfomsgSize))
	e.String(AttrLinkAttrsIfname, name)
	e.End(tok)
	return e.Bytes()
}

// TestLiveVethBridge creates a veth pair and a bridge (its linkinfo data
// sub-message carries stp-state), modifies the veth, enslaves it and
// deletes it, checking each step against ip -j -d link.
func TestLiveVethBridge(t *testing.T) {
	c, ns := live(t)
	veth := &LinkAttrs{Ifname: genl.Some("va"), Linkinfo: &LinkinfoAttrs{Kind: genl.Some("veth"), Data: &LinkinfoDataMsg{Raw: vethPeer("vb")}}}
	if err := c.Newlink(ctx(t), veth, genl.Create, genl.Excl); err != nil {
		t.Fatal(err)
	}
	if err := c.Newlink(ctx(t), veth, genl.Create, genl.Excl); !errors.Is(err, unix.EEXIST) {
		t.Errorf("second create with excl: %v, want EEXIST", err)
	}
	br := &LinkAttrs{Ifname: genl.Some("br0"), Linkinfo: &LinkinfoAttrs{Kind: genl.Some("bridge"), Data: &LinkinfoDataMsg{Bridge: &LinkinfoBridgeAttrs{StpState: genl.Some[uint32](1)}}}}
	if err := c.Newlink(ctx(t), br, genl.Create, genl.Excl); err != nil {
		t.Fatal(err)
	}
	got := links(t, c)
	ip := ipLinks(t, ns)
	if len(got) != len(ip) || len(got) != 4 {
		t.Fatalf("links %d, ip lists %d, want 4 (lo, va, vb, br0)", len(got), len(ip))
	}
	for name, l := range got {
		want := ip[name]
		if l.Ifinfomsg.IfiIndex != want.Ifindex || l.MTU.Value != want.MTU || l.Address.String() != want.Address {
			t.Errorf("%s: index %d mtu %d address %s, ip says %d %d %s", name, l.Ifinfomsg.IfiIndex, l.MTU.Value, l.Address, want.Ifindex, want.MTU, want.Address)
		}
		kind := ""
		if li := l.GetLinkinfo(); li != nil {
			kind = li.Kind.Value
		}
		if kind != want.Linkinfo.InfoKind {
			t.Errorf("%s: kind %q, ip says %q", name, kind, want.Linkinfo.InfoKind)
		}
	}
	bd := got["br0"].GetLinkinfo().GetData()
	if bd == nil || bd.Bridge == nil || bd.Bridge.StpState.Value != 1 || *ip["br0"].Linkinfo.InfoData.StpState != 1 {
		t.Errorf("br0 linkinfo data %+v: want bridge stp-state 1", bd)
	}

	// Modify: mtu and up, by index.
	va := got["va"].Ifinfomsg.IfiIndex
	br0 := uint32(got["br0"].Ifinfomsg.IfiIndex)
	set := &LinkAttrs{Ifinfomsg: Ifinfomsg{IfiIndex: va, IfiFlags: IfinfoFlagsUp, IfiChange: uint32(IfinfoFlagsUp)}, MTU: genl.Some[uint32](1400), Master: genl.Some(br0)}
	if err := c.Setlink(ctx(t), set); err != nil {
		t.Fatal(err)
	}
	l, err := c.Getlink(ctx(t), &LinkAttrs{Ifinfomsg: Ifinfomsg{IfiIndex: va}})
	if err != nil {
		t.Fatal(err)
	}
	ipva := ipLinks(t, ns)["va"]
	if l.MTU.Value != 1400 || ipva.MTU != 1400 || l.Ifinfomsg.IfiFlags&IfinfoFlagsUp == 0 {
		t.Errorf("va after setlink: mtu %d flags %v (ip: mtu %d)", l.MTU.Value, l.Ifinfomsg.IfiFlags, ipva.MTU)
	}
	if l.Master.Value != br0 || ipva.Master != "br0" {
		t.Errorf("va master %d (ip: %q), want br0 (%d)", l.Master.Value, ipva.Master, br0)
	}
	li := l.GetLinkinfo()
	if li.SlaveKind.Value != "bridge" || li.SlaveData == nil || li.SlaveData.Bridge == nil || !li.SlaveData.Bridge.State.Valid {
		t.Errorf("va linkinfo %+v: want slave-kind bridge with brport attributes", li)
	}

	if err := c.Dellink(ctx(t), &LinkAttrs{Ifname: genl.Some("va")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Getlink(ctx(t), &LinkAttrs{Ifname: genl.Some("vb")}); !errors.Is(err, unix.ENODEV) {
		t.Errorf("getlink vb after deleting its peer: %v, want ENODEV", err)
	}
	if _, ok := ipLinks(t, ns)["va"]; ok {
		t.Error("ip still lists va")
	}
}

// TestLiveWatchLinkState receives typed notifications while a link goes
// down and up and is deleted: RTM_NEWLINK as *LinkAttrs with the flags,
// and RTM_DELLINK, which the spec lists only as a request.
func TestLiveWatchLinkState(t *testing.T) {
	c, ns := live(t)
	ns.Veth(t, "wa", "wb")
	sub, err := c.Subscribe(ctx(t), GroupRtnlgrpLink)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ns.IP(t, "link", "set", "wa", "down")
	ns.IP(t, "link", "set", "wa", "up")
	ns.IP(t, "link", "del", "wa")
	var events []string
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatal(err)
		}
		l, ok := n.Msg.(*LinkAttrs)
		if !ok || l.Ifname.Value != "wa" {
			continue
		}
		ev := n.Op
		if n.Type == uint16(CmdNewlinkNtf) {
			ev = "down"
			if l.Ifinfomsg.IfiFlags&IfinfoFlagsUp != 0 {
				ev = "up"
			}
		}
		if len(events) == 0 && ev != "down" {
			// The veth's own bring-up may still be notified after we
			// subscribed (linkwatch runs deferred): start at the first
			// down, which only our ip link set causes.
			continue
		}
		if len(events) == 0 || events[len(events)-1] != ev {
			events = append(events, ev)
		}
		if ev == "dellink" {
			break
		}
	}
	want := []string{"down", "up", "down", "dellink"}
	if len(events) != len(want) {
		t.Fatalf("events %v, want %v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Fatalf("events %v, want %v", events, want)
		}
	}
}

// TestLiveBadInput: a sub-message selector the spec lacks is sent and
// decoded raw, a header the kernel rejects fails with the kernel's error,
// and an unknown message type decodes raw.
func TestLiveBadInput(t *testing.T) {
	c, _ := live(t)
	err := c.Newlink(ctx(t), &LinkAttrs{Ifname: genl.Some("x0"), Linkinfo: &LinkinfoAttrs{Kind: genl.Some("no-such-kind")}}, genl.Create)
	if !errors.Is(err, unix.EOPNOTSUPP) {
		t.Errorf("newlink of an unknown kind: %v, want EOPNOTSUPP", err)
	}
	n, err := DecodeNotification(genl.RawMessage{Type: 0x7ff, Data: []byte{1, 2, 3}})
	if err != nil || n.Msg != nil || n.Op != "" || len(n.Raw.Data) != 3 {
		t.Errorf("unknown type: %+v, %v; want it raw", n, err)
	}
	if _, err := DecodeNotification(genl.RawMessage{Type: uint16(CmdNewlinkNtf), Data: []byte{1, 2}}); err == nil {
		t.Error("a newlink shorter than ifinfomsg decoded without error")
	}
}

// TestLiveErrorPath sends bridge data whose stp-state is a byte instead
// of a u32: the kernel's extended ACK points inside the linkinfo data
// sub-message, and the error names the attribute through it.
func TestLiveErrorPath(t *testing.T) {
	c, _ := live(t)
	var e genl.Encoder
	e.Uint8(AttrLinkinfoBridgeAttrsStpState, 1)
	err := c.Newlink(ctx(t), &LinkAttrs{Ifname: genl.Some("br1"), Linkinfo: &LinkinfoAttrs{Kind: genl.Some("bridge"), Data: &LinkinfoDataMsg{Raw: e.Bytes()}}}, genl.Create)
	var ke *genl.Error
	if !errors.As(err, &ke) || ke.AttrPath != ".linkinfo.data.stp-state" {
		t.Errorf("byte-sized stp-state: %v, want the error at .linkinfo.data.stp-state", err)
	}
}
