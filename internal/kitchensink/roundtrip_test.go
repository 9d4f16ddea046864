package kitchensink

import (
	"encoding/json"
	"net"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
)

// cmpOpts compares values of the generated types; netip.Addr has
// unexported fields, so it is compared with ==.
var cmpOpts = []cmp.Option{cmp.Comparer(func(a, b netip.Addr) bool { return a == b })}

// full returns an Attrs with every field set, explicit zeros included.
func full() *Attrs {
	inner := Inner{ID: genl.Some[uint32](7), Label: genl.Some("seven"), Value: genl.Some[int64](-7),
		Child: &Inner{ID: genl.Some[uint32](8), Percent: genl.Some[uint8](0)}}
	pair := Pair{Port: 443, Weight: 3, Count: 1 << 20, Label: "tcp", Hwaddr: [6]byte{2, 0, 0, 0, 0, 1}, Total: 1 << 40}
	return &Attrs{
		U8:        genl.Some[uint8](0), // an explicit zero must be sent and decoded
		U16:       genl.Some[uint16](0xbeef),
		U32:       genl.Some[uint32](0),
		U64:       genl.Some[uint64](1 << 60),
		S8:        genl.Some[int8](-8),
		S16:       genl.Some[int16](-16),
		S32:       genl.Some[int32](-32),
		S64:       genl.Some[int64](-1 << 50),
		Uint:      genl.Some[uint64](1 << 33),
		Sint:      genl.Some[int64](-5),
		Name:      genl.Some("eth0"),
		Enabled:   true,
		Blob:      []byte{1, 2, 3},
		Be16:      genl.Some[uint16](0x1234),
		Be32:      genl.Some[uint32](0x12345678),
		Be64:      genl.Some[uint64](0x0102030405060708),
		Color:     genl.Some(ColorBlue),
		Opts:      genl.Some(OptsVerbose | OptsForce),
		OptsSel:   genl.Some(Bitfield32{Value: uint32(OptsForce), Selector: uint32(OptsForce | OptsDryRun)}),
		Hwaddr:    net.HardwareAddr{0, 1, 2, 3, 4, 5},
		Addr4:     netip.MustParseAddr("192.0.2.1"),
		Addr6:     netip.MustParseAddr("2001:db8::1"),
		Addr:      netip.MustParseAddr("198.51.100.7"),
		UUID:      genl.Some([16]byte{0: 0xde, 15: 0xad}),
		Pair:      &pair,
		Pairs:     []Pair{pair, {Label: "x"}},
		U32Array:  []uint32{1, 2, 0xffffffff},
		Be16Array: []uint16{0x0102, 0x0304},
		Inner:     &inner,
		Inners:    []Inner{inner, {}},
		MultiU32:  []uint32{5, 0, 6},
		MultiName: []string{"a", "", "c"},
		IdxU32:    []uint32{10, 20, 30},
		IdxInner:  []Inner{inner, {ID: genl.Some[uint32](2)}},
		IdxBlob:   [][]byte{{1}, {2, 3}},
		Table: map[uint16]map[uint16]Inner{
			1: {1: {ID: genl.Some[uint32](11)}, 2: {Label: genl.Some("r1c2")}},
			3: {7: {Value: genl.Some[int64](37)}},
		},
		Percent: genl.Some[uint8](100),
		Level:   genl.Some[int16](5),
		Key:     make([]byte, 16),
		Stats:   &Stats{RXPackets: genl.Some[uint32](1), RXMissedErrors: genl.Some[uint32](16)},
	}
}

func encode(m interface{ Encode(*genl.Encoder) }) []byte {
	var e genl.Encoder
	m.Encode(&e)
	return e.Bytes()
}

func TestRoundTripEveryType(t *testing.T) {
	want := full()
	var got Attrs
	if err := got.Decode(encode(want)); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, &got, cmpOpts...); d != "" {
		t.Errorf("decode(encode(m)) differs (-want +got):\n%s", d)
	}
}

func TestRoundTripEachField(t *testing.T) {
	// One field at a time, so a field that is lost or leaks into another
	// shows up on its own.
	src := full()
	for _, f := range []struct {
		name string
		set  func(*Attrs)
	}{
		{"u8", func(m *Attrs) { m.U8 = src.U8 }},
		{"u32 zero", func(m *Attrs) { m.U32 = src.U32 }},
		{"sint", func(m *Attrs) { m.Sint = src.Sint }},
		{"uint", func(m *Attrs) { m.Uint = src.Uint }},
		{"flag", func(m *Attrs) { m.Enabled = true }},
		{"bitfield32", func(m *Attrs) { m.OptsSel = src.OptsSel }},
		{"uuid", func(m *Attrs) { m.UUID = src.UUID }},
		{"addr4", func(m *Attrs) { m.Addr4 = src.Addr4 }},
		{"addr v6 in ipv4-or-v6", func(m *Attrs) { m.Addr = netip.MustParseAddr("2001:db8::2") }},
		{"struct", func(m *Attrs) { m.Pair = src.Pair }},
		{"empty indexed array", func(m *Attrs) { m.IdxU32 = []uint32{} }},
		{"table", func(m *Attrs) { m.Table = src.Table }},
		{"empty nest", func(m *Attrs) { m.Inner = &Inner{} }},
	} {
		t.Run(f.name, func(t *testing.T) {
			var want, got Attrs
			f.set(&want)
			if err := got.Decode(encode(&want)); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(&want, &got, cmpOpts...); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestExplicitZeroIsSent(t *testing.T) {
	m := Attrs{U32: genl.Some[uint32](0)}
	b := encode(&m)
	if len(b) != 8 {
		t.Fatalf("encoded %d bytes, want one 8-byte u32 attribute: % x", len(b), b)
	}
	var got Attrs
	if err := got.Decode(b); err != nil {
		t.Fatal(err)
	}
	if v, ok := got.U32.Get(); !ok || v != 0 {
		t.Errorf("U32 = %v, want an explicit 0", got.U32)
	}
	if got.U8.Valid {
		t.Errorf("U8 = %v, want absent", got.U8)
	}
}

func TestStructBinary(t *testing.T) {
	p := full().Pair
	b, err := p.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != PairSize {
		t.Fatalf("len = %d, want %d", len(b), PairSize)
	}
	var got Pair
	if err := got.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if got != *p {
		t.Errorf("got %+v, want %+v", got, *p)
	}
	if err := got.UnmarshalBinary(b[:PairSize-1]); err == nil {
		t.Error("UnmarshalBinary accepted a short buffer")
	}
}

func TestEnumAndFlagStrings(t *testing.T) {
	for _, c := range []struct {
		v    interface{ String() string }
		want string
	}{
		{ColorRed, "red"},
		{ColorBlue, "blue"},
		{Color(7), "7"},
		{Opts(0), "0"},
		{OptsVerbose | OptsForce, "verbose|force"},
		{OptsDryRun | 0x40, "dry-run|0x40"},
		{CmdGet, "get"},
		{Cmd(99), "99"},
	} {
		if got := c.v.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
}

func TestEnumText(t *testing.T) {
	m := Attrs{Color: genl.Some(ColorBlue), Opts: genl.Some(OptsVerbose | OptsForce | 0x40)}
	b, err := json.Marshal(&m)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"ks-header":{"ifindex":0,"flags":"0","pad":[0,0]},"color":"blue","opts":"verbose|force|0x40"}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back Attrs
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Color != m.Color || back.Opts != m.Opts {
		t.Errorf("round trip: %v %v", back.Color, back.Opts)
	}
	var c Color
	if err := c.UnmarshalText([]byte("7")); err != nil || c != 7 {
		t.Errorf("number: %v %v", c, err)
	}
	if err := c.UnmarshalText([]byte("purple")); err == nil {
		t.Error("an unknown name was accepted")
	}
}
