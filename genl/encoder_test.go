package genl

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestEncoderWireBytes(t *testing.T) {
	needLittleEndian(t)
	tests := []struct {
		name string
		enc  func(e *Encoder)
		want []byte
	}{
		{"u8 padded", func(e *Encoder) { e.Uint8(1, 0x2a) }, []byte{5, 0, 1, 0, 0x2a, 0, 0, 0}},
		{"s8", func(e *Encoder) { e.Int8(1, -1) }, []byte{5, 0, 1, 0, 0xff, 0, 0, 0}},
		{"u16 padded", func(e *Encoder) { e.Uint16(2, 0x1234) }, []byte{6, 0, 2, 0, 0x34, 0x12, 0, 0}},
		{"s16", func(e *Encoder) { e.Int16(2, -2) }, []byte{6, 0, 2, 0, 0xfe, 0xff, 0, 0}},
		{"u32", func(e *Encoder) { e.Uint32(3, 0x01020304) }, []byte{8, 0, 3, 0, 4, 3, 2, 1}},
		{"s32", func(e *Encoder) { e.Int32(3, -2) }, []byte{8, 0, 3, 0, 0xfe, 0xff, 0xff, 0xff}},
		{"u64 no pad attr", func(e *Encoder) { e.Uint64(4, 0x0102030405060708) }, []byte{12, 0, 4, 0, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"s64", func(e *Encoder) { e.Int64(4, -1) }, []byte{12, 0, 4, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
		{"u16be", func(e *Encoder) { e.Uint16BE(5, 0x1234) }, []byte{6, 0, 5, 0, 0x12, 0x34, 0, 0}},
		{"u32be", func(e *Encoder) { e.Uint32BE(5, 0x01020304) }, []byte{8, 0, 5, 0, 1, 2, 3, 4}},
		{"u64be", func(e *Encoder) { e.Uint64BE(5, 1) }, []byte{12, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"s16be", func(e *Encoder) { e.Int16BE(5, -2) }, []byte{6, 0, 5, 0, 0xff, 0xfe, 0, 0}},
		{"s32be", func(e *Encoder) { e.Int32BE(5, -2) }, []byte{8, 0, 5, 0, 0xff, 0xff, 0xff, 0xfe}},
		{"s64be", func(e *Encoder) { e.Int64BE(5, -2) }, []byte{12, 0, 5, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}},
		{"uint small is 4 bytes", func(e *Encoder) { e.Uint(6, 1) }, []byte{8, 0, 6, 0, 1, 0, 0, 0}},
		{"uint max32 is 4 bytes", func(e *Encoder) { e.Uint(6, math.MaxUint32) }, []byte{8, 0, 6, 0, 0xff, 0xff, 0xff, 0xff}},
		{"uint big is 8 bytes", func(e *Encoder) { e.Uint(6, 1<<32) }, []byte{12, 0, 6, 0, 0, 0, 0, 0, 1, 0, 0, 0}},
		{"sint -1 is 4 bytes", func(e *Encoder) { e.Int(6, -1) }, []byte{8, 0, 6, 0, 0xff, 0xff, 0xff, 0xff}},
		{"sint minint32 is 4 bytes", func(e *Encoder) { e.Int(6, math.MinInt32) }, []byte{8, 0, 6, 0, 0, 0, 0, 0x80}},
		{"sint below int32 is 8 bytes", func(e *Encoder) { e.Int(6, math.MinInt32-1) }, []byte{12, 0, 6, 0, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff}},
		{"sint above int32 is 8 bytes", func(e *Encoder) { e.Int(6, math.MaxInt32+1) }, []byte{12, 0, 6, 0, 0, 0, 0, 0x80, 0, 0, 0, 0}},
		{"string NUL and pad", func(e *Encoder) { e.String(7, "eth0") }, []byte{9, 0, 7, 0, 'e', 't', 'h', '0', 0, 0, 0, 0}},
		{"string empty", func(e *Encoder) { e.String(7, "") }, []byte{5, 0, 7, 0, 0, 0, 0, 0}},
		{"binary", func(e *Encoder) { e.Binary(8, []byte{1, 2, 3}) }, []byte{7, 0, 8, 0, 1, 2, 3, 0}},
		{"flag", func(e *Encoder) { e.Flag(9) }, []byte{4, 0, 9, 0}},
		{"bitfield32 value then selector", func(e *Encoder) { e.Bitfield32(10, 5, 15) }, []byte{12, 0, 10, 0, 5, 0, 0, 0, 15, 0, 0, 0}},
		{"raw padded", func(e *Encoder) { e.Raw([]byte{1, 2, 3, 4, 5}) }, []byte{1, 2, 3, 4, 5, 0, 0, 0}},
		{"empty nest", func(e *Encoder) { e.End(e.Nest(1)) }, []byte{4, 0, 1, 0x80}},
		{"nest length includes inner padding", func(e *Encoder) {
			n := e.Nest(1)
			e.Uint8(2, 7)
			e.End(n)
			e.Uint32(3, 1)
		}, []byte{12, 0, 1, 0x80, 5, 0, 2, 0, 7, 0, 0, 0, 8, 0, 3, 0, 1, 0, 0, 0}},
		{"nested nests", func(e *Encoder) {
			a := e.Nest(1)
			b := e.Nest(2)
			e.Flag(3)
			e.End(b)
			e.End(a)
		}, []byte{12, 0, 1, 0x80, 8, 0, 2, 0x80, 4, 0, 3, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Encoder
			tt.enc(&e)
			if !bytes.Equal(e.Bytes(), tt.want) {
				t.Errorf("got  %v\nwant %v", e.Bytes(), tt.want)
			}
			if e.Len() != len(tt.want) || e.Err() != nil {
				t.Errorf("Len %d err %v", e.Len(), e.Err())
			}
		})
	}
}

func TestEncoderPaddingReusedBuffer(t *testing.T) {
	// Stale bytes in a reused buffer must not leak into padding.
	buf := bytes.Repeat([]byte{0xee}, 64)
	e := NewEncoder(buf[:0])
	e.Uint8(1, 1)
	e.Raw([]byte{9})
	if want := []byte{5, 0, 1, 0, 1, 0, 0, 0, 9, 0, 0, 0}; !bytes.Equal(e.Bytes(), want) && littleEndian {
		t.Errorf("got %v, want %v", e.Bytes(), want)
	}
}

func TestEncoderAppends(t *testing.T) {
	e := NewEncoder([]byte{0xaa, 0xbb, 0xcc, 0xdd})
	e.Flag(1)
	if e.Len() != 8 || e.Bytes()[0] != 0xaa {
		t.Errorf("prefix not kept: %v", e.Bytes())
	}
	e.Reset(nil)
	if e.Len() != 0 {
		t.Errorf("Reset: Len %d", e.Len())
	}
}

func TestEncoderTooLong(t *testing.T) {
	var e Encoder
	e.Uint32(1, 1)
	e.Binary(2, make([]byte, 70000))
	e.Uint32(3, 3)
	var ee *EncodeError
	if !errors.As(e.Err(), &ee) || ee.Type != 2 || !strings.Contains(ee.Error(), "encode attr 2: attribute of 70000 bytes") {
		t.Fatalf("err = %v", e.Err())
	}
	// The oversized attribute is dropped; the rest stays well-formed.
	w := NewWalker(e.Bytes(), nil)
	var types []uint16
	for w.Next() {
		types = append(types, w.Type())
	}
	if w.Err() != nil || len(types) != 2 || types[1] != 3 {
		t.Errorf("types %v err %v", types, w.Err())
	}

	e.Reset(nil)
	n := e.Nest(4)
	for range 20 {
		e.Binary(5, make([]byte, 4000))
	}
	e.End(n)
	if e.Err() == nil || e.Len() != 0 {
		t.Errorf("oversized nest: err %v len %d", e.Err(), e.Len())
	}
}

func TestRoundTrip(t *testing.T) {
	var e Encoder
	e.Uint8(1, 200)
	e.Uint16(2, 60000)
	e.Uint32(3, 4000000000)
	e.Uint64(4, math.MaxUint64)
	e.Int8(5, -100)
	e.Int16(6, -30000)
	e.Int32(7, math.MinInt32)
	e.Int64(8, math.MinInt64)
	e.Uint16BE(9, 0xbeef)
	e.Uint32BE(10, 0xdeadbeef)
	e.Uint64BE(11, 0x0123456789abcdef)
	e.Int16BE(12, -5)
	e.Int32BE(13, -6)
	e.Int64BE(14, -7)
	e.Uint(15, 3)
	e.Uint(16, 1<<40)
	e.Int(17, -3)
	e.Int(18, -1<<40)
	e.String(19, "hello")
	e.Binary(20, []byte{1, 2, 3})
	e.Flag(21)
	e.Bitfield32(22, 0x11, 0x33)
	nest := e.Nest(23)
	e.String(1, "inner")
	e.End(nest)

	got := map[uint16]any{}
	w := NewWalker(e.Bytes(), nil)
	for w.Next() {
		switch t := w.Type(); t {
		case 1:
			got[t] = w.Uint8()
		case 2:
			got[t] = w.Uint16()
		case 3:
			got[t] = w.Uint32()
		case 4:
			got[t] = w.Uint64()
		case 5:
			got[t] = w.Int8()
		case 6:
			got[t] = w.Int16()
		case 7:
			got[t] = w.Int32()
		case 8:
			got[t] = w.Int64()
		case 9:
			got[t] = w.Uint16BE()
		case 10:
			got[t] = w.Uint32BE()
		case 11:
			got[t] = w.Uint64BE()
		case 12:
			got[t] = w.Int16BE()
		case 13:
			got[t] = w.Int32BE()
		case 14:
			got[t] = w.Int64BE()
		case 15, 16:
			got[t] = w.Uint()
		case 17, 18:
			got[t] = w.Int()
		case 19:
			got[t] = w.String()
		case 20:
			got[t] = string(w.Bytes())
		case 21:
			got[t] = w.Flag()
		case 22:
			v, s := w.Bitfield32()
			got[t] = [2]uint32{v, s}
		case 23:
			in := NewWalker(w.Data(), nil)
			for in.Next() {
				got[t] = in.String()
			}
			got[100] = w.Nested()
		}
	}
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	want := map[uint16]any{
		1: uint8(200), 2: uint16(60000), 3: uint32(4000000000), 4: uint64(math.MaxUint64),
		5: int8(-100), 6: int16(-30000), 7: int32(math.MinInt32), 8: int64(math.MinInt64),
		9: uint16(0xbeef), 10: uint32(0xdeadbeef), 11: uint64(0x0123456789abcdef),
		12: int16(-5), 13: int32(-6), 14: int64(-7),
		15: uint64(3), 16: uint64(1 << 40), 17: int64(-3), 18: int64(-1 << 40),
		19: "hello", 20: "\x01\x02\x03", 21: true, 22: [2]uint32{0x11, 0x33},
		23: "inner", 100: true,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attr %d: got %#v, want %#v", k, got[k], v)
		}
	}
}

func TestEncoderZeroAllocsReused(t *testing.T) {
	var e Encoder
	encodeNested(&e) // grow once
	allocs := testing.AllocsPerRun(100, func() {
		e.Reset(e.Bytes()[:0])
		encodeNested(&e)
	})
	if allocs != 0 {
		t.Errorf("reused encoder allocates %v times, want 0", allocs)
	}
}
