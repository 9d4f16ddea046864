package kitchensink

import (
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// FuzzDecodeAttrs feeds the Attrs decoder structured seeds: each decoder must
// return a value or an error, never panic, and a value it returns must
// validate and encode without panicking, and decode again after encoding.
func FuzzDecodeAttrs(f *testing.F) {
	f.Add(encode(full()))
	f.Add(encode(&Attrs{IdxInner: []Inner{{Child: &Inner{}}}}))
	f.Add(nest(AttrTable, nest(1, nest(2, attr(AttrInnerID, 1, 2, 3, 4)))))
	f.Add([]byte{4, 0, 1, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		var m Attrs
		if err := m.Decode(b); err != nil {
			return
		}
		_ = m.Validate()
		var e genl.Encoder
		m.Encode(&e)
		if e.Err() != nil {
			return // too long for nla_len once re-encoded
		}
		var again Attrs
		if err := again.Decode(e.Bytes()); err != nil {
			t.Fatalf("decoding the re-encoded value failed: %v", err)
		}
		var s Stats
		_ = s.Decode(b)
		var in Inner
		_ = in.Decode(b)
		var p Pair
		_ = p.UnmarshalBinary(b)
		_, _ = DecodeNotification(genl.Message{Command: uint8(CmdChanged), Data: b})
	})
}
