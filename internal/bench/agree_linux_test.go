package bench

import (
	"encoding/binary"
	"math/bits"
	"testing"

	"github.com/google/go-cmp/cmp"
	mdethtool "github.com/mdlayher/ethtool"
	"github.com/ynlgo/ynl/families/ethtool"
)

// device is what both libraries report of one device, for comparison.
type device struct {
	Index   int
	Port    int
	Speed   int
	Duplex  int
	Autoneg int
	Ours    int // advertised link modes
}

// TestDumpsAgree checks that both libraries see every veth with the same
// values, so the benchmarks compare the same work.
func TestDumpsAgree(t *testing.T) {
	c := dial(t)
	ynl, md := map[string]*device{}, map[string]*device{}
	at := func(m map[string]*device, name string, index int) *device {
		if m[name] == nil {
			m[name] = &device{Index: index}
		}
		return m[name]
	}

	infos, err := ynlLinkinfos(t.Context(), c.ynl)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range infos {
		at(ynl, l.Header.DevName.Value, int(l.Header.DevIndex.Value)).Port = int(l.Port.Value)
	}
	modes, err := ynlLinkmodes(t.Context(), c.ynl)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range modes {
		d := at(ynl, l.Header.DevName.Value, int(l.Header.DevIndex.Value))
		d.Speed, d.Duplex, d.Autoneg = int(l.Speed.Value), int(l.Duplex.Value), int(l.Autoneg.Value)
		d.Ours = advertised(l.Ours)
	}

	mdInfos, err := c.md.LinkInfos()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range mdInfos {
		at(md, l.Interface.Name, l.Interface.Index).Port = int(l.Port)
	}
	mdModes, err := c.md.LinkModes()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range mdModes {
		d := at(md, l.Interface.Name, l.Interface.Index)
		d.Speed, d.Duplex, d.Autoneg, d.Ours = l.SpeedMegabits, int(l.Duplex), int(l.Autoneg), len(l.Ours)
	}

	if err := errCount("ynl", len(ynl)); err != nil {
		t.Error(err)
	}
	if d := cmp.Diff(md, ynl); d != "" {
		t.Errorf("devices (-mdlayher +ynl):\n%s", d)
	}
	if v := ynl["vb0a"]; v == nil || v.Speed != 10000 || v.Duplex != int(mdethtool.Full) {
		t.Errorf("vb0a = %+v, want a veth's 10000 Mb/s full duplex", v)
	}
}

// advertised counts the modes set in a compact bitset, masked unless
// the bitset says it has no mask.
func advertised(b *ethtool.Bitset) int {
	if b == nil {
		return 0
	}
	n := 0
	for i := 0; i+4 <= len(b.Value); i += 4 {
		v := binary.NativeEndian.Uint32(b.Value[i:])
		if !b.Nomask && i+4 <= len(b.Mask) {
			v &= binary.NativeEndian.Uint32(b.Mask[i:])
		}
		n += bits.OnesCount32(v)
	}
	return n
}
