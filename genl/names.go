package genl

import (
	"errors"
	"strconv"
	"strings"
)

// AttrNamer names attributes for error paths. Generated code and the dynamic
// codec implement it. AttrName returns the name of attribute typ in this
// attribute space and the namer of its nested space (nil if not a nest).
// An unknown attribute has the name "".
type AttrNamer interface {
	AttrName(typ uint16) (name string, nested AttrNamer)
}

// NameTable is a ready AttrNamer over tables: Names[typ] is the name,
// Nested[typ] the nested table (nil if none).
type NameTable struct {
	Names  []string
	Nested []*NameTable
	// Any, if not nil, is the nested table of every type that has no
	// Nested entry of its own. It names what lies inside the elements of
	// an indexed array, whose types are their indices: a table with only
	// Any set makes kernel error paths read ".rings.1.name" (the index, as
	// unnamed types are, then the element's attributes).
	Any *NameTable
	// Sub, indexed by type, describes the attributes whose payload is a
	// sub-message (its format chosen by a sibling attribute), so error
	// paths descend into them: ".linkinfo.data.stp-state".
	Sub []*SubTable
}

// AttrName implements AttrNamer. Types past the end of the tables, and a nil
// table, have no name and no nested space.
func (t *NameTable) AttrName(typ uint16) (string, AttrNamer) {
	if t == nil {
		return "", nil
	}
	var name string
	if int(typ) < len(t.Names) {
		name = t.Names[typ]
	}
	// Return an untyped nil, never a nil *NameTable wrapped in the interface,
	// so callers can compare the namer with nil.
	if int(typ) < len(t.Nested) && t.Nested[typ] != nil {
		return name, t.Nested[typ]
	}
	if t.Any != nil {
		return name, t.Any
	}
	return name, nil
}

// DecodeError names where decoding failed.
type DecodeError struct {
	// Path holds attribute names, outermost first (".header.dev-name" is
	// {"header", "dev-name"}); an attribute without a known name appears as
	// its decimal type number ("7"). Path is empty when the failure is not
	// tied to one attribute.
	Path []string
	// Type is the type of the innermost offending attribute.
	Type uint16
	// Offset is the offset of that attribute in the innermost buffer.
	Offset int
	// Msg says what was wrong, e.g. "want 4 bytes, got 2".
	Msg string
	// Err is the underlying error when InAttr wrapped a non-DecodeError.
	Err error
}

// Error renders the error as `decode .header.dev-name: want 4 bytes, got 2`.
// An attribute known only by number renders as `decode attr 7: ...` at the
// top level and `.header.7` below it.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("decode")
	if p := e.PathString(); p != "" {
		b.WriteByte(' ')
		b.WriteString(p)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// PathString renders Path the way the kernel's C ynl prints attribute
// paths: ".header.dev-name". A single unnamed attribute renders as "attr 7".
func (e *DecodeError) PathString() string {
	if len(e.Path) == 1 && isNumber(e.Path[0]) {
		return "attr " + e.Path[0]
	}
	n := 0
	for _, p := range e.Path {
		n += 1 + len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range e.Path {
		b.WriteByte('.')
		b.WriteString(p)
	}
	return b.String()
}

// Unwrap returns the wrapped error, if any.
func (e *DecodeError) Unwrap() error { return e.Err }

// InAttr prepends name to the path of a *DecodeError (any other error is
// wrapped into a DecodeError with that path). Nested decoders use it:
//
//	if err := m.Header.decode(w.Data()); err != nil { return genl.InAttr(err, "header") }
//
// InAttr returns nil for a nil error.
func InAttr(err error, name string) error {
	if err == nil {
		return nil
	}
	var de *DecodeError
	if errors.As(err, &de) {
		de.Path = append([]string{name}, de.Path...)
		return err
	}
	return &DecodeError{Path: []string{name}, Msg: err.Error(), Err: err}
}

// attrName names typ from names, or returns its decimal number.
func attrName(names []string, typ uint16) string {
	if int(typ) < len(names) && names[typ] != "" {
		return names[typ]
	}
	return strconv.Itoa(int(typ))
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
