package dynamic

import (
	"testing"

	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// TestNamerSubMessage checks that the namer of rt-link's linkinfo picks
// the data format its kind sibling names.
func TestNamerSubMessage(t *testing.T) {
	f, err := family.Parse("rt-link", rtlink.Descriptor())
	if err != nil {
		t.Fatal(err)
	}
	set := f.AttrSet("linkinfo-attrs")
	if set == nil {
		t.Fatal("no linkinfo-attrs")
	}
	e := genl.NewEncoder(nil)
	e.String(uint16(set.Attr("kind").Value), "bridge")
	data := uint16(set.Attr("data").Value)
	names, hdr, ok := NewNamer(set).(genl.SubMessageNamer).SubMessage(data, e.Bytes())
	if !ok || hdr != 0 || names == nil {
		t.Fatalf("SubMessage: %v %d %v", names, hdr, ok)
	}
	if name, _ := names.AttrName(uint16(f.AttrSet("linkinfo-bridge-attrs").Attr("stp-state").Value)); name != "stp-state" {
		t.Errorf("bridge format names %q, want stp-state", name)
	}
	e = genl.NewEncoder(nil)
	e.String(uint16(set.Attr("kind").Value), "no-such-kind")
	if _, _, ok := NewNamer(set).(genl.SubMessageNamer).SubMessage(data, e.Bytes()); ok {
		t.Error("a kind the spec lacks found a format")
	}
}
