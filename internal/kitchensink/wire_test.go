package kitchensink

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// attr builds one netlink attribute by hand: a host-order header, the
// payload, and zero padding to 4 bytes.
func attr(typ uint16, payload ...byte) []byte {
	b := binary.NativeEndian.AppendUint16(nil, uint16(4+len(payload)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func nest(typ uint16, attrs ...[]byte) []byte { return attr(typ|0x8000, bytes.Join(attrs, nil)...) }

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

func TestWireLayout(t *testing.T) {
	pair := Pair{Port: 0x0102, Weight: 0x0304, Count: 5, Label: "ab", Hwaddr: [6]byte{1, 2, 3, 4, 5, 6}, Total: 0x0807060504030201}
	var pairWire []byte
	pairWire = append(pairWire, 0x01, 0x02)                                     // port, big-endian
	pairWire = binary.NativeEndian.AppendUint16(pairWire, 0x0304)               // weight, host order
	pairWire = binary.NativeEndian.AppendUint32(pairWire, 5)                    // count
	pairWire = append(pairWire, 'a', 'b', 0, 0, 0, 0, 0, 0)                     // label[8]
	pairWire = append(pairWire, 1, 2, 3, 4, 5, 6, 0, 0)                         // hwaddr[6], reserved[2]
	pairWire = append(pairWire, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08) // total, little-endian

	for _, c := range []struct {
		name string
		m    Attrs
		want []byte
	}{
		{"u8 padded to 4", Attrs{U8: genl.Some[uint8](9)}, attr(AttrU8, 9)},
		{"string with NUL", Attrs{Name: genl.Some("abc")}, attr(AttrName, 'a', 'b', 'c', 0)},
		{"flag", Attrs{Enabled: true}, attr(AttrEnabled)},
		{"be16", Attrs{Be16: genl.Some[uint16](0x1234)}, attr(AttrBe16, 0x12, 0x34)},
		{"be32", Attrs{Be32: genl.Some[uint32](0x01020304)}, attr(AttrBe32, 1, 2, 3, 4)},
		{"be64", Attrs{Be64: genl.Some[uint64](0x0102030405060708)}, attr(AttrBe64, 1, 2, 3, 4, 5, 6, 7, 8)},
		{"uint small is 4 bytes", Attrs{Uint: genl.Some[uint64](1)}, attr(AttrUint, u32(1)...)},
		{"uint large is 8 bytes", Attrs{Uint: genl.Some[uint64](1 << 32)}, attr(AttrUint, u64(1<<32)...)},
		{"sint -1 is 4 bytes", Attrs{Sint: genl.Some[int64](-1)}, attr(AttrSint, 0xff, 0xff, 0xff, 0xff)},
		{"bitfield32 value then selector", Attrs{OptsSel: genl.Some(Bitfield32{Value: 1, Selector: 3})},
			attr(AttrOptsSel, append(u32(1), u32(3)...)...)},
		{"ipv4 in a big-endian u32", Attrs{Addr4: netip.MustParseAddr("192.0.2.1")}, attr(AttrAddr4, 192, 0, 2, 1)},
		{"binary u16 array, big-endian", Attrs{Be16Array: []uint16{0x0102, 0x0304}}, attr(AttrBe16Array, 1, 2, 3, 4)},
		{"indexed array counts from 1", Attrs{IdxU32: []uint32{7, 9}},
			nest(AttrIdxU32, attr(1, u32(7)...), attr(2, u32(9)...))},
		{"multi-attr repeats the type", Attrs{MultiU32: []uint32{7, 9}},
			append(attr(AttrMultiU32, u32(7)...), attr(AttrMultiU32, u32(9)...)...)},
		{"nest sets NLA_F_NESTED", Attrs{Inner: &Inner{ID: genl.Some[uint32](3)}},
			nest(AttrInner, attr(AttrInnerID, u32(3)...))},
		{"nest-type-value keys in order", Attrs{Table: map[uint16]map[uint16]Inner{
			2: {5: {}}, 1: {9: {ID: genl.Some[uint32](1)}}}},
			nest(AttrTable, nest(1, nest(9, attr(AttrInnerID, u32(1)...))), nest(2, nest(5)))},
		{"packed struct", Attrs{Pair: &pair}, attr(AttrPair, pairWire...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := encode(&c.m)
			if !bytes.Equal(got, c.want) {
				t.Errorf("encode:\n got % x\nwant % x", got, c.want)
			}
			var back Attrs
			if err := back.Decode(c.want); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !bytes.Equal(encode(&back), c.want) {
				t.Errorf("decode lost data: re-encoded % x", encode(&back))
			}
		})
	}
}

func TestDecodeAcceptsAnyIndex(t *testing.T) {
	b := nest(AttrIdxU32, attr(0, u32(5)...), attr(7, u32(6)...), attr(3, u32(7)...))
	var m Attrs
	if err := m.Decode(b); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{5, 6, 7}; !slicesEqual(m.IdxU32, want) {
		t.Errorf("IdxU32 = %v, want %v (wire order)", m.IdxU32, want)
	}
}

func slicesEqual(a, b []uint32) bool { return bytes.Equal(u32s(a), u32s(b)) }

func u32s(v []uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.NativeEndian.AppendUint32(b, x)
	}
	return b
}

func TestDecodeAcceptsEightByteUint(t *testing.T) {
	var m Attrs
	if err := m.Decode(attr(AttrUint, u64(3)...)); err != nil {
		t.Fatal(err)
	}
	if m.Uint.Value != 3 {
		t.Errorf("Uint = %v, want 3", m.Uint)
	}
}

func TestDecodeSkipsUnknownAndPad(t *testing.T) {
	b := append(attr(200, 1, 2, 3), attr(AttrPad, 0, 0, 0, 0)...)
	b = append(b, attr(AttrU16, 1, 0)...)
	var m Attrs
	if err := m.Decode(b); err != nil {
		t.Fatal(err)
	}
	if !m.U16.Valid {
		t.Error("the attribute after the unknown ones was lost")
	}
}

func TestDecodeErrorsNameThePath(t *testing.T) {
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"short u32", attr(AttrU32, 1, 2), "decode .u32: want 4 bytes, got 2"},
		{"in a nest", nest(AttrInner, attr(AttrInnerID, 1)), "decode .inner.id: want 4 bytes, got 1"},
		{"two nests down", nest(AttrInner, nest(AttrInnerChild, attr(AttrInnerValue, 1, 2, 3, 4))),
			"decode .inner.child.value: want 8 bytes, got 4"},
		{"in an indexed array", nest(AttrIdxInner, nest(4, attr(AttrInnerID, 1))),
			"decode .idx-inner.4.id: want 4 bytes, got 1"},
		{"in a nest-type-value", nest(AttrTable, nest(2, nest(3, attr(AttrInnerLabel)))),
			""},
		{"short struct", attr(AttrPair, 1, 2, 3), "decode .pair: want 32 bytes, got 3"},
		{"bad address", attr(AttrAddr6, 1, 2, 3, 4), "decode .addr6: want an IP address, got 4 bytes"},
		{"odd binary array", attr(AttrU32Array, 1, 2, 3), "decode .u32-array: want a multiple of 4 bytes"},
		{"truncated header", []byte{8, 0}, "trailing bytes"},
		{"length past the end", []byte{40, 0, 1, 0, 0, 0, 0, 0}, "exceeds"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var m Attrs
			err := m.Decode(c.b)
			if c.want == "" {
				if err != nil {
					t.Fatalf("valid input rejected: %v", err)
				}
				return
			}
			var de *genl.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v, want a *genl.DecodeError", err)
			}
			if !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
				t.Errorf("err = %q, want it to contain %q", err, c.want)
			}
		})
	}
}
