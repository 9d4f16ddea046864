package nl80211

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
)

// 802.11 management frames, as the frame and start-ap commands take them
// and frame notifications deliver them: a 24-byte header (frame control,
// duration, three addresses, sequence control), fixed fields, then
// information elements. Multi-byte fields are little-endian.

// Frame control values (type and subtype, the first two octets read as a
// little-endian number) of management frames. They are also the
// frame-type of register-frame.
const (
	FrameAssocRequest    uint16 = 0x0000
	FrameAssocResponse   uint16 = 0x0010
	FrameReassocRequest  uint16 = 0x0020
	FrameReassocResponse uint16 = 0x0030
	FrameProbeRequest    uint16 = 0x0040
	FrameProbeResponse   uint16 = 0x0050
	FrameBeacon          uint16 = 0x0080
	FrameDisassoc        uint16 = 0x00a0
	FrameAuth            uint16 = 0x00b0
	FrameDeauth          uint16 = 0x00c0
	FrameAction          uint16 = 0x00d0
)

// MgmtHeaderLen is the length of a management frame's header.
const MgmtHeaderLen = 24

// Capability information bits of beacons and association frames.
const (
	CapESS           uint16 = 1 << 0
	CapPrivacy       uint16 = 1 << 4
	CapShortPreamble uint16 = 1 << 5
	CapShortSlotTime uint16 = 1 << 10
)

// Authentication algorithm numbers and the status code of success.
const (
	AuthAlgOpen      uint16 = 0
	AuthAlgSharedKey uint16 = 1
	StatusSuccess    uint16 = 0
)

// Broadcast is the broadcast MAC address, a beacon's destination.
var Broadcast = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// MgmtFrame is a parsed management frame: the header fields and the body
// (fixed fields and elements), which aliases the parsed buffer.
type MgmtFrame struct {
	FrameControl uint16 // type and subtype in the low byte, flags in the high
	Duration     uint16
	DA, SA       net.HardwareAddr
	BSSID        net.HardwareAddr
	SeqCtrl      uint16
	Body         []byte
}

// Subtype returns the frame control without its flags octet: one of the
// Frame* values for a management frame.
func (f *MgmtFrame) Subtype() uint16 { return f.FrameControl & 0x00fc }

// ParseMgmt parses a management frame. It fails on a frame shorter than
// the header or of another type (control or data).
func ParseMgmt(b []byte) (*MgmtFrame, error) {
	if len(b) < MgmtHeaderLen {
		return nil, fmt.Errorf("management frame: %d bytes, shorter than the %d-byte header", len(b), MgmtHeaderLen)
	}
	fc := binary.LittleEndian.Uint16(b)
	if fc&0x000c != 0 {
		return nil, fmt.Errorf("frame control %#04x: type %d, not a management frame", fc, fc>>2&3)
	}
	return &MgmtFrame{
		FrameControl: fc,
		Duration:     binary.LittleEndian.Uint16(b[2:]),
		DA:           net.HardwareAddr(b[4:10]),
		SA:           net.HardwareAddr(b[10:16]),
		BSSID:        net.HardwareAddr(b[16:22]),
		SeqCtrl:      binary.LittleEndian.Uint16(b[22:]),
		Body:         b[MgmtHeaderLen:],
	}, nil
}

// appendMgmtHeader appends a management header with zero duration and
// sequence (the kernel fills in the sequence number).
func appendMgmtHeader(b []byte, fc uint16, da, sa, bssid net.HardwareAddr) ([]byte, error) {
	for _, a := range []struct {
		name string
		addr net.HardwareAddr
	}{{"destination", da}, {"source", sa}, {"BSSID", bssid}} {
		if len(a.addr) != 6 {
			return b, fmt.Errorf("%s address %q: want 6 bytes, got %d", a.name, a.addr, len(a.addr))
		}
	}
	b = binary.LittleEndian.AppendUint16(b, fc)
	b = append(b, 0, 0)
	b = append(b, da...)
	b = append(b, sa...)
	b = append(b, bssid...)
	return append(b, 0, 0), nil
}

// Auth is the body of an authentication frame.
type Auth struct {
	Algorithm uint16 // AuthAlgOpen, ...
	Seq       uint16 // transaction sequence number: 1 request, 2 response
	Status    uint16
	Elements  Elements
}

// ParseAuth parses the body of an authentication frame.
func ParseAuth(body []byte) (*Auth, error) {
	if len(body) < 6 {
		return nil, fmt.Errorf("authentication body: %d bytes, want at least 6", len(body))
	}
	a := &Auth{
		Algorithm: binary.LittleEndian.Uint16(body),
		Seq:       binary.LittleEndian.Uint16(body[2:]),
		Status:    binary.LittleEndian.Uint16(body[4:]),
		Elements:  Elements(body[6:]),
	}
	return a, a.Elements.Validate()
}

// AuthFrame returns an authentication frame from sa to da in network
// bssid with body a.
func AuthFrame(da, sa, bssid net.HardwareAddr, a *Auth) ([]byte, error) {
	b, err := appendMgmtHeader(make([]byte, 0, MgmtHeaderLen+6+len(a.Elements)), FrameAuth, da, sa, bssid)
	if err != nil {
		return nil, fmt.Errorf("authentication frame: %w", err)
	}
	b = binary.LittleEndian.AppendUint16(b, a.Algorithm)
	b = binary.LittleEndian.AppendUint16(b, a.Seq)
	b = binary.LittleEndian.AppendUint16(b, a.Status)
	return append(b, a.Elements...), nil
}

// AssocRequest is the body of an association or reassociation request.
type AssocRequest struct {
	Capability     uint16
	ListenInterval uint16           // in beacon intervals
	CurrentAP      net.HardwareAddr // reassociation only
	Elements       Elements
}

// ParseAssocRequest parses the body of an association request, or of a
// reassociation request when reassoc is set.
func ParseAssocRequest(body []byte, reassoc bool) (*AssocRequest, error) {
	fixed := 4
	if reassoc {
		fixed = 10
	}
	if len(body) < fixed {
		return nil, fmt.Errorf("association request body: %d bytes, want at least %d", len(body), fixed)
	}
	r := &AssocRequest{
		Capability:     binary.LittleEndian.Uint16(body),
		ListenInterval: binary.LittleEndian.Uint16(body[2:]),
		Elements:       Elements(body[fixed:]),
	}
	if reassoc {
		r.CurrentAP = net.HardwareAddr(body[4:10])
	}
	return r, r.Elements.Validate()
}

// AssocResponse is the body of an association response.
type AssocResponse struct {
	Capability uint16
	Status     uint16
	AID        uint16 // 1 to 2007; the two top bits are set on the wire
	Elements   Elements
	Reassoc    bool // a reassociation response
}

// AssocResponseFrame returns an association response from sa to da in
// network bssid with body r.
func AssocResponseFrame(da, sa, bssid net.HardwareAddr, r *AssocResponse) ([]byte, error) {
	if r.Status == StatusSuccess && (r.AID < 1 || r.AID > 2007) {
		return nil, fmt.Errorf("association response: AID %d out of range 1-2007", r.AID)
	}
	fc := FrameAssocResponse
	if r.Reassoc {
		fc = FrameReassocResponse
	}
	b, err := appendMgmtHeader(make([]byte, 0, MgmtHeaderLen+6+len(r.Elements)), fc, da, sa, bssid)
	if err != nil {
		return nil, fmt.Errorf("association response: %w", err)
	}
	b = binary.LittleEndian.AppendUint16(b, r.Capability)
	b = binary.LittleEndian.AppendUint16(b, r.Status)
	b = binary.LittleEndian.AppendUint16(b, r.AID|0xc000)
	return append(b, r.Elements...), nil
}

// Beacon describes the beacon of an open access point, for start-ap.
type Beacon struct {
	BSSID      net.HardwareAddr
	SSID       string
	Interval   uint16 // in time units of 1024 µs; 100 if 0
	Capability uint16 // CapESS if 0
	Rates      []Rate // RatesBG if nil
	Channel    uint8  // 2.4 GHz channel for the DS Parameter Set element
	Extra      Elements
}

// Head returns the beacon's head for start-ap's beacon-head: the header,
// the fixed fields (a zero timestamp, which the hardware fills in, the
// interval and the capability) and the SSID, Supported Rates and DS
// Parameter Set elements. The kernel inserts the TIM element between head
// and tail.
func (bc *Beacon) Head() ([]byte, error) {
	if len(bc.SSID) > 32 {
		return nil, fmt.Errorf("beacon: SSID of %d bytes, at most 32", len(bc.SSID))
	}
	b, err := appendMgmtHeader(nil, FrameBeacon, Broadcast, bc.BSSID, bc.BSSID)
	if err != nil {
		return nil, fmt.Errorf("beacon: %w", err)
	}
	b = append(b, make([]byte, 8)...) // timestamp
	b = binary.LittleEndian.AppendUint16(b, cmpOr(bc.Interval, 100))
	b = binary.LittleEndian.AppendUint16(b, cmpOr(bc.Capability, CapESS))
	b, _ = AppendElement(b, ElemSSID, []byte(bc.SSID))
	rates := bc.rates()
	if len(rates) > 8 {
		rates = rates[:8]
	}
	if b, err = AppendRates(b, rates); err != nil {
		return nil, fmt.Errorf("beacon: %w", err)
	}
	if bc.Channel == 0 {
		return nil, errors.New("beacon: no channel for the DS Parameter Set element")
	}
	b, _ = AppendElement(b, ElemDSParameterSet, []byte{bc.Channel})
	return b, nil
}

// Tail returns the beacon's tail for start-ap's beacon-tail: the Extended
// Supported Rates element when there are more than eight rates, then
// Extra.
func (bc *Beacon) Tail() ([]byte, error) {
	b := []byte{}
	if rates := bc.rates(); len(rates) > 8 {
		var err error
		if b, err = AppendElement(b, ElemExtSupportedRate, rateBytes(rates[8:])); err != nil {
			return nil, fmt.Errorf("beacon: %w", err)
		}
	}
	if err := bc.Extra.Validate(); err != nil {
		return nil, fmt.Errorf("beacon extra elements: %w", err)
	}
	return append(b, bc.Extra...), nil
}

func (bc *Beacon) rates() []Rate {
	if bc.Rates == nil {
		return RatesBG
	}
	return bc.Rates
}

func cmpOr(v, def uint16) uint16 {
	if v == 0 {
		return def
	}
	return v
}
