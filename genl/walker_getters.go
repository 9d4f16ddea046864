package genl

import "encoding/binary"

// The typed getters read the current attribute. A payload of the wrong
// length sets the sticky error (naming the attribute), stops the walk and
// returns the zero value. Host-order getters honour NLA_F_NET_BYTEORDER
// when it is set.
//
// The hot getters are written so the compiler inlines them: a length check,
// a load, and an inlined failure record.

// Uint8 returns the current attribute as a u8.
func (w *Walker) Uint8() uint8 {
	if d := w.data; len(d) == 1 {
		return d[0]
	}
	w.failLen(1)
	return 0
}

// Uint16 returns the current attribute as a host-order u16.
func (w *Walker) Uint16() uint16 {
	if d := w.data; len(d) == 2 {
		if w.typ&nlaFNetByteorder != 0 {
			return binary.BigEndian.Uint16(d)
		}
		return binary.NativeEndian.Uint16(d)
	}
	w.failLen(2)
	return 0
}

// Uint32 returns the current attribute as a host-order u32.
func (w *Walker) Uint32() uint32 {
	if d := w.data; len(d) == 4 {
		if w.typ&nlaFNetByteorder != 0 {
			return binary.BigEndian.Uint32(d)
		}
		return binary.NativeEndian.Uint32(d)
	}
	w.failLen(4)
	return 0
}

// Uint64 returns the current attribute as a host-order u64.
func (w *Walker) Uint64() uint64 {
	if d := w.data; len(d) == 8 {
		if w.typ&nlaFNetByteorder != 0 {
			return binary.BigEndian.Uint64(d)
		}
		return binary.NativeEndian.Uint64(d)
	}
	w.failLen(8)
	return 0
}

// Int8 returns the current attribute as an s8.
func (w *Walker) Int8() int8 { return int8(w.Uint8()) }

// Int16 returns the current attribute as a host-order s16.
func (w *Walker) Int16() int16 { return int16(w.Uint16()) }

// Int32 returns the current attribute as a host-order s32.
func (w *Walker) Int32() int32 { return int32(w.Uint32()) }

// Int64 returns the current attribute as a host-order s64.
func (w *Walker) Int64() int64 { return int64(w.Uint64()) }

// Uint16BE returns the current attribute as a big-endian u16 (spec
// byte-order: big-endian).
func (w *Walker) Uint16BE() uint16 {
	if b := w.fixed(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

// Uint32BE returns the current attribute as a big-endian u32.
func (w *Walker) Uint32BE() uint32 {
	if b := w.fixed(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

// Uint64BE returns the current attribute as a big-endian u64.
func (w *Walker) Uint64BE() uint64 {
	if b := w.fixed(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// Int16BE returns the current attribute as a big-endian s16.
func (w *Walker) Int16BE() int16 { return int16(w.Uint16BE()) }

// Int32BE returns the current attribute as a big-endian s32.
func (w *Walker) Int32BE() int32 { return int32(w.Uint32BE()) }

// Int64BE returns the current attribute as a big-endian s64.
func (w *Walker) Int64BE() int64 { return int64(w.Uint64BE()) }

// order returns the byte order of the current attribute's host-order
// payload: network order when NLA_F_NET_BYTEORDER is set.
func (w *Walker) order() binary.ByteOrder {
	if w.typ&nlaFNetByteorder != 0 {
		return binary.BigEndian
	}
	return binary.NativeEndian
}

// Uint returns the current attribute as a variable-width uint (the kernel's
// NLA_UINT): 4 or 8 bytes, and 1 or 2 bytes are accepted too.
func (w *Walker) Uint() uint64 {
	switch len(w.data) {
	case 1:
		return uint64(w.data[0])
	case 2:
		return uint64(w.order().Uint16(w.data))
	case 4:
		return uint64(w.order().Uint32(w.data))
	case 8:
		return w.order().Uint64(w.data)
	}
	w.failLen(wantUint)
	return 0
}

// Int returns the current attribute as a variable-width sint (the kernel's
// NLA_SINT): 4 or 8 bytes (1 and 2 accepted), sign-extended.
func (w *Walker) Int() int64 {
	switch len(w.data) {
	case 1:
		return int64(int8(w.data[0]))
	case 2:
		return int64(int16(w.order().Uint16(w.data)))
	case 4:
		return int64(int32(w.order().Uint32(w.data)))
	case 8:
		return int64(w.order().Uint64(w.data))
	}
	w.failLen(wantUint)
	return 0
}

// String returns the current attribute as a string. One trailing NUL is
// stripped; a missing NUL is tolerated. The string is a copy, from the
// walker's arena if it has one (NewWalkerIn).
func (w *Walker) String() string {
	b := w.data
	if n := len(b); n > 0 && b[n-1] == 0 {
		b = b[:n-1]
	}
	if w.arena != nil {
		return w.arena.string(b)
	}
	return string(b)
}

// Bytes returns the current attribute's payload, aliasing the input: copy
// it to keep it past the buffer's lifetime.
func (w *Walker) Bytes() []byte { return w.data }

// Flag returns true: a flag attribute is true by its presence. Any payload
// is accepted.
func (w *Walker) Flag() bool { return true }

// Bitfield32 returns the current attribute as a struct nla_bitfield32:
// value then selector, 8 bytes in host order.
func (w *Walker) Bitfield32() (value, selector uint32) {
	if b := w.fixed(8); b != nil {
		return binary.NativeEndian.Uint32(b[0:4]), binary.NativeEndian.Uint32(b[4:8])
	}
	return 0, 0
}
