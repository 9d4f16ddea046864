package ethtool

import (
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// A realistic nested message: a linkmodes-get reply with a header nest, the
// device's own modes as a verbose bitset (a nest of named bit nests) and the
// peer's as a compact one, plus the scalars. The baseline decodes and
// encodes the same message with mdlayher/netlink's AttributeDecoder and
// AttributeEncoder into a struct of the same shape, as a hand-written
// client would.

var benchModes = []string{
	"10baseT/Half", "10baseT/Full", "100baseT/Half", "100baseT/Full",
	"1000baseT/Half", "1000baseT/Full", "Autoneg", "TP", "AUI", "MII",
	"FIBRE", "BNC",
}

func benchLinkmodes() *Linkmodes {
	bits := make([]BitsetBit, len(benchModes))
	for i, name := range benchModes {
		bits[i] = BitsetBit{Index: genl.Some(uint32(i)), Name: genl.Some(name), Value: i%3 != 0}
	}
	return &Linkmodes{
		Header:  &Header{DevIndex: genl.Some[uint32](7), DevName: genl.Some("enp3s0f1")},
		Autoneg: genl.Some(AutonegEnable),
		Ours:    &Bitset{Size: genl.Some(uint32(len(bits))), Bits: &BitsetBits{Bit: bits}},
		Peer: &Bitset{Nomask: true, Size: genl.Some[uint32](96),
			Value: []byte{0xef, 0x02, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0}},
		Speed:  genl.Some[uint32](10000),
		Duplex: genl.Some(DuplexFull),
		Lanes:  genl.Some[uint32](1),
	}
}

// mdLinkmodes mirrors Linkmodes for the baseline.
type mdLinkmodes struct {
	DevIndex     uint32
	DevName      string
	Autoneg      uint8
	Ours, Peer   mdBitset
	Speed, Lanes uint32
	Duplex       uint8
	haveAutoneg  bool
	haveSpeed    bool
	haveDuplex   bool
	haveLanes    bool
	haveDevIndex bool
	haveDevName  bool
	haveOurs     bool
	havePeer     bool
}

type mdBitset struct {
	Nomask      bool
	Size        uint32
	Bits        []mdBit
	Value, Mask []byte
}

type mdBit struct {
	Index uint32
	Name  string
	Value bool
}

func mdDecodeLinkmodes(b []byte) (*mdLinkmodes, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return nil, err
	}
	var m mdLinkmodes
	for ad.Next() {
		switch ad.Type() {
		case AttrLinkmodesHeader:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					switch nad.Type() {
					case AttrHeaderDevIndex:
						m.DevIndex, m.haveDevIndex = nad.Uint32(), true
					case AttrHeaderDevName:
						m.DevName, m.haveDevName = nad.String(), true
					}
				}
				return nil
			})
		case AttrLinkmodesAutoneg:
			m.Autoneg, m.haveAutoneg = ad.Uint8(), true
		case AttrLinkmodesOurs:
			m.haveOurs = true
			ad.Nested(func(nad *netlink.AttributeDecoder) error { return mdDecodeBitset(nad, &m.Ours) })
		case AttrLinkmodesPeer:
			m.havePeer = true
			ad.Nested(func(nad *netlink.AttributeDecoder) error { return mdDecodeBitset(nad, &m.Peer) })
		case AttrLinkmodesSpeed:
			m.Speed, m.haveSpeed = ad.Uint32(), true
		case AttrLinkmodesDuplex:
			m.Duplex, m.haveDuplex = ad.Uint8(), true
		case AttrLinkmodesLanes:
			m.Lanes, m.haveLanes = ad.Uint32(), true
		}
	}
	return &m, ad.Err()
}

func mdDecodeBitset(ad *netlink.AttributeDecoder, bs *mdBitset) error {
	for ad.Next() {
		switch ad.Type() {
		case AttrBitsetNomask:
			bs.Nomask = true
		case AttrBitsetSize:
			bs.Size = ad.Uint32()
		case AttrBitsetValue:
			bs.Value = ad.Bytes()
		case AttrBitsetMask:
			bs.Mask = ad.Bytes()
		case AttrBitsetBits:
			ad.Nested(func(bad *netlink.AttributeDecoder) error {
				for bad.Next() {
					if bad.Type() != AttrBitsetBitsBit {
						continue
					}
					var bit mdBit
					bad.Nested(func(nad *netlink.AttributeDecoder) error {
						for nad.Next() {
							switch nad.Type() {
							case AttrBitsetBitIndex:
								bit.Index = nad.Uint32()
							case AttrBitsetBitName:
								bit.Name = nad.String()
							case AttrBitsetBitValue:
								bit.Value = true
							}
						}
						return nil
					})
					bs.Bits = append(bs.Bits, bit)
				}
				return nil
			})
		}
	}
	return nil
}

func mdEncodeLinkmodes(m *mdLinkmodes) ([]byte, error) {
	ae := netlink.NewAttributeEncoder()
	ae.Nested(AttrLinkmodesHeader, func(nae *netlink.AttributeEncoder) error {
		nae.Uint32(AttrHeaderDevIndex, m.DevIndex)
		nae.String(AttrHeaderDevName, m.DevName)
		return nil
	})
	ae.Uint8(AttrLinkmodesAutoneg, m.Autoneg)
	ae.Nested(AttrLinkmodesOurs, func(nae *netlink.AttributeEncoder) error { return mdEncodeBitset(nae, &m.Ours) })
	ae.Nested(AttrLinkmodesPeer, func(nae *netlink.AttributeEncoder) error { return mdEncodeBitset(nae, &m.Peer) })
	ae.Uint32(AttrLinkmodesSpeed, m.Speed)
	ae.Uint8(AttrLinkmodesDuplex, m.Duplex)
	ae.Uint32(AttrLinkmodesLanes, m.Lanes)
	return ae.Encode()
}

func mdEncodeBitset(ae *netlink.AttributeEncoder, bs *mdBitset) error {
	if bs.Nomask {
		ae.Flag(AttrBitsetNomask, true)
	}
	ae.Uint32(AttrBitsetSize, bs.Size)
	if len(bs.Bits) > 0 {
		ae.Nested(AttrBitsetBits, func(bae *netlink.AttributeEncoder) error {
			for _, bit := range bs.Bits {
				bae.Nested(AttrBitsetBitsBit, func(nae *netlink.AttributeEncoder) error {
					nae.Uint32(AttrBitsetBitIndex, bit.Index)
					nae.String(AttrBitsetBitName, bit.Name)
					if bit.Value {
						nae.Flag(AttrBitsetBitValue, true)
					}
					return nil
				})
			}
			return nil
		})
	}
	if bs.Value != nil {
		ae.Bytes(AttrBitsetValue, bs.Value)
	}
	if bs.Mask != nil {
		ae.Bytes(AttrBitsetMask, bs.Mask)
	}
	return nil
}

func benchLinkmodesWire(tb testing.TB) []byte {
	var e genl.Encoder
	benchLinkmodes().Encode(&e)
	if err := e.Err(); err != nil {
		tb.Fatal(err)
	}
	return e.Bytes()
}

// TestLinkmodesBenchBaseline keeps the baseline honest: it must read the
// same values our decoder reads, and encode the same bytes.
func TestLinkmodesBenchBaseline(t *testing.T) {
	b := benchLinkmodesWire(t)
	var m Linkmodes
	if err := m.Decode(b); err != nil {
		t.Fatal(err)
	}
	md, err := mdDecodeLinkmodes(b)
	if err != nil {
		t.Fatal(err)
	}
	if md.DevName != m.Header.DevName.Value || md.Speed != m.Speed.Value || len(md.Ours.Bits) != len(m.Ours.Bits.Bit) ||
		md.Ours.Bits[5].Name != m.Ours.Bits.Bit[5].Name.Value || md.Ours.Bits[5].Value != m.Ours.Bits.Bit[5].Value ||
		string(md.Peer.Value) != string(m.Peer.Value) || !md.Peer.Nomask {
		t.Fatalf("baseline decoded %+v, ours %+v", md, m)
	}
	mb, err := mdEncodeLinkmodes(md)
	if err != nil {
		t.Fatal(err)
	}
	var back Linkmodes
	if err := back.Decode(mb); err != nil {
		t.Fatalf("decode of the baseline's encoding: %v", err)
	}
	var e genl.Encoder
	back.Encode(&e)
	if string(e.Bytes()) != string(b) {
		t.Fatalf("the baseline's encoding decodes to a different message:\n got %x\nwant %x", e.Bytes(), b)
	}
}

func BenchmarkLinkmodesDecode(b *testing.B) {
	wire := benchLinkmodesWire(b)
	b.Run("ynl", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(wire)))
		for b.Loop() {
			var m Linkmodes
			if err := m.Decode(wire); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(wire)))
		for b.Loop() {
			if _, err := mdDecodeLinkmodes(wire); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLinkmodesEncode(b *testing.B) {
	m := benchLinkmodes()
	md, err := mdDecodeLinkmodes(benchLinkmodesWire(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ynl", func(b *testing.B) {
		b.ReportAllocs()
		var e genl.Encoder
		buf := make([]byte, 0, 1024)
		for b.Loop() {
			e.Reset(buf[:0])
			m.Encode(&e)
			if e.Err() != nil {
				b.Fatal(e.Err())
			}
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := mdEncodeLinkmodes(md); err != nil {
				b.Fatal(err)
			}
		}
	})
}
