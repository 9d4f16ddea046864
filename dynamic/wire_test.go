package dynamic

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// TestWireChoices pins the bytes of the choices the generated code makes
// too (little-endian host assumed for the expected hex).
func TestWireChoices(t *testing.T) {
	set := loadTest(t, "everything.yaml").AttrSet("main")
	tests := []struct {
		in, want string
	}{
		// uint: 4 bytes when it fits, 8 when not.
		{`{"uint":1}`, "0800090001000000"},
		{`{"uint":4294967296}`, "0c0009000000000001000000"},
		// sint: 4 bytes for int32 range.
		{`{"sint":-1}`, "08000a00ffffffff"},
		// big-endian u16, padded to 4.
		{`{"be16":258}`, "06000b0001020000"},
		// strings NUL-terminated and padded.
		{`{"str":"ab"}`, "07000d0061620000"},
		// nests carry NLA_F_NESTED (0x8000).
		{`{"inner":{"id":1}}`, "0c001c80" + "0800010001000000"},
		// indexed-array entries numbered from 1, entries nested.
		{`{"u16-array":[5,6]}`, "14002080" + "0600010005000000" + "0600020006000000"},
		// flag is zero length; false sends nothing.
		{`{"flag":true}`, "04001700"},
		{`{"flag":false}`, ""},
		// bitfield32: value then selector.
		{`{"bits":{"value":["write"],"selector":["write","exec"]}}`, "0c001800" + "02000000" + "06000000"},
		// multi-attr repeats the attribute.
		{`{"many":[1,2]}`, "08001d0001000000" + "08001d0002000000"},
	}
	for _, tt := range tests {
		b, err := Encode(set, jsonObj(t, tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if got := hex.EncodeToString(b); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestEncodeErrorsNamePath(t *testing.T) {
	f := loadTest(t, "everything.yaml")
	set := f.AttrSet("main")
	tests := []struct{ in, want string }{
		{`{"u8":256}`, "encode .u8: value 256 out of range for u8"},
		{`{"s8":-129}`, "encode .s8: value -129 out of range for s8"},
		{`{"u32":-1}`, "encode .u32: value -1 out of range for u32"},
		{`{"u64":18446744073709551616}`, "encode .u64: 18446744073709551616 does not fit in 64 bits"},
		{`{"u32":1.5}`, `encode .u32: 1.5 is not an integer`},
		{`{"u32":"1.5"}`, `encode .u32: "1.5" is not an integer`},
		{`{"nope":1}`, `encode .nope: unknown attribute (attribute set "main")`},
		{`{"inner":{"deep":{"lvl":1}}}`, `encode .inner.deep.lvl: unknown attribute (attribute set "deep")`},
		{`{"inner":{"deep":{"level":300}}}`, "encode .inner.deep.level: value 300 out of range for u8"},
		{`{"inners":[{"id":1},{"id":"x"}]}`, `encode .inners[1].id: "x" is not an integer`},
		{`{"color":"purple"}`, `encode .color: "purple" is not an entry of enum color`},
		{`{"perms":["read","fly"]}`, `encode .perms: "fly" is not a flag of perms`},
		{`{"point":{"tag":"toolongtag"}}`, "encode .point.tag: value is 10 bytes, member holds 6"},
		{`{"point":{"z":1}}`, `encode .point.z: unknown member (struct "point")`},
		{`{"mac":"zz"}`, `encode .mac: "zz" is not hex data`},
		{`{"str":5}`, "encode .str: want a string, got the number 5"},
		{`{"inner":[]}`, "encode .inner: want an object, got a list"},
		{`{"table":[{"row":1}]}`, "encode .table[0].col: missing nest-type-value key"},
		{`{"pad":1}`, "encode .pad: pad attributes are never sent"},
	}
	for _, tt := range tests {
		_, err := Encode(set, jsonObj(t, tt.in))
		var pe *PathError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err = %v, want a *PathError", tt.in, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

func TestDecodeUnknown(t *testing.T) {
	set := loadTest(t, "everything.yaml").AttrSet("inner")
	b, _ := hex.DecodeString("0800010007000000" + "0600630001020000")
	if _, err := Decode(set, b, Options{}); err == nil || err.Error() != `decode .99: unknown attribute type 99 in attribute set "inner"` {
		t.Errorf("err = %v", err)
	}
	m, err := Decode(set, b, Options{ProcessUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, m), `{"id":7,"UnknownAttr(99)":"0102"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// An unknown nest shows its unknown contents.
	b, _ = hex.DecodeString("0c006380" + "0600050001020000")
	m, err = Decode(set, b, Options{ProcessUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, m), `{"UnknownAttr(99)":{"UnknownAttr(5)":"0102"}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestDecodeMalformed(t *testing.T) {
	set := loadTest(t, "everything.yaml").AttrSet("main")
	tests := []struct{ hex, want string }{
		{"0600030001000000", "decode .u32: want 4 bytes for u32, got 2"},
		{"0800", "decode: offset 0: 2 trailing bytes"},
		{"0c00010001000000", "decode: offset 0: attribute length 12 exceeds the 8 bytes left"},
		{"0c001c80" + "0500010001000000", "decode .inner.id: want 4 bytes for u32, got 1"},
		{"08001800" + "01000000", "decode .bits: want 8 bytes for bitfield32, got 4"},
		{"07001600" + "01020300", "decode .u32s: 3 bytes is not a whole number of u32"},
	}
	for _, tt := range tests {
		b, _ := hex.DecodeString(tt.hex)
		_, err := Decode(set, b, Options{})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %s...", tt.hex, err, tt.want)
		}
	}
}

func TestSpecOrderAndMessage(t *testing.T) {
	f := loadTest(t, "everything.yaml")
	op := f.Operations.Op("get")
	hdr, attrs, err := EncodeMessage(op.FixedHeader, op.AttrSet, jsonObj(t, `{"str":"s","ifindex":3,"u32":9}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hex.EncodeToString(hdr), "0300000000"; got != want {
		t.Errorf("header = %s, want %s", got, want)
	}
	// Attributes on the wire in reverse spec order still decode in spec order.
	wire := append(append([]byte{}, hdr...), 0, 0, 0)
	wire = append(wire, attrs[8:]...)
	wire = append(wire, attrs[:8]...)
	m, err := DecodeMessage(op.FixedHeader, op.AttrSet, wire, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, m), `{"ifindex":3,"kind":"red","u32":9,"str":"s"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestNestTypeValueOrder checks entries given out of order are sent with
// ascending keys at each level, as the generated code sends its maps.
func TestNestTypeValueOrder(t *testing.T) {
	set := loadTest(t, "everything.yaml").AttrSet("main")
	a, err := Encode(set, jsonObj(t, `{"table":[{"row":2,"col":1,"id":3},{"row":1,"col":9,"id":4},{"row":1,"col":2,"id":5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encode(set, jsonObj(t, `{"table":[{"row":1,"col":2,"id":5},{"row":1,"col":9,"id":4},{"row":2,"col":1,"id":3}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Errorf("entry order changed the bytes:\n%x\n%x", a, b)
	}
	m, _ := Decode(set, a, Options{})
	if got, want := mustJSON(t, m), `{"table":[{"row":1,"col":2,"id":5},{"row":1,"col":9,"id":4},{"row":2,"col":1,"id":3}]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestNilSet checks a missing attribute set means no attributes, not a
// crash.
func TestNilSet(t *testing.T) {
	if b, err := Encode(nil, map[string]any{}); err != nil || len(b) != 0 {
		t.Errorf("Encode(nil, {}) = %x, %v", b, err)
	}
	if _, err := Encode(nil, map[string]any{"x": 1}); err == nil {
		t.Error("Encode(nil, {x}) did not fail")
	}
	if _, err := Decode(nil, []byte{8, 0, 1, 0, 1, 0, 0, 0}, Options{}); err == nil {
		t.Error("Decode(nil, attr) did not fail")
	}
	if m, err := Decode(nil, []byte{8, 0, 1, 0, 1, 0, 0, 0}, Options{ProcessUnknown: true}); err != nil || mustJSON(t, m) != `{"UnknownAttr(1)":"01000000"}` {
		t.Errorf("Decode(nil, attr, unknown) = %v, %v", m, err)
	}
}
