package genl

import (
	"encoding/binary"
	"testing"
)

// littleEndian reports whether the host is little-endian; the literal wire
// bytes in the tests are written for little-endian hosts.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

func needLittleEndian(t testing.TB) {
	t.Helper()
	if !littleEndian {
		t.Skip("the literal wire bytes in this test are little-endian")
	}
}

// attr builds one attribute with header and padding in host order.
func attr(typ uint16, payload ...byte) []byte {
	n := nlaHeaderLen + len(payload)
	b := make([]byte, nlaAlign(n))
	binary.NativeEndian.PutUint16(b[0:], uint16(n))
	binary.NativeEndian.PutUint16(b[2:], typ)
	copy(b[4:], payload)
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }
