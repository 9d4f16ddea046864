package nl80211_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/nl80211"
)

// TestControlPortEthertypeWiphyFlag: in get-wiphy replies the kernel puts
// NL80211_ATTR_CONTROL_PORT_ETHERTYPE as a flag (nla_put_flag: "also used
// as a flag in the wiphy information", <linux/nl80211.h>), so a wiphy
// reply carrying it as an empty attribute must decode. (The request side's
// u16 is recorded in the drift expectations.)
func TestControlPortEthertypeWiphyFlag(t *testing.T) {
	// One attribute: length 4 (header only), type 102.
	b := []byte{4, 0, byte(nl80211.AttrControlPortEthertype), 0}
	var got nl80211.Attrs
	if err := got.Decode(b); err != nil {
		t.Fatalf("decode a wiphy reply's flag: %v", err)
	}
	if !got.ControlPortEthertype {
		t.Errorf("ControlPortEthertype = false, want true")
	}
}
