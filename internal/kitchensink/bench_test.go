package kitchensink

import (
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// stats16 is a message of 16 u32 attributes, all set.
func stats16() *Stats {
	return &Stats{
		RXPackets: genl.Some[uint32](1), TXPackets: genl.Some[uint32](2), RXBytes: genl.Some[uint32](3),
		TXBytes: genl.Some[uint32](4), RXErrors: genl.Some[uint32](5), TXErrors: genl.Some[uint32](6),
		RXDropped: genl.Some[uint32](7), TXDropped: genl.Some[uint32](8), Multicast: genl.Some[uint32](9),
		Collisions: genl.Some[uint32](10), RXLengthErrors: genl.Some[uint32](11), RXOverErrors: genl.Some[uint32](12),
		RXCRCErrors: genl.Some[uint32](13), RXFrameErrors: genl.Some[uint32](14), RXFifoErrors: genl.Some[uint32](15),
		RXMissedErrors: genl.Some[uint32](16),
	}
}

// plainStats is what a hand-written mdlayher/netlink decoder fills.
type plainStats [16]uint32

func BenchmarkDecode16U32(b *testing.B) {
	wire := encode(stats16())
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s Stats
			if err := s.Decode(wire); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s plainStats
			ad, err := netlink.NewAttributeDecoder(wire)
			if err != nil {
				b.Fatal(err)
			}
			for ad.Next() {
				if t := ad.Type(); t >= 1 && t <= 16 {
					s[t-1] = ad.Uint32()
				}
			}
			if err := ad.Err(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkEncode16U32(b *testing.B) {
	s := stats16()
	b.Run("generated", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var e genl.Encoder
			s.Encode(&e)
		}
	})
	b.Run("generated-reused", func(b *testing.B) {
		b.ReportAllocs()
		var e genl.Encoder
		for b.Loop() {
			e.Reset(e.Bytes()[:0])
			s.Encode(&e)
		}
	})
	b.Run("mdlayher", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ae := netlink.NewAttributeEncoder()
			for i := range uint16(16) {
				ae.Uint32(i+1, uint32(i+1))
			}
			if _, err := ae.Encode(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkDecodeKitchensink(b *testing.B) {
	m := full()
	wire := encode(m)
	b.ReportAllocs()
	for b.Loop() {
		var got Attrs
		if err := got.Decode(wire); err != nil {
			b.Fatal(err)
		}
	}
}

// TestScalarDecodeAllocs pins the zero-allocation promise of scalar-only
// decoding.
func TestScalarDecodeAllocs(t *testing.T) {
	wire := encode(stats16())
	n := testing.AllocsPerRun(100, func() {
		var s Stats
		if err := s.Decode(wire); err != nil {
			t.Fatal(err)
		}
	})
	if n != 0 {
		t.Errorf("decoding 16 u32 attributes allocated %v times, want 0", n)
	}
}
