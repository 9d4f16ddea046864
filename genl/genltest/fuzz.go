package genltest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
)

// Decoder is one decoder a generated package's FuzzDecode feeds: Decode
// checks one input and returns an error only for a failure (a value that
// does not survive encoding and decoding again), and Seeds are inputs
// worth starting from.
type Decoder struct {
	Name   string
	Decode func([]byte) error
	Seeds  [][]byte
}

// FuzzDecoders runs f over decoders: the first byte of an input picks a
// decoder, the rest is its input. Whatever the bytes, a decoder must
// return a value or an error, never panic, and a value it returns must
// encode and decode again to an equal value. Generated packages call it
// from their FuzzDecode.
func FuzzDecoders(f *testing.F, decoders []Decoder) {
	if len(decoders) == 0 {
		f.Skip("no decoders")
	}
	for i, d := range decoders {
		for _, s := range d.Seeds {
			f.Add(append([]byte{byte(i)}, s...))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 {
			return
		}
		d := decoders[int(b[0])%len(decoders)]
		if err := d.Decode(b[1:]); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
	})
}

// AttrsDecoder is the Decoder of the attribute-set struct T, whose set
// has attribute types below n: a decoded value must pass Validate without
// panicking, encode, and decode again to an equal value.
func AttrsDecoder[T any, P interface {
	*T
	Decode([]byte) error
	Encode(*genl.Encoder)
	Validate() error
}](name string, n int) Decoder {
	return Decoder{Name: name, Decode: decodeAttrs[T, P], Seeds: attrSeeds(n)}
}

func decodeAttrs[T any, P interface {
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
	e, err := encodeDecoded(P(&m), len(b))
	if e == nil {
		return err
	}
	var again T
	if err := P(&again).Decode(e); err != nil {
		return fmt.Errorf("decoding the re-encoded value: %v", err)
	}
	return same(&m, &again)
}

// encodeDecoded encodes m, decoded from n bytes. An error is a failure
// unless the input was large enough to legitimately grow past an
// attribute's 64 KiB limit (strings regain their NUL, short uints widen):
// then both results are nil.
func encodeDecoded(m interface{ Encode(*genl.Encoder) }, n int) ([]byte, error) {
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

// StructDecoder is the Decoder of the packed struct T, which must marshal
// and unmarshal again to an equal value.
func StructDecoder[T any, P interface {
	*T
	UnmarshalBinary([]byte) error
	MarshalBinary() ([]byte, error)
}](name string) Decoder {
	return Decoder{Name: name, Decode: decodeStruct[T, P], Seeds: structSeeds[T, P]()}
}

func decodeStruct[T any, P interface {
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
	return same(&s, &again)
}

// NotificationHeader is a notification id and the length of the fixed
// header its messages carry.
type NotificationHeader struct {
	Cmd    uint8
	HdrLen int
}

// NotificationDecoder is the Decoder of a package's DecodeNotification:
// the first byte of its input is the command, the rest the message's data.
// msg returns the decoded message of a notification (nil for an id the
// package does not describe); a decoded message must encode, after the
// same fixed header, and decode again to an equal notification.
func NotificationDecoder[N any](decode func(genl.Message) (N, error), msg func(N) any, ntfs []NotificationHeader) Decoder {
	dec := func(b []byte) error {
		if len(b) == 0 {
			return nil
		}
		m := genl.Message{Command: b[0], Data: b[1:]}
		n, err := decode(m)
		if err != nil || msg(n) == nil {
			return nil
		}
		enc, ok := msg(n).(interface{ Encode(*genl.Encoder) })
		if !ok {
			return fmt.Errorf("command %d decodes to %T, which cannot encode", m.Command, msg(n))
		}
		hdrLen := 0
		for _, h := range ntfs {
			if h.Cmd == m.Command {
				hdrLen = h.HdrLen
			}
		}
		e, err := encodeDecoded(enc, len(b))
		if e == nil {
			return err
		}
		m.Data = append(slices.Clip(m.Data[:hdrLen]), e...)
		again, err := decode(m)
		if err != nil {
			return fmt.Errorf("decoding the re-encoded notification: %v", err)
		}
		return same(&n, &again)
	}
	var seeds [][]byte
	for _, h := range ntfs {
		for _, s := range attrSeeds(3) {
			b := append([]byte{h.Cmd}, make([]byte, h.HdrLen)...)
			seeds = append(seeds, append(b, s...))
		}
	}
	return Decoder{Name: "notification", Decode: dec, Seeds: seeds}
}

// same reports how the second decoding of a value differs from the first.
func same(first, second any) error {
	if reflect.DeepEqual(first, second) {
		return nil
	}
	all := cmp.Exporter(func(reflect.Type) bool { return true })
	return fmt.Errorf("the re-encoded value decodes differently (-first +second):\n%s", cmp.Diff(first, second, all))
}

// attrSeeds returns inputs holding one attribute of each of n types:
// empty, 4 zero bytes, and two nested empty attributes.
func attrSeeds(n int) [][]byte {
	out := [][]byte{{}}
	for t := 1; t < n; t++ {
		for _, payload := range [][]byte{{}, {0, 0, 0, 0}, {4, 0, 1, 0, 4, 0, 2, 0}} {
			a := []byte{byte(4 + len(payload)), 0, byte(t), byte(t >> 8)}
			out = append(out, append(a, payload...))
		}
	}
	return out
}

// structSeeds returns the packed forms of the zero T and of a T with every
// bit set.
func structSeeds[T any, P interface {
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
