package genl

import (
	"encoding/binary"
	"math"
	"strconv"
)

// maxAttrLen is the largest nla_len a 16-bit header can carry.
const maxAttrLen = math.MaxUint16

// Encoder appends netlink attributes to a buffer. The zero value is ready.
//
// Every attribute is padded to 4 bytes (NLA_ALIGN); nla_len excludes the
// padding. 64-bit payloads get no pad attribute: the kernel accepts
// unaligned u64 attributes on every architecture Go targets here. Reusing
// an Encoder through Reset makes encoding allocation-free once the buffer
// has grown to size.
//
// An attribute or nest longer than a 16-bit length can describe cannot be
// encoded; the Encoder then records a sticky error, reported by Err, and
// keeps the buffer well-formed by dropping that attribute.
type Encoder struct {
	buf []byte
	err error
}

// NewEncoder returns an encoder that appends to buf[:len(buf)].
func NewEncoder(buf []byte) *Encoder { return &Encoder{buf: buf} }

// Bytes returns everything encoded so far.
func (e *Encoder) Bytes() []byte { return e.buf }

// Len returns the number of bytes encoded so far.
func (e *Encoder) Len() int { return len(e.buf) }

// Reset makes the encoder append to buf[:len(buf)] and clears the error.
// Pass Bytes()[:0] to reuse the encoder's own buffer.
func (e *Encoder) Reset(buf []byte) { e.buf, e.err = buf, nil }

// Err returns the first error: an attribute or nest too long for nla_len.
func (e *Encoder) Err() error { return e.err }

// Raw appends b verbatim (a fixed header), padded to 4 bytes.
func (e *Encoder) Raw(b []byte) {
	off := len(e.buf)
	e.grow(nlaAlign(len(b)))
	clear(e.buf[off+copy(e.buf[off:], b):])
}

// grow extends buf by n bytes (uninitialised) and returns the old length.
func (e *Encoder) grow(n int) int {
	off := len(e.buf)
	if cap(e.buf)-off < n {
		nb := make([]byte, off, max(2*cap(e.buf), off+n, 256))
		copy(nb, e.buf)
		e.buf = nb
	}
	e.buf = e.buf[:off+n]
	return off
}

// put appends an attribute header of type t with an n-byte payload,
// zeroes the padding, and returns the payload to fill in. It returns nil
// (and sets Err) when n does not fit in nla_len.
func (e *Encoder) put(t uint16, n int) []byte {
	l := nlaHeaderLen + n
	if l > maxAttrLen {
		e.setErr(t, "attribute of "+strconv.Itoa(n)+" bytes does not fit nla_len")
		return nil
	}
	off := e.grow(nlaAlign(l))
	b := e.buf[off:]
	binary.NativeEndian.PutUint16(b[0:2], uint16(l))
	binary.NativeEndian.PutUint16(b[2:4], t)
	clear(b[l:])
	return b[nlaHeaderLen:l]
}

func (e *Encoder) setErr(t uint16, msg string) {
	if e.err == nil {
		e.err = &EncodeError{Type: t & nlaTypeMask, Msg: msg}
	}
}

// EncodeError reports an attribute the Encoder could not encode.
type EncodeError struct {
	Type uint16 // attribute type
	Msg  string // what went wrong
}

// Error renders the error as "encode attr 7: ...".
func (e *EncodeError) Error() string {
	return "encode attr " + strconv.Itoa(int(e.Type)) + ": " + e.Msg
}

// Uint8 appends a u8 attribute.
func (e *Encoder) Uint8(t uint16, v uint8) {
	if b := e.put(t, 1); b != nil {
		b[0] = v
	}
}

// Uint16 appends a host-order u16 attribute.
func (e *Encoder) Uint16(t uint16, v uint16) {
	if b := e.put(t, 2); b != nil {
		binary.NativeEndian.PutUint16(b, v)
	}
}

// Uint32 appends a host-order u32 attribute.
func (e *Encoder) Uint32(t uint16, v uint32) {
	if b := e.put(t, 4); b != nil {
		binary.NativeEndian.PutUint32(b, v)
	}
}

// Uint64 appends a host-order u64 attribute.
func (e *Encoder) Uint64(t uint16, v uint64) {
	if b := e.put(t, 8); b != nil {
		binary.NativeEndian.PutUint64(b, v)
	}
}

// Int8 appends an s8 attribute.
func (e *Encoder) Int8(t uint16, v int8) { e.Uint8(t, uint8(v)) }

// Int16 appends a host-order s16 attribute.
func (e *Encoder) Int16(t uint16, v int16) { e.Uint16(t, uint16(v)) }

// Int32 appends a host-order s32 attribute.
func (e *Encoder) Int32(t uint16, v int32) { e.Uint32(t, uint32(v)) }

// Int64 appends a host-order s64 attribute.
func (e *Encoder) Int64(t uint16, v int64) { e.Uint64(t, uint64(v)) }

// Uint16BE appends a big-endian u16 attribute (spec byte-order: big-endian).
func (e *Encoder) Uint16BE(t uint16, v uint16) {
	if b := e.put(t, 2); b != nil {
		binary.BigEndian.PutUint16(b, v)
	}
}

// Uint32BE appends a big-endian u32 attribute.
func (e *Encoder) Uint32BE(t uint16, v uint32) {
	if b := e.put(t, 4); b != nil {
		binary.BigEndian.PutUint32(b, v)
	}
}

// Uint64BE appends a big-endian u64 attribute.
func (e *Encoder) Uint64BE(t uint16, v uint64) {
	if b := e.put(t, 8); b != nil {
		binary.BigEndian.PutUint64(b, v)
	}
}

// Int16BE appends a big-endian s16 attribute.
func (e *Encoder) Int16BE(t uint16, v int16) { e.Uint16BE(t, uint16(v)) }

// Int32BE appends a big-endian s32 attribute.
func (e *Encoder) Int32BE(t uint16, v int32) { e.Uint32BE(t, uint32(v)) }

// Int64BE appends a big-endian s64 attribute.
func (e *Encoder) Int64BE(t uint16, v int64) { e.Uint64BE(t, uint64(v)) }

// Uint appends a variable-width uint attribute (the kernel's NLA_UINT):
// 4 bytes if v fits in 32 bits, else 8.
func (e *Encoder) Uint(t uint16, v uint64) {
	if v <= math.MaxUint32 {
		e.Uint32(t, uint32(v))
		return
	}
	e.Uint64(t, v)
}

// Int appends a variable-width sint attribute (the kernel's NLA_SINT):
// 4 bytes if v fits in int32, else 8.
func (e *Encoder) Int(t uint16, v int64) {
	if v >= math.MinInt32 && v <= math.MaxInt32 {
		e.Uint32(t, uint32(int32(v)))
		return
	}
	e.Uint64(t, uint64(v))
}

// String appends a string attribute with its terminating NUL.
func (e *Encoder) String(t uint16, s string) {
	if b := e.put(t, len(s)+1); b != nil {
		b[copy(b, s)] = 0
	}
}

// Binary appends a binary attribute.
func (e *Encoder) Binary(t uint16, p []byte) {
	if b := e.put(t, len(p)); b != nil {
		copy(b, p)
	}
}

// Flag appends a zero-length (flag) attribute.
func (e *Encoder) Flag(t uint16) { e.put(t, 0) }

// Bitfield32 appends a struct nla_bitfield32: value then selector, host order.
func (e *Encoder) Bitfield32(t uint16, value, selector uint32) {
	if b := e.put(t, 8); b != nil {
		binary.NativeEndian.PutUint32(b[0:4], value)
		binary.NativeEndian.PutUint32(b[4:8], selector)
	}
}

// Nest starts a nested attribute of type t, setting NLA_F_NESTED, and
// returns a token for End. Attributes appended until End go inside it.
func (e *Encoder) Nest(t uint16) int {
	off := len(e.buf)
	e.put(t|nlaFNested, 0)
	return off
}

// End closes the nest started by the Nest call that returned token,
// writing its length. A nest too long for nla_len is dropped and Err set.
func (e *Encoder) End(token int) {
	if token < 0 || token+nlaHeaderLen > len(e.buf) {
		return // not a token from Nest on this buffer
	}
	n := len(e.buf) - token
	if n > maxAttrLen {
		t := binary.NativeEndian.Uint16(e.buf[token+2:])
		e.setErr(t, "nest of "+strconv.Itoa(n)+" bytes does not fit nla_len")
		e.buf = e.buf[:token]
		return
	}
	binary.NativeEndian.PutUint16(e.buf[token:], uint16(n))
}
