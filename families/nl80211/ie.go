package nl80211

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
)

// The 802.11 information elements (IEs) that scans report in a BSS's
// information-elements attribute, and that beacons and management frames
// carry, are raw bytes: one octet of element id, one of length, then the
// body. This file reads and writes them.

// Element ids of the IEs the helpers of this package read or write
// (IEEE 802.11-2020, table 9-92).
const (
	ElemSSID             uint8 = 0
	ElemSupportedRates   uint8 = 1
	ElemDSParameterSet   uint8 = 3
	ElemTIM              uint8 = 5
	ElemCountry          uint8 = 7
	ElemERP              uint8 = 42
	ElemHTCapabilities   uint8 = 45
	ElemRSN              uint8 = 48
	ElemExtSupportedRate uint8 = 50
	ElemHTOperation      uint8 = 61
	ElemExtCapabilities  uint8 = 127
	ElemVendorSpecific   uint8 = 221
)

// Element is one information element: its id and its body (which aliases
// the buffer it was read from).
type Element struct {
	ID   uint8
	Data []byte
}

// Elements are information elements back to back, as in a BSS's
// information-elements or beacon-ies attribute or the body of a
// management frame after its fixed fields.
type Elements []byte

// All yields each element in order. An element whose length runs past the
// end is yielded as an error that names its offset, and ends the walk.
func (b Elements) All() iter.Seq2[Element, error] {
	return func(yield func(Element, error) bool) {
		for off := 0; off < len(b); {
			if len(b)-off < 2 {
				yield(Element{}, fmt.Errorf("information element at offset %d: %d byte(s) left, want at least 2", off, len(b)-off))
				return
			}
			id, n := b[off], int(b[off+1])
			if off+2+n > len(b) {
				yield(Element{}, fmt.Errorf("information element %d at offset %d: length %d runs past the end (%d bytes left)", id, off, n, len(b)-off-2))
				return
			}
			if !yield(Element{ID: id, Data: b[off+2 : off+2+n]}, nil) {
				return
			}
			off += 2 + n
		}
	}
}

// Validate checks that every element fits in b.
func (b Elements) Validate() error {
	for _, err := range b.All() {
		if err != nil {
			return err
		}
	}
	return nil
}

// Find returns the body of the first element with id. It stops at a
// malformed element, reporting it not found.
func (b Elements) Find(id uint8) ([]byte, bool) {
	for e, err := range b.All() {
		if err != nil {
			return nil, false
		}
		if e.ID == id {
			return e.Data, true
		}
	}
	return nil, false
}

// SSID returns the network name of the SSID element. A hidden network's
// SSID element is present but empty (or all zero bytes).
func (b Elements) SSID() (string, bool) {
	d, ok := b.Find(ElemSSID)
	return string(d), ok
}

// SupportedRates returns the rates of the Supported Rates element followed
// by those of the Extended Supported Rates element, or nil if neither is
// present.
func (b Elements) SupportedRates() []Rate {
	var out []Rate
	for _, id := range []uint8{ElemSupportedRates, ElemExtSupportedRate} {
		if d, ok := b.Find(id); ok {
			for _, r := range d {
				out = append(out, Rate(r))
			}
		}
	}
	return out
}

// Channel returns the channel number of the DS Parameter Set element (the
// channel a 2.4 GHz network operates on).
func (b Elements) Channel() (uint8, bool) {
	d, ok := b.Find(ElemDSParameterSet)
	if !ok || len(d) != 1 {
		return 0, false
	}
	return d[0], true
}

// ErrElementTooLong reports an element body of more than 255 bytes, which
// the one-octet length cannot express.
var ErrElementTooLong = errors.New("information element body longer than 255 bytes")

// AppendElement appends the element id with body data to b.
func AppendElement(b []byte, id uint8, data []byte) ([]byte, error) {
	if len(data) > 255 {
		return b, fmt.Errorf("element %d: %w (%d)", id, ErrElementTooLong, len(data))
	}
	b = append(b, id, byte(len(data)))
	return append(b, data...), nil
}

// AppendRates appends rates as a Supported Rates element of at most eight
// rates, and an Extended Supported Rates element with the rest, if any.
func AppendRates(b []byte, rates []Rate) ([]byte, error) {
	first, rest := rates, []Rate(nil)
	if len(rates) > 8 {
		first, rest = rates[:8], rates[8:]
	}
	b, err := AppendElement(b, ElemSupportedRates, rateBytes(first))
	if err != nil || len(rest) == 0 {
		return b, err
	}
	return AppendElement(b, ElemExtSupportedRate, rateBytes(rest))
}

func rateBytes(rates []Rate) []byte {
	out := make([]byte, len(rates))
	for i, r := range rates {
		out[i] = byte(r)
	}
	return out
}

// Rate is one entry of a Supported Rates element: the rate in units of
// 500 kbit/s in the low seven bits, and bit 7 set for a basic rate (one
// every station of the network must support).
type Rate uint8

// BasicRate returns the basic form of r.
func BasicRate(r Rate) Rate { return r | 0x80 }

// Basic reports whether r is marked as a basic rate.
func (r Rate) Basic() bool { return r&0x80 != 0 }

// Kbps returns the rate in kbit/s.
func (r Rate) Kbps() int { return int(r&0x7f) * 500 }

// String returns the rate in Mbit/s, with a star for a basic rate: "5.5*".
func (r Rate) String() string {
	s := strconv.FormatFloat(float64(r.Kbps())/1000, 'f', -1, 64)
	if r.Basic() {
		s += "*"
	}
	return s
}

// RatesBG are the 802.11b rates 1, 2, 5.5 and 11 Mbit/s, all basic, then
// the 802.11g rates 6 to 54 Mbit/s: the usual set of a 2.4 GHz network.
var RatesBG = []Rate{0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24, 0x30, 0x48, 0x60, 0x6c}

// ChannelFrequency returns the center frequency in MHz of a 2.4 GHz
// channel (1 to 14), or 0.
func ChannelFrequency(ch uint8) uint32 {
	switch {
	case ch == 14:
		return 2484
	case ch >= 1 && ch <= 13:
		return 2407 + 5*uint32(ch)
	}
	return 0
}
