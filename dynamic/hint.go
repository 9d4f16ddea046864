package dynamic

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"
)

// formatBytes renders binary data per display hint as pyynl does: mac and
// fddi as "aa:bb:cc:dd:ee:ff", ipv4/ipv6 as addresses, uuid in 8-4-4-4-12
// form, "hex" as bytes separated by spaces ("0a 1b"), and everything else
// as a plain hex string.
func formatBytes(hint string, p []byte) string {
	switch hint {
	case "hex":
		parts := make([]string, len(p))
		for i, c := range p {
			parts[i] = fmt.Sprintf("%02x", c)
		}
		return strings.Join(parts, " ")
	case "mac", "fddi":
		parts := make([]string, len(p))
		for i, c := range p {
			parts[i] = fmt.Sprintf("%02x", c)
		}
		return strings.Join(parts, ":")
	case "ipv4", "ipv6", "ipv4-or-v6":
		if a, ok := netip.AddrFromSlice(p); ok {
			return a.String()
		}
	case "uuid":
		if len(p) == 16 {
			h := hex.EncodeToString(p)
			return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
		}
	}
	return hex.EncodeToString(p)
}

// parseBytes reads binary data given as text: an IP address for the ip
// hints, otherwise hex digits with optional ':', '-', '.' or space
// separators (so MACs and UUIDs read as written).
func parseBytes(hint, s string) ([]byte, error) {
	switch hint {
	case "ipv4", "ipv6", "ipv4-or-v6":
		if a, err := netip.ParseAddr(s); err == nil {
			if hint == "ipv4" && !a.Is4() {
				return nil, fmt.Errorf("%q is not an IPv4 address", s)
			}
			if hint == "ipv6" {
				b := a.As16()
				return b[:], nil
			}
			return a.AsSlice(), nil
		}
	}
	clean := strings.NewReplacer(":", "", "-", "", " ", "", ".", "").Replace(s)
	clean = strings.TrimPrefix(strings.TrimPrefix(clean, "0x"), "0X")
	p, err := hex.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("%q is not hex data: %v", s, err)
	}
	return p, nil
}

// formatScalarHint renders an integer per display hint, or returns false
// when the hint does not apply to integers.
func formatScalarHint(hint string, width int, u uint64) (string, bool) {
	switch hint {
	case "hex":
		return fmt.Sprintf("0x%x", u), true
	case "ipv4", "ipv4-or-v6":
		if width == 4 {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], uint32(u))
			return netip.AddrFrom4(b).String(), true
		}
	}
	return "", false
}

// parseScalarHint reads an IPv4 address given for an integer attribute,
// most significant byte first (as the address is written).
func parseScalarHint(hint string, v any) (number, bool) {
	s, ok := v.(string)
	if !ok || (hint != "ipv4" && hint != "ipv4-or-v6") {
		return number{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is4() {
		return number{}, false
	}
	b := a.As4()
	return number{abs: uint64(binary.BigEndian.Uint32(b[:]))}, true
}
