package codegen

import (
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// emitFuzzTest writes zfuzz_test.go: FuzzDecode, whose first input byte
// picks one of the package's decoders (an attribute set, a packed struct,
// or DecodeNotification) and the rest is its input. Whatever the bytes,
// a decoder returns a value or an error; a value encodes and decodes
// again to an equal one.
func (g *gen) emitFuzzTest(f *GeneratedFile) {
	ntfs := g.fuzzNotifications()
	f.P("// fuzzDecoders are the decoders FuzzDecode feeds: the first input byte")
	f.P("// picks one, the rest is its input.")
	f.P("var fuzzDecoders = []fuzzDecoder{")
	for _, gs := range g.setList {
		f.P("{", strconv.Quote(gs.s.Name), ", fuzzAttrs[", gs.Name, "], fuzzAttrSeeds(len(", gs.names, "))},")
	}
	for _, d := range g.f.Definitions {
		if d.Kind == family.DefStruct {
			n := g.defs[d].Name
			f.P("{", strconv.Quote(d.Name), ", fuzzStruct[", n, "], fuzzStructSeeds[", n, "]()},")
		}
	}
	if len(ntfs) > 0 {
		f.P("{\"notification\", fuzzNotification, fuzzNotificationSeeds()},")
	}
	f.P("}")
	f.P()
	if len(ntfs) > 0 {
		f.P("// fuzzNotifications are the ids DecodeNotification decodes, with the")
		f.P("// length of their fixed header.")
		f.P("var fuzzNotifications = []struct {")
		f.P("cmd    uint8")
		f.P("hdrLen int")
		f.P("}{")
		for _, o := range ntfs {
			_, hdrLen := g.opHeader(o, "")
			f.P("{uint8(", g.ntfID(o), "), ", hdrLen, "},")
		}
		f.P("}")
		f.P()
	}
	f.PSource(fuzzSrc, "fmt", "reflect", "testing", "github.com/google/go-cmp/cmp", genlPath)
	if len(ntfs) > 0 {
		f.PSource(fuzzNotificationSrc, "slices", genlPath)
	}
}

// fuzzNotifications returns the ops DecodeNotification decodes, none when
// the package has no DecodeNotification.
func (g *gen) fuzzNotifications() []*goOp {
	if !g.f.Protocol.IsGenetlink() || len(g.notifications()) == 0 && len(g.f.MulticastGroups) == 0 {
		return nil
	}
	return g.notifications()
}

// fuzzSrc is FuzzDecode and the helpers of its decoders.
const fuzzSrc = `// fuzzDecoder is one decoder of FuzzDecode: decode checks one input, and
// seeds are inputs worth starting from.
type fuzzDecoder struct {
	name   string
	decode func([]byte) error
	seeds  [][]byte
}


// FuzzDecode feeds arbitrary bytes to the package's decoders: each must
// return a value or an error, never panic, and a value it returns must
// encode and decode again to an equal value.
func FuzzDecode(f *testing.F) {
	for i, d := range fuzzDecoders {
		for _, s := range d.seeds {
			f.Add(append([]byte{byte(i)}, s...))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		d := fuzzDecoders[int(b[0])%len(fuzzDecoders)]
		if err := d.decode(b[1:]); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
	})
}

// fuzzAttrs decodes b as the attribute set T. A value must pass Validate
// without panicking, encode, and decode again to an equal value.
func fuzzAttrs[T any, P interface {
	*T
	Decode([]byte) error
	Encode(*genl.Encoder)
	Validate() error
}](b []byte) error {
	var m T
	if P(&m).Decode(b) != nil {
		return nil
	}
	_ = P(&m).Validate()
	e, err := fuzzEncode(P(&m), len(b))
	if e == nil {
		return err
	}
	var again T
	if err := P(&again).Decode(e); err != nil {
		return fmt.Errorf("decoding the re-encoded value: %v", err)
	}
	return fuzzSame(&m, &again)
}

// fuzzEncode encodes m, decoded from n bytes. An error is a failure
// unless the input was large enough to legitimately grow past an
// attribute's 64 KiB limit (strings regain their NUL, short uints widen):
// then both results are nil.
func fuzzEncode(m interface{ Encode(*genl.Encoder) }, n int) ([]byte, error) {
	var e genl.Encoder
	m.Encode(&e)
	if err := e.Err(); err != nil {
		if n > 32<<10 {
			return nil, nil
		}
		return nil, fmt.Errorf("encoding the decoded value: %v", err)
	}
	return e.Bytes(), nil
}

// fuzzStruct decodes b as the packed struct T, which must marshal and
// unmarshal again to an equal value.
func fuzzStruct[T any, P interface {
	*T
	UnmarshalBinary([]byte) error
	MarshalBinary() ([]byte, error)
}](b []byte) error {
	var s T
	if P(&s).UnmarshalBinary(b) != nil {
		return nil
	}
	e, err := P(&s).MarshalBinary()
	if err != nil {
		return fmt.Errorf("marshalling the decoded value: %v", err)
	}
	var again T
	if err := P(&again).UnmarshalBinary(e); err != nil {
		return fmt.Errorf("unmarshalling the re-marshalled value: %v", err)
	}
	return fuzzSame(&s, &again)
}

// fuzzSame reports how the second decoding of a value differs from the
// first.
func fuzzSame(first, second any) error {
	if reflect.DeepEqual(first, second) {
		return nil
	}
	all := cmp.Exporter(func(reflect.Type) bool { return true })
	return fmt.Errorf("the re-encoded value decodes differently (-first +second):\n%s", cmp.Diff(first, second, all))
}

// fuzzAttrSeeds returns inputs holding one attribute of each of n types:
// empty, 4 zero bytes, and two nested empty attributes.
func fuzzAttrSeeds(n int) [][]byte {
	out := [][]byte{{}}
	for t := 1; t < n; t++ {
		for _, payload := range [][]byte{{}, {0, 0, 0, 0}, {4, 0, 1, 0, 4, 0, 2, 0}} {
			a := []byte{byte(4 + len(payload)), 0, byte(t), byte(t >> 8)}
			out = append(out, append(a, payload...))
		}
	}
	return out
}

// fuzzStructSeeds returns the packed forms of the zero T and of a T with
// every bit set.
func fuzzStructSeeds[T any, P interface {
	*T
	MarshalBinary() ([]byte, error)
}]() [][]byte {
	var s T
	b, _ := P(&s).MarshalBinary()
	ones := make([]byte, len(b))
	for i := range ones {
		ones[i] = 0xff
	}
	return [][]byte{b, ones}
}
`

// fuzzNotificationSrc fuzzes DecodeNotification: the first byte is the
// command, the rest the message's data.
const fuzzNotificationSrc = `// fuzzNotification decodes b[1:] as a notification of command b[0]. A
// decoded message must encode, after the same fixed header, and decode
// again to an equal notification.
func fuzzNotification(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	m := genl.Message{Command: b[0], Data: b[1:]}
	n, err := DecodeNotification(m)
	if err != nil || n.Msg == nil {
		return nil
	}
	hdrLen := 0
	for _, c := range fuzzNotifications {
		if c.cmd == m.Command {
			hdrLen = c.hdrLen
		}
	}
	e, err := fuzzEncode(n.Msg.(interface{ Encode(*genl.Encoder) }), len(b))
	if e == nil {
		return err
	}
	m.Data = append(slices.Clip(m.Data[:hdrLen]), e...)
	again, err := DecodeNotification(m)
	if err != nil {
		return fmt.Errorf("decoding the re-encoded notification: %v", err)
	}
	return fuzzSame(n, again)
}

// fuzzNotificationSeeds returns, for each notification, a message of its
// fixed header (zeroed) and the seeds of fuzzAttrSeeds(3).
func fuzzNotificationSeeds() [][]byte {
	var out [][]byte
	for _, c := range fuzzNotifications {
		for _, s := range fuzzAttrSeeds(3) {
			b := append([]byte{c.cmd}, make([]byte, c.hdrLen)...)
			out = append(out, append(b, s...))
		}
	}
	return out
}
`
