package genl

import (
	"encoding/binary"
	"strconv"
)

// SubMessageNamer is an AttrNamer that also knows which of its attributes
// are sub-messages: payloads whose format is chosen by the value of a
// sibling attribute (rt-link's linkinfo data by kind, tc's options by
// kind). Kernel error paths descend into them through it.
type SubMessageNamer interface {
	AttrNamer
	// SubMessage returns the namer of the format attribute typ has among
	// siblings (the attributes of the nest that holds it) and the length
	// of the fixed header the format starts with; ok is false when typ
	// is no sub-message or the selector names no known format.
	SubMessage(typ uint16, siblings []byte) (names AttrNamer, hdrLen int, ok bool)
}

// SubTable describes a sub-message attribute for error paths.
type SubTable struct {
	// Selector is the type of the sibling attribute choosing the format.
	Selector uint16
	// Int says the selector is an integer; its formats are keyed by its
	// decimal value. Otherwise it is a string, keyed by its text.
	Int bool
	// Formats holds the formats by selector value.
	Formats map[string]SubFormat
}

// SubFormat is one format of a sub-message.
type SubFormat struct {
	// HeaderLen is the size of the fixed header the payload starts with.
	HeaderLen int
	// Names names the attributes after it; nil when there are none.
	Names *NameTable
}

// SubMessage implements SubMessageNamer.
func (t *NameTable) SubMessage(typ uint16, siblings []byte) (AttrNamer, int, bool) {
	if t == nil || int(typ) >= len(t.Sub) || t.Sub[typ] == nil {
		return nil, 0, false
	}
	st := t.Sub[typ]
	sel, ok := st.selector(siblings)
	if !ok {
		return nil, 0, false
	}
	f, ok := st.Formats[sel]
	if !ok {
		return nil, 0, false
	}
	if f.Names == nil {
		return nil, f.HeaderLen, true
	}
	return f.Names, f.HeaderLen, true
}

// selector finds the selector among siblings and renders its value as
// the formats are keyed.
func (st *SubTable) selector(siblings []byte) (string, bool) {
	w := NewWalker(siblings, nil)
	for w.Next() {
		if w.Type() != st.Selector {
			continue
		}
		d := w.Data()
		if !st.Int {
			return w.String(), true
		}
		switch len(d) {
		case 1:
			return strconv.FormatUint(uint64(d[0]), 10), true
		case 2:
			return strconv.FormatUint(uint64(binary.NativeEndian.Uint16(d)), 10), true
		case 4:
			return strconv.FormatUint(uint64(binary.NativeEndian.Uint32(d)), 10), true
		case 8:
			return strconv.FormatUint(binary.NativeEndian.Uint64(d), 10), true
		}
		return "", false
	}
	return "", false
}
