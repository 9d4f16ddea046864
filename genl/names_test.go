package genl

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

func TestNameTable(t *testing.T) {
	header := &NameTable{Names: []string{1: "dev-index", 2: "dev-name"}}
	top := &NameTable{Names: []string{1: "header", 2: "link"}, Nested: []*NameTable{1: header}}
	name, nested := top.AttrName(1)
	if name != "header" || nested != AttrNamer(header) {
		t.Errorf("AttrName(1) = %q, %v", name, nested)
	}
	name, nested = top.AttrName(2)
	if name != "link" || nested != nil {
		t.Errorf("AttrName(2) = %q, %#v; want link and an untyped nil", name, nested)
	}
	if name, nested = top.AttrName(300); name != "" || nested != nil {
		t.Errorf("AttrName(300) = %q, %v", name, nested)
	}
	var none *NameTable
	if name, nested = none.AttrName(1); name != "" || nested != nil {
		t.Errorf("nil table AttrName = %q, %v", name, nested)
	}
}

// Any names the nested space of every type without a Nested entry: the
// elements of an indexed array.
func TestNameTableAny(t *testing.T) {
	ring := &NameTable{Names: []string{1: "name"}}
	rings := &NameTable{Any: ring}
	top := &NameTable{Names: []string{1: "header", 2: "rings"}, Nested: []*NameTable{2: rings}}
	for _, typ := range []uint16{0, 1, 7, 65535} {
		if name, nested := rings.AttrName(typ); name != "" || nested != AttrNamer(ring) {
			t.Errorf("rings.AttrName(%d) = %q, %v; want no name and the ring table", typ, name, nested)
		}
	}
	own := &NameTable{Names: []string{1: "a"}, Nested: []*NameTable{1: top}, Any: ring}
	if _, nested := own.AttrName(1); nested != AttrNamer(top) {
		t.Errorf("a Nested entry does not win over Any: %v", nested)
	}
	if name, nested := top.AttrName(1); name != "header" || nested != nil {
		t.Errorf("without Any: %q, %#v", name, nested)
	}
	// A kernel error pointing at an element's attribute reads by index.
	var e Encoder
	n := e.Nest(2)
	el := e.Nest(1)
	e.String(1, "rx")
	e.End(el)
	el = e.Nest(2)
	e.String(1, "tx")
	e.End(el)
	e.End(n)
	if got, _ := attrPath(e.Bytes(), 20, top); got != ".rings.2.name" {
		t.Errorf("attrPath = %q, want .rings.2.name", got)
	}
}

func TestDecodeErrorPaths(t *testing.T) {
	tests := []struct {
		err  *DecodeError
		want string
	}{
		{&DecodeError{Path: []string{"header", "dev-name"}, Msg: "want 4 bytes, got 2"}, "decode .header.dev-name: want 4 bytes, got 2"},
		{&DecodeError{Path: []string{"7"}, Msg: "bad"}, "decode attr 7: bad"},
		{&DecodeError{Path: []string{"header", "7"}, Msg: "bad"}, "decode .header.7: bad"},
		{&DecodeError{Msg: "bad"}, "decode: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestInAttr(t *testing.T) {
	if InAttr(nil, "x") != nil {
		t.Error("InAttr(nil) != nil")
	}
	w := NewWalker(attr(2, 1), []string{2: "dev-name"})
	for w.Next() {
		w.Uint32()
	}
	err := InAttr(InAttr(w.Err(), "header"), "outer")
	if got, want := err.Error(), "decode .outer.header.dev-name: want 4 bytes, got 1"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Other errors are wrapped, and still match.
	err = InAttr(fmt.Errorf("short: %w", io.ErrUnexpectedEOF), "stats")
	if got, want := err.Error(), "decode .stats: short: unexpected EOF"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Error("wrapped error lost")
	}
	var de *DecodeError
	if !errors.As(err, &de) || len(de.Path) != 1 {
		t.Errorf("not a DecodeError with a path: %#v", err)
	}
}
