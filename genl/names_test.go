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
