//go:build linux && vmlab

// Package nl80211guest is a guest-only test for the lab's end-to-end test:
// run inside the VM with mac80211_hwsim radios=2, it checks that nl80211 is
// there and shows two radios. It talks to genetlink directly, so it depends
// on nothing of ours that may be mid-change.
package nl80211guest

import (
	"encoding/binary"
	"os"
	"slices"
	"testing"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func dial(t *testing.T) (*genetlink.Conn, genetlink.Family) {
	t.Helper()
	if os.Getenv("YNL_VMLAB") == "" {
		t.Skip("guest-only test: run it through the vmlab harness")
	}
	c, err := genetlink.Dial(nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	f, err := c.GetFamily("nl80211")
	if err != nil {
		t.Fatalf("GetFamily(nl80211): %v", err)
	}
	return c, f
}

func TestFamilyResolves(t *testing.T) {
	_, f := dial(t)
	var groups []string
	for _, g := range f.Groups {
		groups = append(groups, g.Name)
	}
	t.Logf("nl80211: id %d, version %d, groups %v", f.ID, f.Version, groups)
	for _, want := range []string{"config", "scan", "regulatory", "mlme"} {
		if !slices.Contains(groups, want) {
			t.Errorf("multicast group %q missing from %v", want, groups)
		}
	}
}

// dump runs a dump of cmd and returns each message's attributes.
func dump(t *testing.T, c *genetlink.Conn, f genetlink.Family, cmd uint8, attrs []byte) [][]netlink.Attribute {
	t.Helper()
	req := genetlink.Message{Header: genetlink.Header{Command: cmd, Version: f.Version}, Data: attrs}
	msgs, err := c.Execute(req, f.ID, netlink.Request|netlink.Dump)
	if err != nil {
		t.Fatalf("dump of command %d: %v", cmd, err)
	}
	var out [][]netlink.Attribute
	for _, m := range msgs {
		as, err := netlink.UnmarshalAttributes(m.Data)
		if err != nil {
			t.Fatalf("command %d reply: %v", cmd, err)
		}
		out = append(out, as)
	}
	return out
}

func TestTwoWiphys(t *testing.T) {
	c, f := dial(t)
	ae := netlink.NewAttributeEncoder()
	ae.Flag(unix.NL80211_ATTR_SPLIT_WIPHY_DUMP, true)
	split, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msgs := dump(t, c, f, unix.NL80211_CMD_GET_WIPHY, split)
	wiphys := map[uint32]string{}
	for _, as := range msgs {
		var idx uint32
		var name string
		for _, a := range as {
			switch a.Type {
			case unix.NL80211_ATTR_WIPHY:
				idx = nlenc32(t, a.Data)
			case unix.NL80211_ATTR_WIPHY_NAME:
				name = string(trimNul(a.Data))
			}
		}
		if name != "" {
			wiphys[idx] = name
		}
	}
	t.Logf("split get-wiphy dump: %d messages, wiphys %v", len(msgs), wiphys)
	if len(wiphys) != 2 {
		t.Errorf("got %d wiphys %v, want 2 (mac80211_hwsim radios=2)", len(wiphys), wiphys)
	}
}

func TestTwoInterfaces(t *testing.T) {
	c, f := dial(t)
	var names []string
	for _, as := range dump(t, c, f, unix.NL80211_CMD_GET_INTERFACE, nil) {
		for _, a := range as {
			if a.Type == unix.NL80211_ATTR_IFNAME {
				names = append(names, string(trimNul(a.Data)))
			}
		}
	}
	slices.Sort(names)
	t.Logf("interfaces: %v", names)
	if len(names) != 2 {
		t.Errorf("got interfaces %v, want two (wlan0, wlan1)", names)
	}
}

func nlenc32(t *testing.T, b []byte) uint32 {
	t.Helper()
	if len(b) != 4 {
		t.Fatalf("u32 attribute of %d bytes", len(b))
	}
	return binary.NativeEndian.Uint32(b)
}

func trimNul(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}
