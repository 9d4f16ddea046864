package ethtool_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/ethtool/ethtooltest"
	"github.com/ynlgo/ynl/genl"
)

// TestDumpReuseValues dumps messages whose attributes come and go from one
// to the next, with and without genl.ReuseValues: the reused value must
// read exactly as the fresh one each time (nothing left over from the
// message before: a name, a nested bitset, bits, bytes), be the same
// value every time, and leave the strings kept from earlier messages as
// they were.
func TestDumpReuseValues(t *testing.T) {
	bits := func(names ...string) *ethtool.BitsetBits {
		b := &ethtool.BitsetBits{}
		for i, n := range names {
			b.Bit = append(b.Bit, ethtool.BitsetBit{Index: genl.Some(uint32(i)), Name: genl.Some(n), Value: i%2 == 0})
		}
		return b
	}
	sent := []*ethtool.Features{
		{Header: &ethtool.Header{DevIndex: genl.Some[uint32](1), DevName: genl.Some("first")},
			HW:     &ethtool.Bitset{Size: genl.Some[uint32](3), Bits: bits("rx-checksum", "tx-checksum", "sg")},
			Active: &ethtool.Bitset{Value: []byte{7, 0, 0, 0}, Mask: []byte{7, 1, 0, 0}}},
		{Header: &ethtool.Header{DevIndex: genl.Some[uint32](2)},
			Active: &ethtool.Bitset{Nomask: true, Value: []byte{1, 0, 0, 0}}},
		{Header: &ethtool.Header{DevName: genl.Some("third")},
			HW:     &ethtool.Bitset{Bits: bits("gro")},
			Wanted: &ethtool.Bitset{Size: genl.Some[uint32](0)}},
		{},
	}
	fake, err := ethtooltest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	fake.HandleFeaturesGetDump(func(ctx context.Context, req *ethtool.Features) ([]*ethtool.Features, error) {
		return sent, nil
	})
	c := fake.Client()
	ctx := context.Background()
	read := func(opts ...genl.DumpOption) (texts []string, values []*ethtool.Features, names []string) {
		for f, err := range c.FeaturesGetDump(ctx, nil, opts...) {
			if err != nil {
				t.Fatal(err)
			}
			j, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(j))
			values = append(values, f)
			if f.Header != nil {
				names = append(names, f.Header.DevName.Value)
			}
			if f.HW != nil && f.HW.Bits != nil {
				for _, b := range f.HW.Bits.Bit {
					names = append(names, b.Name.Value)
				}
			}
		}
		return texts, values, names
	}
	fresh, freshValues, freshNames := read()
	reused, reusedValues, reusedNames := read(genl.ReuseValues)
	if len(fresh) != len(sent) {
		t.Fatalf("got %d messages, sent %d", len(fresh), len(sent))
	}
	for i, f := range freshValues {
		if diff := cmp.Diff(sent[i], f); diff != "" {
			t.Errorf("message %d, decoded without reuse (-sent +got):\n%s", i, diff)
		}
	}
	if diff := cmp.Diff(fresh, reused); diff != "" {
		t.Errorf("with ReuseValues (-fresh +reused):\n%s", diff)
	}
	for i, v := range reusedValues {
		if v != reusedValues[0] {
			t.Errorf("message %d came in a value of its own (%p, first %p)", i, v, reusedValues[0])
		}
	}
	if diff := cmp.Diff(freshNames, reusedNames); diff != "" {
		t.Errorf("strings kept from a reused dump changed (-fresh +reused):\n%s", diff)
	}
}
