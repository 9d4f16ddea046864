package nl80211_test

import (
	"bytes"
	"testing"

	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/genl"
)

// TestControlPortEthertypeU16: NL80211_ATTR_CONTROL_PORT_ETHERTYPE is a
// 16-bit ethertype (<linux/nl80211.h>; NLA_U16 in the kernel's policy),
// not the flag the spec says: 0x888E goes out as a two-byte payload and
// comes back as the same value.
func TestControlPortEthertypeU16(t *testing.T) {
	e := genl.NewEncoder(nil)
	(&nl80211.Attrs{ControlPortEthertype: genl.Some[uint16](0x888e)}).Encode(e)
	b := e.Bytes()
	// One attribute: length 6 (4 header + 2 payload), type 102, then 0x888E
	// in host order, padded to 8.
	want := []byte{6, 0, byte(nl80211.AttrControlPortEthertype), 0}
	if len(b) != 8 || !bytes.Equal(b[:4], want) {
		t.Fatalf("encoded %x, want header %x and a 2-byte payload", b, want)
	}
	var got nl80211.Attrs
	if err := got.Decode(b); err != nil {
		t.Fatal(err)
	}
	if v, ok := got.ControlPortEthertype.Get(); !ok || v != 0x888e {
		t.Errorf("decoded %v, want 0x888e", got.ControlPortEthertype)
	}
}
