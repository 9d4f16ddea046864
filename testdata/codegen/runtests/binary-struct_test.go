package binarystruct

// This test is copied next to the generated package by the codegen
// compile test, and runs there.

import (
	"errors"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// An enum member of a packed struct is a uint32 in Go; one too large for
// its u8 fails Validate (naming the attribute and member), MarshalBinary
// and Encode, directly and through a nested struct, instead of being cut.
func TestStructEnumTooWideForWire(t *testing.T) {
	for _, c := range []struct {
		m    Shapes
		want string
	}{
		{Shapes{Labelled: &Labelled{Mark: Mark{Kind: 300}}}, "invalid .labelled: mark.kind: 300 does not fit in u8"},
		{Shapes{Marks: []Mark{{Kind: KindLine}, {Kind: 256}}}, "invalid .marks: kind: 256 does not fit in u8"},
	} {
		if err := c.m.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("Validate() = %v, want %s", err, c.want)
		}
		var e genl.Encoder
		c.m.Encode(&e)
		var ee *genl.EncodeError
		if !errors.As(e.Err(), &ee) {
			t.Errorf("Encode left Err() = %v, want an *EncodeError", e.Err())
		}
	}
	if _, err := (&Mark{Kind: 300}).MarshalBinary(); err == nil || err.Error() != "mark: kind: 300 does not fit in u8" {
		t.Errorf("MarshalBinary() error = %v", err)
	}
	ok := Shapes{Labelled: &Labelled{Label: 7, Mark: Mark{Kind: 255, Weight: 9}}, Marks: []Mark{{Kind: KindLine, Weight: 1}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	var e genl.Encoder
	ok.Encode(&e)
	if e.Err() != nil {
		t.Fatal(e.Err())
	}
	var back Shapes
	if err := back.Decode(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	if back.Labelled == nil || *back.Labelled != *ok.Labelled || len(back.Marks) != 1 || back.Marks[0] != ok.Marks[0] {
		t.Errorf("round trip: got %+v, want %+v", back, ok)
	}
}
