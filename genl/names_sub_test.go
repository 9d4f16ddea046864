package genl

import "testing"

// TestAttrPathSubMessage walks an error offset into a sub-message whose
// format (chosen by the sibling "kind") starts with a fixed header.
func TestAttrPathSubMessage(t *testing.T) {
	inner := &NameTable{Names: []string{2: "limit"}}
	names := &NameTable{
		Names: []string{1: "kind", 2: "options"},
		Sub: []*SubTable{2: {Selector: 1, Formats: map[string]SubFormat{
			"fifo": {HeaderLen: 4, Names: inner},
		}}},
	}
	e := NewEncoder(nil)
	e.String(1, "fifo") // 4 + 8 bytes
	opt := e.Len()
	n := e.Nest(2)
	e.Raw([]byte{9, 9, 9, 9}) // the format's fixed header
	limit := e.Len()
	e.Uint32(2, 7)
	e.End(n)
	attrs := e.Bytes()
	for _, tc := range []struct {
		off  int
		want string
	}{
		{limit, ".options.limit"},
		{limit + 4, ".options.limit+0"},
		{opt + 4 + 1, ".options+1"},
		{opt, ".options"},
	} {
		if got, _ := attrPath(attrs, tc.off, names); got != tc.want {
			t.Errorf("offset %d: %q, want %q", tc.off, got, tc.want)
		}
	}
	// Another selector value: the path stops at the sub-message.
	e = NewEncoder(nil)
	e.String(1, "other")
	opt = e.Len()
	n = e.Nest(2)
	e.Uint32(2, 7)
	e.End(n)
	if got, _ := attrPath(e.Bytes(), opt+4, names); got != ".options.2" {
		t.Errorf("unknown format: %q, want .options.2", got)
	}
}
