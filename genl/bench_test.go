package genl

import (
	"testing"

	"github.com/mdlayher/netlink"
)

// The benchmarks compare the Walker and Encoder with
// github.com/mdlayher/netlink's AttributeDecoder and AttributeEncoder, the
// codec users would otherwise pick, in the same run:
//
//	go test -run X -bench . -benchmem ./genl/

// benchAttrs16 returns 16 u32 attributes, types 1..16.
func benchAttrs16() []byte {
	var e Encoder
	for i := uint16(1); i <= 16; i++ {
		e.Uint32(i, uint32(i)*1000)
	}
	return e.Bytes()
}

// encodeNested encodes a message shaped like an ethtool reply: a header nest
// (dev-index, dev-name), five u8 fields and a stats nest of eight u64.
func encodeNested(e *Encoder) {
	h := e.Nest(1)
	e.Uint32(1, 7)
	e.String(2, "eth0")
	e.End(h)
	for i := uint16(2); i <= 6; i++ {
		e.Uint8(i, uint8(i))
	}
	s := e.Nest(7)
	for i := uint16(1); i <= 8; i++ {
		e.Uint64(i, uint64(i)<<33)
	}
	e.End(s)
}

func encodeNestedMdlayher(ae *netlink.AttributeEncoder) {
	ae.Nested(1, func(ae *netlink.AttributeEncoder) error {
		ae.Uint32(1, 7)
		ae.String(2, "eth0")
		return nil
	})
	for i := uint16(2); i <= 6; i++ {
		ae.Uint8(i, uint8(i))
	}
	ae.Nested(7, func(ae *netlink.AttributeEncoder) error {
		for i := uint16(1); i <= 8; i++ {
			ae.Uint64(i, uint64(i)<<33)
		}
		return nil
	})
}

type nestedMsg struct {
	devIndex Opt[uint32]
	devName  Opt[string]
	u8s      [8]Opt[uint8]
	stats    [9]Opt[uint64]
}

var sinkU32 uint32
var sinkMsg nestedMsg

func BenchmarkWalk16U32(b *testing.B) {
	buf := benchAttrs16()
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var sum uint32
			w := NewWalker(buf, nil)
			for w.Next() {
				sum += w.Uint32()
			}
			if w.Err() != nil {
				b.Fatal(w.Err())
			}
			sinkU32 = sum
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var sum uint32
			ad, err := netlink.NewAttributeDecoder(buf)
			if err != nil {
				b.Fatal(err)
			}
			for ad.Next() {
				sum += ad.Uint32()
			}
			if ad.Err() != nil {
				b.Fatal(ad.Err())
			}
			sinkU32 = sum
		}
	})
}

func decodeNested(buf []byte) (m nestedMsg, err error) {
	w := NewWalker(buf, nil)
	for w.Next() {
		switch t := w.Type(); {
		case t == 1:
			h := NewWalker(w.Data(), nil)
			for h.Next() {
				switch h.Type() {
				case 1:
					m.devIndex = Some(h.Uint32())
				case 2:
					m.devName = Some(h.String())
				}
			}
			if err := h.Err(); err != nil {
				return m, InAttr(err, "header")
			}
		case t >= 2 && t <= 6:
			m.u8s[t] = Some(w.Uint8())
		case t == 7:
			s := NewWalker(w.Data(), nil)
			for s.Next() {
				if st := s.Type(); st <= 8 {
					m.stats[st] = Some(s.Uint64())
				}
			}
			if err := s.Err(); err != nil {
				return m, InAttr(err, "stats")
			}
		}
	}
	return m, w.Err()
}

func decodeNestedMdlayher(buf []byte) (m nestedMsg, err error) {
	ad, err := netlink.NewAttributeDecoder(buf)
	if err != nil {
		return m, err
	}
	for ad.Next() {
		switch t := ad.Type(); {
		case t == 1:
			ad.Nested(func(h *netlink.AttributeDecoder) error {
				for h.Next() {
					switch h.Type() {
					case 1:
						m.devIndex = Some(h.Uint32())
					case 2:
						m.devName = Some(h.String())
					}
				}
				return nil
			})
		case t >= 2 && t <= 6:
			m.u8s[t] = Some(ad.Uint8())
		case t == 7:
			ad.Nested(func(s *netlink.AttributeDecoder) error {
				for s.Next() {
					if st := s.Type(); st <= 8 {
						m.stats[st] = Some(s.Uint64())
					}
				}
				return nil
			})
		}
	}
	return m, ad.Err()
}

func BenchmarkWalkNested(b *testing.B) {
	var e Encoder
	encodeNested(&e)
	buf := e.Bytes()
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := decodeNested(buf)
			if err != nil || m.stats[8].Value != 8<<33 {
				b.Fatal(err)
			}
			sinkMsg = m
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, err := decodeNestedMdlayher(buf)
			if err != nil || m.stats[8].Value != 8<<33 {
				b.Fatal(err)
			}
			sinkMsg = m
		}
	})
}

var sinkBytes []byte

func BenchmarkEncode16U32(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		var e Encoder
		for b.Loop() {
			e.Reset(e.Bytes()[:0])
			for i := uint16(1); i <= 16; i++ {
				e.Uint32(i, uint32(i))
			}
			sinkBytes = e.Bytes()
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ae := netlink.NewAttributeEncoder()
			for i := uint16(1); i <= 16; i++ {
				ae.Uint32(i, uint32(i))
			}
			out, err := ae.Encode()
			if err != nil {
				b.Fatal(err)
			}
			sinkBytes = out
		}
	})
}

func BenchmarkEncodeNested(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		var e Encoder
		for b.Loop() {
			e.Reset(e.Bytes()[:0])
			encodeNested(&e)
			sinkBytes = e.Bytes()
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ae := netlink.NewAttributeEncoder()
			encodeNestedMdlayher(ae)
			out, err := ae.Encode()
			if err != nil {
				b.Fatal(err)
			}
			sinkBytes = out
		}
	})
}

func TestNestedBenchmarksAgree(t *testing.T) {
	var e Encoder
	encodeNested(&e)
	ae := netlink.NewAttributeEncoder()
	encodeNestedMdlayher(ae)
	theirs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	// mdlayher does not set NLA_F_NESTED; otherwise the bytes are the same.
	a, b := decodeNestedOK(t, e.Bytes()), decodeNestedOK(t, theirs)
	if a != b {
		t.Errorf("decoded differently:\n%+v\n%+v", a, b)
	}
	m, err := decodeNestedMdlayher(e.Bytes())
	if err != nil || m != a {
		t.Errorf("mdlayher decodes ours differently: %v", err)
	}
}

func decodeNestedOK(t *testing.T, b []byte) nestedMsg {
	t.Helper()
	m, err := decodeNested(b)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := m.devName.Get(); v != "eth0" {
		t.Fatalf("devName %q", v)
	}
	return m
}
