package dynamic

import (
	"slices"

	"github.com/ynlgo/ynl/family"
)

// structFrom packs the members of def from obj; absent members are zero.
// With strict, keys that are not members are errors (in a message body they
// are attributes).
func (e *encoder) structFrom(def *family.Definition, obj map[string]any, path *pathNode, strict bool) ([]byte, error) {
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

func checkMembers(def *family.Definition, obj map[string]any, path *pathNode) error {
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
func (e *encoder) member(m *family.Member, val any, path *pathNode) ([]byte, error) {
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

// indexedArray appends a nest whose entries have types 1, 2, 3, ... An
// entry may also be given as {"N": value}, the shape decoding prints (and
// pyynl prints) for nested entries; N is then its type.
func (e *encoder) indexedArray(a *family.Attr, val any, path *pathNode) error {
	list, ok := val.([]any)
	if !ok {
		return encErr(path, "want a list, got %s", describe(val))
	}
	tok := e.w.Nest(uint16(a.Value))
	for i, item := range list {
		typ, item, err := arrayIndex(a, i, item, index(path, i))
		if err != nil {
			return err
		}
		if err := e.arrayEntry(a, typ, item, index(path, i)); err != nil {
			return err
		}
	}
	e.w.End(tok)
	return e.wireErr(path)
}

// arrayIndex returns the type of entry i of an indexed-array and its
// value: i+1 and item, or for a nested entry written {"N": {...}} N and
// the inner object.
func arrayIndex(a *family.Attr, i int, item any, path *pathNode) (uint16, any, error) {
	if a.SubType != family.TypeNest {
		return uint16(i + 1), item, nil
	}
	obj, ok := object(item)
	if !ok || len(obj) != 1 {
		return uint16(i + 1), item, nil
	}
	for k, v := range obj {
		if !isIndex(k) {
			break
		}
		n, err := parseNumber(k)
		if err != nil {
			return 0, nil, atPath("encode", path, err)
		}
		u, err := n.bits(false, 14, "indexed-array index")
		if err != nil {
			return 0, nil, atPath("encode", path, err)
		}
		return uint16(u), v, nil
	}
	return uint16(i + 1), item, nil
}

// isIndex reports whether k is a decimal number, the key of an
// indexed-array entry.
func isIndex(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < '0' || k[i] > '9' {
			return false
		}
	}
	return true
}

func (e *encoder) arrayEntry(a *family.Attr, typ uint16, item any, path *pathNode) error {
	switch st := a.SubType; {
	case st == family.TypeNest:
		return e.nest(typ, a.Nested, item, path)
	case st.IsScalar():
		u, err := scalarBits(st, a.Enum, a.EnumAsFlags, a.DisplayHint, item)
		if err != nil {
			return atPath("encode", path, err)
		}
		e.scalar(typ, st, a.ByteOrder, u)
		return nil
	case st == family.TypeString:
		s, ok := item.(string)
		if !ok {
			return encErr(path, "want a string, got %s", describe(item))
		}
		e.w.String(typ, s)
		return e.wireErr(path)
	case st == family.TypeBinary:
		var p []byte
		var err error
		if a.Struct != nil {
			obj, ok := object(item)
			if !ok {
				return encErr(path, "want an object for struct %s, got %s", a.Struct.Name, describe(item))
			}
			p, err = e.structFrom(a.Struct, obj, path, true)
		} else {
			p, err = bytesFrom(a.DisplayHint, item, path)
		}
		if err != nil {
			return err
		}
		e.w.Binary(typ, p)
		return e.wireErr(path)
	}
	return encErr(path, "indexed-array sub-type %q is not supported", a.SubType)
}

// nestTypeValue appends a nest-type-value attribute from one entry (an
// object, as decoding prints it) or a list of entries, each naming its key
// at every level (the type-value names) beside its attributes. Entries
// sharing a key share the nest; keys are sent in ascending order at every
// level.
func (e *encoder) nestTypeValue(a *family.Attr, val any, path *pathNode) error {
	list, ok := val.([]any)
	if !ok {
		if _, isObj := object(val); !isObj {
			return encErr(path, "want an entry object or a list of entries, got %s", describe(val))
		}
		list = []any{val}
	}
	entries := make([]ntvEntry, len(list))
	for i, item := range list {
		obj, ok := object(item)
		p := index(path, i)
		if !ok {
			return encErr(p, "want an object, got %s", describe(item))
		}
		entries[i] = ntvEntry{obj: obj, path: p}
		for _, lv := range a.TypeValue {
			v, ok := obj[lv]
			if !ok {
				return encErr(join(p, lv), "missing nest-type-value key")
			}
			n, err := toNumber(v)
			if err == nil {
				var u uint64
				u, err = n.bits(false, 14, "attribute type")
				entries[i].keys = append(entries[i].keys, uint16(u))
			}
			if err != nil {
				return atPath("encode", join(p, lv), err)
			}
		}
	}
	tok := e.w.Nest(uint16(a.Value))
	if err := e.ntvLevel(a, entries, 0); err != nil {
		return err
	}
	e.w.End(tok)
	return e.wireErr(path)
}

type ntvEntry struct {
	obj  map[string]any
	keys []uint16
	path *pathNode
}

func (e *encoder) ntvLevel(a *family.Attr, entries []ntvEntry, level int) error {
	if level == len(a.TypeValue) {
		skip := make(map[string]bool, len(a.TypeValue))
		for _, lv := range a.TypeValue {
			skip[lv] = true
		}
		for _, en := range entries {
			if err := e.attrs(a.Nested, en.obj, en.path, skip); err != nil {
				return err
			}
		}
		return nil
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
		tok := e.w.Nest(k)
		if err := e.ntvLevel(a, groups[k], level+1); err != nil {
			return err
		}
		e.w.End(tok)
		if err := e.wireErr(groups[k][0].path); err != nil {
			return err
		}
	}
	return nil
}

// subMessage appends a sub-message: the format is chosen by the selector
// attribute's value in this object or an enclosing one.
func (e *encoder) subMessage(a *family.Attr, val any, path *pathNode) error {
	obj, ok := object(val)
	if !ok {
		return encErr(path, "want an object, got %s", describe(val))
	}
	sel, ok := e.selector(a.SelectorName)
	if !ok {
		return encErr(path, "selector attribute %q is not set", a.SelectorName)
	}
	f := a.SubMessage.Format(sel)
	if f == nil {
		return encErr(path, "sub-message %s has no format for %s %s", a.SubMessage.Name, a.SelectorName, formatKey(sel))
	}
	tok := e.w.Nest(uint16(a.Value))
	var skip map[string]bool
	if f.FixedHeader != nil {
		skip = memberNames(f.FixedHeader)
		hdr, err := e.structFrom(f.FixedHeader, obj, path, f.AttrSet == nil)
		if err != nil {
			return err
		}
		e.w.Raw(hdr)
	}
	if f.AttrSet != nil {
		if err := e.attrs(f.AttrSet, obj, path, skip); err != nil {
			return err
		}
	} else if f.FixedHeader == nil && len(obj) > 0 {
		return encErr(path, "format %s of sub-message %s carries no attributes", formatKey(sel), a.SubMessage.Name)
	}
	e.w.End(tok)
	return e.wireErr(path)
}
