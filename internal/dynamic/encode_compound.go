package dynamic

import (
	"slices"

	"github.com/ynlgo/ynl/family"
)

// structFrom packs the members of def from obj; absent members are zero.
// With strict, keys that are not members are errors (in a message body they
// are attributes).
func (e *encoder) structFrom(def *family.Definition, obj map[string]any, path string, strict bool) ([]byte, error) {
	if strict {
		if err := checkMembers(def, obj, path); err != nil {
			return nil, err
		}
	}
	p := make([]byte, 0, def.Size)
	for _, m := range def.Members {
		val, ok := obj[m.Name]
		if !ok || m.Type == "pad" {
			p = append(p, make([]byte, m.Size)...)
			continue
		}
		mp, err := e.member(m, val, join(path, m.Name))
		if err != nil {
			return nil, err
		}
		p = append(p, mp...)
	}
	return p, nil
}

func checkMembers(def *family.Definition, obj map[string]any, path string) error {
	names := memberNames(def)
	var bad string
	for k := range obj {
		if !names[k] && (bad == "" || k < bad) {
			bad = k
		}
	}
	if bad != "" {
		return encErr(join(path, bad), "unknown member (struct %q)", def.Name)
	}
	return nil
}

// member encodes one struct member into exactly m.Size bytes.
func (e *encoder) member(m *family.Member, val any, path string) ([]byte, error) {
	t := family.AttrType(m.Type)
	if t.IsScalar() {
		u, err := scalarBits(t, m.Enum, m.EnumAsFlags, m.DisplayHint, val)
		if err != nil {
			return nil, atPath("encode", path, err)
		}
		return appendScalar(nil, m.Size, m.ByteOrder, u), nil
	}
	var p []byte
	switch {
	case m.Type == "string":
		s, ok := val.(string)
		if !ok {
			return nil, encErr(path, "want a string, got %s", describe(val))
		}
		p = []byte(s)
	case m.Struct != nil:
		obj, ok := object(val)
		if !ok {
			return nil, encErr(path, "want an object for struct %s, got %s", m.Struct.Name, describe(val))
		}
		var err error
		if p, err = e.structFrom(m.Struct, obj, path, true); err != nil {
			return nil, err
		}
	default:
		var err error
		if p, err = bytesFrom(m.DisplayHint, val, path); err != nil {
			return nil, err
		}
	}
	if len(p) > m.Size {
		return nil, encErr(path, "value is %d bytes, member holds %d", len(p), m.Size)
	}
	return append(p, make([]byte, m.Size-len(p))...), nil
}

// indexedArray appends a nest whose entries have types 1, 2, 3, ...
func (e *encoder) indexedArray(b []byte, a *family.Attr, val any, path string) ([]byte, error) {
	list, ok := val.([]any)
	if !ok {
		return nil, encErr(path, "want a list, got %s", describe(val))
	}
	b, off := startNest(b, uint16(a.Value))
	for i, item := range list {
		var err error
		if b, err = e.arrayEntry(b, a, uint16(i+1), item, index(path, i)); err != nil {
			return nil, err
		}
	}
	b, err := endNest(b, off)
	return b, atPath("encode", path, err)
}

func (e *encoder) arrayEntry(b []byte, a *family.Attr, typ uint16, item any, path string) ([]byte, error) {
	switch st := a.SubType; {
	case st == family.TypeNest:
		return e.nest(b, typ, a.Nested, item, path)
	case st.IsScalar():
		u, err := scalarBits(st, a.Enum, a.EnumAsFlags, a.DisplayHint, item)
		if err != nil {
			return nil, atPath("encode", path, err)
		}
		return appendAttr(b, typ, appendScalar(nil, wireWidth(st, u), a.ByteOrder, u)), nil
	case st == family.TypeString:
		s, ok := item.(string)
		if !ok {
			return nil, encErr(path, "want a string, got %s", describe(item))
		}
		return appendPayload(b, typ, append([]byte(s), 0), path)
	case st == family.TypeBinary:
		var p []byte
		var err error
		if a.Struct != nil {
			obj, ok := object(item)
			if !ok {
				return nil, encErr(path, "want an object for struct %s, got %s", a.Struct.Name, describe(item))
			}
			p, err = e.structFrom(a.Struct, obj, path, true)
		} else {
			p, err = bytesFrom(a.DisplayHint, item, path)
		}
		if err != nil {
			return nil, err
		}
		return appendPayload(b, typ, p, path)
	}
	return nil, encErr(path, "indexed-array sub-type %q is not supported", a.SubType)
}

// nestTypeValue appends a nest-type-value attribute from a list of entries,
// each naming its key at every level (the type-value names) beside its
// attributes. Entries sharing a key share the nest; keys are sent in
// ascending order at every level.
func (e *encoder) nestTypeValue(b []byte, a *family.Attr, val any, path string) ([]byte, error) {
	list, ok := val.([]any)
	if !ok {
		return nil, encErr(path, "want a list of entries, got %s", describe(val))
	}
	entries := make([]ntvEntry, len(list))
	for i, item := range list {
		obj, ok := object(item)
		if !ok {
			return nil, encErr(index(path, i), "want an object, got %s", describe(item))
		}
		entries[i] = ntvEntry{obj: obj, path: index(path, i)}
		for _, lv := range a.TypeValue {
			v, ok := obj[lv]
			if !ok {
				return nil, encErr(join(entries[i].path, lv), "missing nest-type-value key")
			}
			n, err := toNumber(v)
			if err == nil {
				var u uint64
				u, err = n.bits(false, 16, "attribute type")
				entries[i].keys = append(entries[i].keys, uint16(u)&nlaTypeMask)
			}
			if err != nil {
				return nil, atPath("encode", join(entries[i].path, lv), err)
			}
		}
	}
	b, off := startNest(b, uint16(a.Value))
	b, err := e.ntvLevel(b, a, entries, 0)
	if err != nil {
		return nil, err
	}
	b, err = endNest(b, off)
	return b, atPath("encode", path, err)
}

type ntvEntry struct {
	obj  map[string]any
	keys []uint16
	path string
}

func (e *encoder) ntvLevel(b []byte, a *family.Attr, entries []ntvEntry, level int) ([]byte, error) {
	if level == len(a.TypeValue) {
		skip := make(map[string]bool, len(a.TypeValue))
		for _, lv := range a.TypeValue {
			skip[lv] = true
		}
		for _, en := range entries {
			var err error
			if b, err = e.attrs(b, a.Nested, en.obj, en.path, skip); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	var order []uint16
	groups := map[uint16][]ntvEntry{}
	for _, en := range entries {
		k := en.keys[level]
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], en)
	}
	slices.Sort(order) // the generated code sends keys in ascending order too
	for _, k := range order {
		var off int
		b, off = startNest(b, k)
		var err error
		if b, err = e.ntvLevel(b, a, groups[k], level+1); err != nil {
			return nil, err
		}
		if b, err = endNest(b, off); err != nil {
			return nil, atPath("encode", groups[k][0].path, err)
		}
	}
	return b, nil
}

// subMessage appends a sub-message: the format is chosen by the selector
// attribute's value in this object or an enclosing one.
func (e *encoder) subMessage(b []byte, a *family.Attr, val any, path string) ([]byte, error) {
	obj, ok := object(val)
	if !ok {
		return nil, encErr(path, "want an object, got %s", describe(val))
	}
	sel, ok := e.selector(a.SelectorName)
	if !ok {
		return nil, encErr(path, "selector attribute %q is not set", a.SelectorName)
	}
	f := a.SubMessage.Format(sel)
	if f == nil {
		return nil, encErr(path, "sub-message %s has no format for %s %s", a.SubMessage.Name, a.SelectorName, formatKey(sel))
	}
	b, off := startNest(b, uint16(a.Value))
	var skip map[string]bool
	if f.FixedHeader != nil {
		skip = memberNames(f.FixedHeader)
		hdr, err := e.structFrom(f.FixedHeader, obj, path, f.AttrSet == nil)
		if err != nil {
			return nil, err
		}
		b = pad4(append(b, hdr...))
	}
	if f.AttrSet != nil {
		var err error
		if b, err = e.attrs(b, f.AttrSet, obj, path, skip); err != nil {
			return nil, err
		}
	} else if f.FixedHeader == nil && len(obj) > 0 {
		return nil, encErr(path, "format %s of sub-message %s carries no attributes", formatKey(sel), a.SubMessage.Name)
	}
	b, err := endNest(b, off)
	return b, atPath("encode", path, err)
}
