package dynamic

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/ynlgo/ynl/family"
)

// order returns the byte order of an attribute or member.
func order(bo family.ByteOrder) binary.AppendByteOrder {
	switch bo {
	case family.BigEndian:
		return binary.BigEndian
	case family.LittleEndian:
		return binary.LittleEndian
	}
	return binary.NativeEndian
}

// wireWidth returns the payload width of scalar type t holding the bit
// pattern u: the fixed width, or for uint and sint 4 bytes when the value
// fits and 8 otherwise.
func wireWidth(t family.AttrType, u uint64) int {
	switch t {
	case family.TypeUint:
		if u <= math.MaxUint32 {
			return 4
		}
		return 8
	case family.TypeSint:
		if s := int64(u); s >= math.MinInt32 && s <= math.MaxInt32 {
			return 4
		}
		return 8
	}
	return t.Width()
}

// typeBits is the value range, in bits, of a scalar type (64 for uint/sint).
func typeBits(t family.AttrType) int {
	if t == family.TypeUint || t == family.TypeSint {
		return 64
	}
	return t.Width() * 8
}

// appendScalar appends u as a width-byte integer in byte order bo.
func appendScalar(b []byte, width int, bo family.ByteOrder, u uint64) []byte {
	o := order(bo)
	switch width {
	case 1:
		return append(b, byte(u))
	case 2:
		return o.AppendUint16(b, uint16(u))
	case 4:
		return o.AppendUint32(b, uint32(u))
	}
	return o.AppendUint64(b, u)
}

// readScalar reads an integer of type t from p. Fixed types need their exact
// width; uint and sint accept 1, 2, 4 or 8 bytes. Signed values are
// sign-extended. netBO forces big-endian (NLA_F_NET_BYTEORDER).
func readScalar(t family.AttrType, bo family.ByteOrder, netBO bool, p []byte) (uint64, error) {
	w := t.Width()
	if t == family.TypeUint || t == family.TypeSint {
		switch len(p) {
		case 1, 2, 4, 8:
			w = len(p)
		default:
			return 0, fmt.Errorf("want 4 or 8 bytes for %s, got %d", t, len(p))
		}
	} else if len(p) != w {
		return 0, fmt.Errorf("want %d bytes for %s, got %d", w, t, len(p))
	}
	if netBO {
		bo = family.BigEndian
	}
	var o binary.ByteOrder = binary.NativeEndian
	switch bo {
	case family.BigEndian:
		o = binary.BigEndian
	case family.LittleEndian:
		o = binary.LittleEndian
	}
	var u uint64
	switch w {
	case 1:
		u = uint64(p[0])
	case 2:
		u = uint64(o.Uint16(p))
	case 4:
		u = uint64(o.Uint32(p))
	default:
		u = o.Uint64(p)
	}
	if t.IsSigned() && w < 8 {
		shift := 64 - 8*w
		u = uint64(int64(u<<shift) >> shift)
	}
	return u, nil
}

// scalarValue turns a bit pattern into the Go value decode returns.
func scalarValue(signed bool, u uint64) any {
	if signed {
		return int64(u)
	}
	return u
}
