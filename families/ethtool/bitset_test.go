package ethtool

import (
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
)

// words lays out 32-bit words in host order, as the kernel sends a
// compact bitset.
func words(ws ...uint32) []byte {
	b := make([]byte, 0, 4*len(ws))
	for _, w := range ws {
		b = binary.NativeEndian.AppendUint32(b, w)
	}
	return b
}

var testStrs = []string{"a", "b", "c", "d", 33: "bit33", 34: ""}

func TestBitsetCompact(t *testing.T) {
	list := &Bitset{Nomask: true, Size: genl.Some[uint32](35), Value: words(0b1010, 1<<1)}
	got, err := list.Names(testStrs)
	if err != nil || !slices.Equal(got, []string{"b", "d", "bit33"}) {
		t.Errorf("list Names = %q, %v; want [b d bit33]", got, err)
	}
	masked := &Bitset{Size: genl.Some[uint32](35), Value: words(0b0010, 0), Mask: words(0b0110, 1<<1)}
	m, err := masked.Map(testStrs)
	if d := cmp.Diff(map[string]bool{"b": true, "c": false, "bit33": false}, m); err != nil || d != "" {
		t.Errorf("masked Map (-want +got), err %v:\n%s", err, d)
	}
	if on, err := masked.Has(testStrs, "b"); !on || err != nil {
		t.Errorf("Has(b) = %v, %v; want true", on, err)
	}
	// A bit of the string set the mask leaves out is off, not unknown.
	if on, err := masked.Has(testStrs, "a"); on || err != nil {
		t.Errorf("Has(a) = %v, %v; want false, nil", on, err)
	}
	if on, err := list.Has(testStrs, "c"); on || err != nil {
		t.Errorf("list Has(c) = %v, %v; want false, nil", on, err)
	}
}

// TestBitsetHasUnknown checks a name no bit has is an error naming it,
// not a bit that is off.
func TestBitsetHasUnknown(t *testing.T) {
	masked := &Bitset{Size: genl.Some[uint32](35), Value: words(0b0010, 0), Mask: words(0b0110, 1<<1)}
	if on, err := masked.Has(testStrs, "no-such-name"); on || err == nil || !strings.Contains(err.Error(), `no bit named "no-such-name"`) {
		t.Errorf("compact Has(no-such-name) = %v, %v; want an error naming it", on, err)
	}
	verbose := BitsetFromNames(map[string]bool{"rx-gro": false, "tx-nocache-copy": true})
	if on, err := verbose.Has(nil, "rx-gro"); on || err != nil {
		t.Errorf("verbose Has(rx-gro) = %v, %v; want false, nil", on, err)
	}
	if on, err := verbose.Has(nil, "rx-gr0"); on || err == nil || !strings.Contains(err.Error(), `no bit named "rx-gr0"`) {
		t.Errorf("verbose Has(rx-gr0) = %v, %v; want an error naming it", on, err)
	}
	if on, err := verbose.Has([]string{"rx-gro", "tx-nocache-copy", "rx-lro"}, "rx-lro"); on || err != nil {
		t.Errorf("verbose Has(rx-lro) with the string set = %v, %v; want false, nil", on, err)
	}
}

func TestBitsetCompactErrors(t *testing.T) {
	for name, b := range map[string]*Bitset{
		"short value":  {Nomask: true, Size: genl.Some[uint32](40), Value: words(1)},
		"short mask":   {Size: genl.Some[uint32](40), Value: words(1, 0), Mask: words(1)},
		"unnamed bit":  {Nomask: true, Size: genl.Some[uint32](64), Value: words(0, 1<<2)},
		"empty string": {Nomask: true, Size: genl.Some[uint32](35), Value: words(0, 1<<2)},
		"huge size":    {Nomask: true, Size: genl.Some[uint32](0xffffffff), Value: words(1)},
	} {
		if _, err := b.Names(testStrs); err == nil || !strings.HasPrefix(err.Error(), "ethtool bitset: ") {
			t.Errorf("%s: Names error = %v, want an ethtool bitset error", name, err)
		}
	}
}

func TestBitsetVerbose(t *testing.T) {
	b := &Bitset{Size: genl.Some[uint32](4), Bits: &BitsetBits{Bit: []BitsetBit{
		{Index: genl.Some[uint32](0), Name: genl.Some("a"), Value: true},
		{Index: genl.Some[uint32](2), Name: genl.Some("c")},
		{Index: genl.Some[uint32](3), Value: true}, // named by the string set
	}}}
	got, err := b.Names(testStrs)
	if err != nil || !slices.Equal(got, []string{"a", "d"}) {
		t.Errorf("Names = %q, %v; want [a d]", got, err)
	}
	if _, err := b.Names(nil); err == nil || !strings.Contains(err.Error(), "bits.bit[2]: bit 3 has no name") {
		t.Errorf("Names(nil) error = %v, want one naming bits.bit[2]", err)
	}
	b.Nomask = true
	if got, _ := b.Names(testStrs); !slices.Equal(got, []string{"a", "c", "d"}) {
		t.Errorf("list Names = %q, want every listed bit", got)
	}
	var none *Bitset
	if got, err := none.Names(nil); got != nil || err != nil {
		t.Errorf("nil Names = %q, %v", got, err)
	}
}

func TestBitsetFromNamesRoundTrip(t *testing.T) {
	want := map[string]bool{"tx-nocache-copy": true, "rx-gro": false}
	b := BitsetFromNames(want)
	var e genl.Encoder
	b.Encode(&e)
	var back Bitset
	if err := back.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if back.Nomask || back.Bits == nil || back.Bits.Bit[0].Name.Value != "rx-gro" {
		t.Fatalf("decoded %+v: want a masked verbose bitset in name order", back)
	}
	got, err := back.Map(nil)
	if d := cmp.Diff(want, got); err != nil || d != "" {
		t.Errorf("round trip (-want +got), err %v:\n%s", err, d)
	}
	l := BitsetList("x", "y")
	if names, _ := l.Names(nil); !l.Nomask || !slices.Equal(names, []string{"x", "y"}) {
		t.Errorf("BitsetList = %+v, names %q", l, names)
	}
}

// FuzzBitsetNames feeds any attributes the decoder accepts to the bitset
// readers: they return names or an error, never panic.
func FuzzBitsetNames(f *testing.F) {
	for _, b := range []*Bitset{
		BitsetFromNames(map[string]bool{"a": true, "b": false}),
		{Nomask: true, Size: genl.Some[uint32](35), Value: words(0b1010, 1<<1)},
		{Size: genl.Some[uint32](35), Value: words(1, 0), Mask: words(3, 1)},
		{Size: genl.Some[uint32](4), Bits: &BitsetBits{Bit: []BitsetBit{{Index: genl.Some[uint32](3), Value: true}}}},
	} {
		var e genl.Encoder
		b.Encode(&e)
		f.Add(e.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Bitset
		if b.Decode(data) != nil {
			return
		}
		_, _ = b.Names(testStrs)
		_, _ = b.Map(nil)
	})
}
