package genl

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestWalkerWireBytes(t *testing.T) {
	needLittleEndian(t)
	// Three attributes: u8 5 = 0x2a (padded), u32 1 = 0x01020304, string 2 "ab".
	b := []byte{
		5, 0, 5, 0, 0x2a, 0, 0, 0,
		8, 0, 1, 0, 4, 3, 2, 1,
		7, 0, 2, 0, 'a', 'b', 0, 0,
	}
	w := NewWalker(b, nil)
	var got []string
	for w.Next() {
		switch w.Type() {
		case 5:
			got = append(got, fmt.Sprintf("u8=%#x@%d", w.Uint8(), w.Offset()))
		case 1:
			got = append(got, fmt.Sprintf("u32=%#x@%d", w.Uint32(), w.Offset()))
		case 2:
			got = append(got, fmt.Sprintf("str=%q@%d", w.String(), w.Offset()))
		}
	}
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{"u8=0x2a@0", "u32=0x1020304@8", `str="ab"@16`}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWalkerGetters(t *testing.T) {
	needLittleEndian(t)
	tests := []struct {
		name    string
		typ     uint16
		payload []byte
		get     func(w *Walker) any
		want    any
	}{
		{"u8", 1, []byte{0xfe}, func(w *Walker) any { return w.Uint8() }, uint8(0xfe)},
		{"s8", 1, []byte{0xfe}, func(w *Walker) any { return w.Int8() }, int8(-2)},
		{"u16", 1, []byte{0x34, 0x12}, func(w *Walker) any { return w.Uint16() }, uint16(0x1234)},
		{"s16", 1, []byte{0xff, 0xff}, func(w *Walker) any { return w.Int16() }, int16(-1)},
		{"u32", 1, []byte{4, 3, 2, 1}, func(w *Walker) any { return w.Uint32() }, uint32(0x01020304)},
		{"s32", 1, []byte{0xfe, 0xff, 0xff, 0xff}, func(w *Walker) any { return w.Int32() }, int32(-2)},
		{"u64", 1, []byte{8, 7, 6, 5, 4, 3, 2, 1}, func(w *Walker) any { return w.Uint64() }, uint64(0x0102030405060708)},
		{"s64", 1, []byte{0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, func(w *Walker) any { return w.Int64() }, int64(-3)},
		{"u16be", 1, []byte{0x12, 0x34}, func(w *Walker) any { return w.Uint16BE() }, uint16(0x1234)},
		{"u32be", 1, []byte{1, 2, 3, 4}, func(w *Walker) any { return w.Uint32BE() }, uint32(0x01020304)},
		{"u64be", 1, []byte{1, 2, 3, 4, 5, 6, 7, 8}, func(w *Walker) any { return w.Uint64BE() }, uint64(0x0102030405060708)},
		{"s16be", 1, []byte{0xff, 0xfe}, func(w *Walker) any { return w.Int16BE() }, int16(-2)},
		{"s32be", 1, []byte{0xff, 0xff, 0xff, 0xfe}, func(w *Walker) any { return w.Int32BE() }, int32(-2)},
		{"s64be", 1, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, func(w *Walker) any { return w.Int64BE() }, int64(-2)},
		// NLA_F_NET_BYTEORDER makes host-order getters read big-endian.
		{"u16 net", 1 | nlaFNetByteorder, []byte{0x12, 0x34}, func(w *Walker) any { return w.Uint16() }, uint16(0x1234)},
		{"u32 net", 1 | nlaFNetByteorder, []byte{1, 2, 3, 4}, func(w *Walker) any { return w.Uint32() }, uint32(0x01020304)},
		{"u64 net", 1 | nlaFNetByteorder, []byte{1, 2, 3, 4, 5, 6, 7, 8}, func(w *Walker) any { return w.Uint64() }, uint64(0x0102030405060708)},
		{"uint net", 1 | nlaFNetByteorder, []byte{1, 2, 3, 4}, func(w *Walker) any { return w.Uint() }, uint64(0x01020304)},
		// Variable-width uint/sint.
		{"uint 1", 1, []byte{7}, func(w *Walker) any { return w.Uint() }, uint64(7)},
		{"uint 2", 1, []byte{0, 1}, func(w *Walker) any { return w.Uint() }, uint64(256)},
		{"uint 4", 1, []byte{0xff, 0xff, 0xff, 0xff}, func(w *Walker) any { return w.Uint() }, uint64(math.MaxUint32)},
		{"uint 8", 1, []byte{0, 0, 0, 0, 1, 0, 0, 0}, func(w *Walker) any { return w.Uint() }, uint64(1) << 32},
		{"sint 1", 1, []byte{0xff}, func(w *Walker) any { return w.Int() }, int64(-1)},
		{"sint 2", 1, []byte{0xfe, 0xff}, func(w *Walker) any { return w.Int() }, int64(-2)},
		{"sint 4 sign-extends", 1, []byte{0xfd, 0xff, 0xff, 0xff}, func(w *Walker) any { return w.Int() }, int64(-3)},
		{"sint 4 positive", 1, []byte{0xff, 0xff, 0xff, 0x7f}, func(w *Walker) any { return w.Int() }, int64(math.MaxInt32)},
		{"sint 8", 1, []byte{0, 0, 0, 0, 0, 0, 0, 0x80}, func(w *Walker) any { return w.Int() }, int64(math.MinInt64)},
		// Strings: one trailing NUL stripped, missing NUL tolerated.
		{"string nul", 1, []byte("eth0\x00"), func(w *Walker) any { return w.String() }, "eth0"},
		{"string no nul", 1, []byte("eth0"), func(w *Walker) any { return w.String() }, "eth0"},
		{"string two nuls", 1, []byte("a\x00\x00"), func(w *Walker) any { return w.String() }, "a\x00"},
		{"string empty", 1, nil, func(w *Walker) any { return w.String() }, ""},
		{"string only nul", 1, []byte{0}, func(w *Walker) any { return w.String() }, ""},
		{"flag", 1, nil, func(w *Walker) any { return w.Flag() }, true},
		{"flag payload", 1, []byte{1, 2}, func(w *Walker) any { return w.Flag() }, true},
		{"bytes", 1, []byte{1, 2, 3}, func(w *Walker) any { return string(w.Bytes()) }, "\x01\x02\x03"},
		// struct nla_bitfield32 { u32 value; u32 selector; }
		{"bitfield32", 1, []byte{0x05, 0, 0, 0, 0x0f, 0, 0, 0}, func(w *Walker) any {
			v, s := w.Bitfield32()
			return [2]uint32{v, s}
		}, [2]uint32{5, 15}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWalker(attr(tt.typ, tt.payload...), nil)
			if !w.Next() {
				t.Fatalf("Next = false, err %v", w.Err())
			}
			if got := tt.get(&w); got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if err := w.Err(); err != nil {
				t.Errorf("err = %v", err)
			}
			if w.Next() {
				t.Errorf("second Next = true")
			}
		})
	}
}

func TestWalkerFlags(t *testing.T) {
	b := cat(attr(3|nlaFNested, attr(1, 1, 0, 0, 0)...), attr(4|nlaFNetByteorder, 0, 0, 0, 1), attr(5))
	w := NewWalker(b, nil)
	type step struct {
		typ         uint16
		nested, net bool
	}
	var got []step
	for w.Next() {
		got = append(got, step{w.Type(), w.Nested(), w.NetByteOrder()})
	}
	want := []step{{3, true, false}, {4, false, true}, {5, false, false}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
}

func TestWalkerNested(t *testing.T) {
	inner := cat(attr(1, u32(7)...), attr(2, []byte("eth0\x00")...))
	b := cat(attr(9, u32(1)...), attr(1|nlaFNested, inner...))
	w := NewWalker(b, nil)
	var idx uint32
	var name string
	for w.Next() {
		if w.Type() != 1 {
			continue
		}
		in := NewWalker(w.Data(), nil)
		for in.Next() {
			switch in.Type() {
			case 1:
				idx = in.Uint32()
			case 2:
				name = in.String()
			}
		}
		if in.Err() != nil {
			t.Fatal(in.Err())
		}
	}
	if w.Err() != nil || idx != 7 || name != "eth0" {
		t.Errorf("idx %d name %q err %v", idx, name, w.Err())
	}
}

func TestWalkerMissingFinalPadding(t *testing.T) {
	// The last attribute's padding may be cut off by the sender.
	b := attr(1, 'x', 0)[:6]
	w := NewWalker(b, nil)
	if !w.Next() || w.String() != "x" {
		t.Fatalf("first attribute not read: %v", w.Err())
	}
	if n := w.CountType(); n != 1 {
		t.Errorf("CountType on the last attribute = %d, want 1", n)
	}
	if w.Next() || w.Err() != nil {
		t.Errorf("Next after last = true or err %v", w.Err())
	}
	// Once Next has run past the cut-off padding, the walk stays ended.
	if w.Next() || w.Err() != nil || w.CountType() != 0 {
		t.Errorf("second Next after last = true or err %v", w.Err())
	}
}

func TestWalkerTrailingAfterPadding(t *testing.T) {
	// Bytes after a fully padded attribute that cannot hold a header are an
	// error, also when that attribute's payload length is not aligned.
	for _, extra := range []int{1, 2, 3} {
		b := append(attr(1, 'x', 0), make([]byte, extra)...)
		w := NewWalker(b, nil)
		for w.Next() {
		}
		if w.Err() == nil {
			t.Errorf("%d trailing bytes: no error", extra)
		}
	}
}

func TestWalkerEmpty(t *testing.T) {
	for _, b := range [][]byte{nil, {}} {
		w := NewWalker(b, nil)
		if w.Next() || w.Err() != nil {
			t.Errorf("%v: Next true or err %v", b, w.Err())
		}
	}
}

func TestWalkerErrors(t *testing.T) {
	needLittleEndian(t)
	names := []string{1: "dev-index", 2: "dev-name", 3: "header"}
	tests := []struct {
		name string
		b    []byte
		get  func(w *Walker)
		want string
	}{
		{"short u32", attr(1, 1, 2), func(w *Walker) { w.Uint32() }, "decode .dev-index: want 4 bytes, got 2"},
		{"long u8", attr(1, 1, 2), func(w *Walker) { w.Uint8() }, "decode .dev-index: want 1 bytes, got 2"},
		{"u16", attr(1, 1), func(w *Walker) { w.Uint16() }, "decode .dev-index: want 2 bytes, got 1"},
		{"u64", attr(1, 1, 2, 3, 4), func(w *Walker) { w.Uint64() }, "decode .dev-index: want 8 bytes, got 4"},
		{"u32be", attr(1), func(w *Walker) { w.Uint32BE() }, "decode .dev-index: want 4 bytes, got 0"},
		{"uint 3", attr(1, 1, 2, 3), func(w *Walker) { w.Uint() }, "decode .dev-index: want 4 or 8 bytes, got 3"},
		{"sint 5", attr(2, 1, 2, 3, 4, 5), func(w *Walker) { w.Int() }, "decode .dev-name: want 4 or 8 bytes, got 5"},
		{"bitfield32", attr(1, 1, 2, 3, 4), func(w *Walker) { w.Bitfield32() }, "decode .dev-index: want 8 bytes, got 4"},
		{"unnamed", attr(7, 1), func(w *Walker) { w.Uint32() }, "decode attr 7: want 4 bytes, got 1"},
		{"flags masked in name", attr(1|nlaFNetByteorder, 1), func(w *Walker) { w.Uint32() }, "decode .dev-index: want 4 bytes, got 1"},
		{"fail", attr(3), func(w *Walker) { w.Fail("value 9 out of range") }, "decode .header: value 9 out of range"},
		{"header truncated", []byte{8, 0, 1}, nil, "decode: 3 trailing bytes, too short for an attribute header"},
		{"nla_len < 4", []byte{3, 0, 1, 0}, nil, "decode .dev-index: attribute length 3 is shorter than its header"},
		{"nla_len 0", []byte{0, 0, 2, 0, 0, 0, 0, 0}, nil, "decode .dev-name: attribute length 0 is shorter than its header"},
		{"nla_len past end", []byte{12, 0, 1, 0, 1, 2, 3, 4}, nil, "decode .dev-index: attribute length 12 exceeds the 8 bytes left"},
		{"trailing after valid", cat(attr(1, u32(1)...), []byte{0, 0}), nil, "decode: 2 trailing bytes, too short for an attribute header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWalker(tt.b, names)
			for w.Next() {
				if tt.get != nil {
					tt.get(&w)
				}
			}
			err := w.Err()
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err, tt.want)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("%T is not a *DecodeError", err)
			}
		})
	}
}

func TestWalkerStickyError(t *testing.T) {
	b := cat(attr(1, 1, 2), attr(2, u32(5)...), attr(3, u32(6)...))
	w := NewWalker(b, []string{"", "a", "b", "c"})
	var reads int
	for w.Next() {
		reads++
		w.Uint32()
	}
	if reads != 1 {
		t.Errorf("walk continued after error: %d attributes read", reads)
	}
	de := w.Err().(*DecodeError)
	if de.Type != 1 || de.Offset != 0 || de.Msg != "want 4 bytes, got 2" {
		t.Errorf("error = %+v", de)
	}
	// Getters after the error return zero values and keep the first error.
	if v := w.Uint32(); v != 0 {
		t.Errorf("Uint32 after error = %d", v)
	}
	w.Fail("second")
	if w.Err() != error(de) {
		t.Errorf("error replaced: %v", w.Err())
	}
}

func TestWalkerErrorOffset(t *testing.T) {
	b := cat(attr(1, u32(1)...), attr(2, 1))
	w := NewWalker(b, nil)
	for w.Next() {
		w.Uint32()
	}
	de := w.Err().(*DecodeError)
	if de.Offset != 8 || de.Type != 2 {
		t.Errorf("offset %d type %d, want 8 and 2", de.Offset, de.Type)
	}
}

func TestWalkerDataAliases(t *testing.T) {
	b := attr(1, 1, 2, 3, 4)
	w := NewWalker(b, nil)
	w.Next()
	d := w.Data()
	if &d[0] != &b[4] {
		t.Error("Data copied the payload")
	}
	// Appending to the payload must not overwrite the next attribute.
	if cap(d) != 4 {
		t.Errorf("cap(Data) = %d, want 4", cap(d))
	}
	if !bytes.Equal(w.Bytes(), []byte{1, 2, 3, 4}) {
		t.Errorf("Bytes = %v", w.Bytes())
	}
}

func TestWalkerZeroAllocs(t *testing.T) {
	b := benchAttrs16()
	allocs := testing.AllocsPerRun(100, func() {
		w := NewWalker(b, nil)
		var sum uint32
		for w.Next() {
			sum += w.Uint32()
		}
		if w.Err() != nil || sum == 0 {
			t.Fatal("bad walk")
		}
	})
	if allocs != 0 {
		t.Errorf("walk allocates %v times, want 0", allocs)
	}
}

func TestWalkerEarlyBreakIsNotAnError(t *testing.T) {
	b := cat(attr(1, u32(1)...), attr(2, u32(2)...))
	w := NewWalker(b, nil)
	for w.Next() {
		if w.Type() == 1 {
			break
		}
	}
	if err := w.Err(); err != nil {
		t.Errorf("leaving the loop early reported %v", err)
	}
	// Continuing the walk later still works.
	if !w.Next() || w.Type() != 2 || w.Next() || w.Err() != nil {
		t.Errorf("resumed walk: type %d err %v", w.Type(), w.Err())
	}
}
