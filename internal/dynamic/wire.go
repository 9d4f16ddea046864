package dynamic

import (
	"encoding/binary"
	"fmt"
)

// Netlink attribute header flags and sizes.
const (
	nlaHdrLen      = 4
	nlaFNested     = 0x8000
	nlaFNetByteOrd = 0x4000
	nlaTypeMask    = ^uint16(nlaFNested | nlaFNetByteOrd)
	maxAttrPayload = 0xffff - nlaHdrLen
)

func align4(n int) int { return (n + 3) &^ 3 }

// appendAttr appends one attribute with payload p, padded to 4 bytes.
func appendAttr(b []byte, typ uint16, p []byte) []byte {
	b = binary.NativeEndian.AppendUint16(b, uint16(nlaHdrLen+len(p)))
	b = binary.NativeEndian.AppendUint16(b, typ)
	b = append(b, p...)
	return pad4(b)
}

// pad4 appends zero bytes up to the next 4-byte boundary.
func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// startNest appends a nest header with NLA_F_NESTED and returns its offset
// for endNest.
func startNest(b []byte, typ uint16) ([]byte, int) {
	off := len(b)
	b = binary.NativeEndian.AppendUint16(b, 0)
	b = binary.NativeEndian.AppendUint16(b, typ|nlaFNested)
	return b, off
}

// endNest fixes the length of the nest started at off.
func endNest(b []byte, off int) ([]byte, error) {
	n := len(b) - off
	if n > 0xffff {
		return b, fmt.Errorf("nest too long (%d bytes)", n)
	}
	binary.NativeEndian.PutUint16(b[off:], uint16(n))
	return b, nil
}

// rawAttr is one attribute read from a buffer.
type rawAttr struct {
	typ    uint16 // without flag bits
	nested bool   // NLA_F_NESTED
	netBO  bool   // NLA_F_NET_BYTEORDER
	data   []byte
	offset int
}

// walk splits b into attributes. Trailing bytes shorter than a header are an
// error, as is a length running past the buffer.
func walk(b []byte, fn func(a rawAttr) error) error {
	off := 0
	for off < len(b) {
		if len(b)-off < nlaHdrLen {
			return fmt.Errorf("offset %d: %d trailing bytes, shorter than an attribute header", off, len(b)-off)
		}
		l := int(binary.NativeEndian.Uint16(b[off:]))
		t := binary.NativeEndian.Uint16(b[off+2:])
		if l < nlaHdrLen || off+l > len(b) {
			return fmt.Errorf("offset %d: attribute length %d does not fit the %d bytes left", off, l, len(b)-off)
		}
		a := rawAttr{typ: t & nlaTypeMask, nested: t&nlaFNested != 0, netBO: t&nlaFNetByteOrd != 0, data: b[off+nlaHdrLen : off+l], offset: off}
		if err := fn(a); err != nil {
			return err
		}
		off += align4(l)
	}
	return nil
}
