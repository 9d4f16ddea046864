package dynamic

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// Encode encodes v, an object of attributes named as in set, into netlink
// attributes in spec order. An unknown name, a value of the wrong shape or
// out of range is a *PathError naming the JSON path.
func Encode(set *family.AttrSet, v map[string]any) ([]byte, error) {
	e := &encoder{}
	return e.attrs(nil, set, v, "", nil)
}

// EncodeMessage encodes a message body: the fixed header hdr (may be nil),
// whose members are taken from v, then the attributes of set, which are the
// rest of v. Members missing from v are zero.
func EncodeMessage(hdr *family.Definition, set *family.AttrSet, v map[string]any) (header, attrs []byte, err error) {
	e := &encoder{}
	var taken map[string]bool
	if hdr != nil {
		taken = memberNames(hdr)
		header, err = e.structFrom(hdr, v, "", false)
		if err != nil {
			return nil, nil, err
		}
	}
	attrs, err = e.attrs(nil, set, v, "", taken)
	return header, attrs, err
}

// EncodeStruct encodes v as the packed struct def.
func EncodeStruct(def *family.Definition, v map[string]any) ([]byte, error) {
	e := &encoder{}
	return e.structFrom(def, v, "", true)
}

// encoder keeps the objects being encoded, outermost first, so a
// sub-message can find its selector in an enclosing object.
type encoder struct {
	stack []map[string]any
}

func memberNames(def *family.Definition) map[string]bool {
	m := make(map[string]bool, len(def.Members))
	for _, mb := range def.Members {
		m[mb.Name] = true
	}
	return m
}

// attrs appends the attributes of set given in v, in spec order. Keys in
// skip belong to a fixed header and are not attributes.
func (e *encoder) attrs(b []byte, set *family.AttrSet, v map[string]any, path string, skip map[string]bool) ([]byte, error) {
	if set == nil {
		set = emptySet
	}
	if err := checkKeys(set, v, path, skip); err != nil {
		return nil, err
	}
	e.stack = append(e.stack, v)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	for _, a := range set.Attributes {
		val, ok := v[a.Name]
		if !ok || skip[a.Name] {
			continue
		}
		var err error
		if b, err = e.attr(b, a, val, join(path, a.Name)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// emptySet stands in for a missing attribute set: it has no attributes.
var emptySet = &family.AttrSet{Name: "(none)"}

// checkKeys rejects names set does not define, in sorted order so the error
// is stable.
func checkKeys(set *family.AttrSet, v map[string]any, path string, skip map[string]bool) error {
	var bad []string
	for k := range v {
		if !skip[k] && set.Attr(k) == nil {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return encErr(join(path, bad[0]), "unknown attribute (attribute set %q)", set.Name)
}

// attr appends attribute a holding val; multi-attr values are lists.
func (e *encoder) attr(b []byte, a *family.Attr, val any, path string) ([]byte, error) {
	if !a.MultiAttr {
		return e.one(b, a, val, path)
	}
	list, ok := val.([]any)
	if !ok {
		return e.one(b, a, val, path)
	}
	for i, item := range list {
		var err error
		if b, err = e.one(b, a, item, index(path, i)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// one appends a single instance of attribute a.
func (e *encoder) one(b []byte, a *family.Attr, val any, path string) ([]byte, error) {
	typ := uint16(a.Value)
	switch a.Type {
	case family.TypeFlag:
		on, ok := val.(bool)
		if !ok && val != nil {
			return nil, encErr(path, "flag wants true or false, got %s", describe(val))
		}
		if on {
			b = appendAttr(b, typ, nil)
		}
		return b, nil
	case family.TypeString:
		s, ok := val.(string)
		if !ok {
			return nil, encErr(path, "want a string, got %s", describe(val))
		}
		return appendPayload(b, typ, append([]byte(s), 0), path)
	case family.TypeBinary:
		p, err := e.binary(a, val, path)
		if err != nil {
			return nil, err
		}
		return appendPayload(b, typ, p, path)
	case family.TypeBitfield32:
		p, err := bitfield32(a, val, path)
		if err != nil {
			return nil, err
		}
		return appendAttr(b, typ, p), nil
	case family.TypeNest:
		return e.nest(b, typ, a.Nested, val, path)
	case family.TypeIndexedArray:
		return e.indexedArray(b, a, val, path)
	case family.TypeNestTypeValue:
		return e.nestTypeValue(b, a, val, path)
	case family.TypeSubMessage:
		return e.subMessage(b, a, val, path)
	case family.TypeUnused, family.TypePad:
		return nil, encErr(path, "%s attributes are never sent", a.Type)
	}
	if a.Type.IsScalar() {
		u, err := scalarBits(a.Type, a.Enum, a.EnumAsFlags, a.DisplayHint, val)
		if err != nil {
			return nil, atPath("encode", path, err)
		}
		return appendAttr(b, typ, appendScalar(nil, wireWidth(a.Type, u), a.ByteOrder, u)), nil
	}
	return nil, encErr(path, "attribute type %q is not supported", a.Type)
}

// appendPayload appends an attribute after checking it fits in nla_len.
func appendPayload(b []byte, typ uint16, p []byte, path string) ([]byte, error) {
	if len(p) > maxAttrPayload {
		return nil, encErr(path, "value too long (%d bytes)", len(p))
	}
	return appendAttr(b, typ, p), nil
}

// scalarBits converts val to the bit pattern of integer type t, by enum
// entry name, flag names, display-hint text or number, checking the range.
func scalarBits(t family.AttrType, enum *family.Definition, asFlags bool, hint string, val any) (uint64, error) {
	n, err := scalarNumber(enum, asFlags, hint, val)
	if err != nil {
		return 0, err
	}
	return n.bits(t.IsSigned(), typeBits(t), string(t))
}

// scalarNumber converts val to an integer, by enum entry name, flag names,
// display-hint text or number, without checking the type's range.
func scalarNumber(enum *family.Definition, asFlags bool, hint string, val any) (number, error) {
	var n number
	var err error
	switch {
	case isFlags(enum, asFlags):
		n, err = flagsToNumber(enum, val)
	case enum != nil:
		n, err = enumToNumber(enum, val)
	default:
		var ok bool
		if n, ok = parseScalarHint(hint, val); !ok {
			n, err = toNumber(val)
		}
	}
	return n, err
}

// object accepts a JSON object as a map or as a decoded *Map.
func object(val any) (map[string]any, bool) {
	switch m := val.(type) {
	case map[string]any:
		return m, true
	case *Map:
		out := make(map[string]any, m.Len())
		for _, f := range m.Fields {
			out[f.Key] = f.Value
		}
		return out, true
	}
	return nil, false
}

// nest appends a nest (with NLA_F_NESTED) holding the attributes of set.
func (e *encoder) nest(b []byte, typ uint16, set *family.AttrSet, val any, path string) ([]byte, error) {
	obj, ok := object(val)
	if !ok {
		return nil, encErr(path, "want an object, got %s", describe(val))
	}
	if set == nil {
		return nil, encErr(path, "nest has no attribute set")
	}
	b, off := startNest(b, typ)
	b, err := e.attrs(b, set, obj, path, nil)
	if err != nil {
		return nil, err
	}
	b, err = endNest(b, off)
	return b, atPath("encode", path, err)
}

// bitfield32 encodes {"value": v, "selector": s}; with an enum each may be
// given as flag names.
func bitfield32(a *family.Attr, val any, path string) ([]byte, error) {
	obj, ok := object(val)
	if !ok {
		return nil, encErr(path, "bitfield32 wants {\"value\": ..., \"selector\": ...}, got %s", describe(val))
	}
	var p []byte
	for _, k := range []string{"value", "selector"} {
		u := uint64(0)
		if x, ok := obj[k]; ok {
			var err error
			u, err = scalarBits(family.TypeU32, a.Enum, a.Enum != nil, "", x)
			if err != nil {
				return nil, atPath("encode", join(path, k), err)
			}
		}
		p = appendScalar(p, 4, family.HostEndian, u)
	}
	for k := range obj {
		if k != "value" && k != "selector" {
			return nil, encErr(join(path, k), "unknown bitfield32 field (want value and selector)")
		}
	}
	return p, nil
}

// binary builds the payload of a binary attribute: a struct, an array of
// scalars, or bytes given as hex or display-hint text.
func (e *encoder) binary(a *family.Attr, val any, path string) ([]byte, error) {
	if a.Struct != nil {
		obj, ok := object(val)
		if !ok {
			return nil, encErr(path, "want an object for struct %s, got %s", a.Struct.Name, describe(val))
		}
		return e.structFrom(a.Struct, obj, path, true)
	}
	if a.SubType.IsScalar() {
		return scalarArray(a, val, path)
	}
	return bytesFrom(a.DisplayHint, val, path)
}

// bytesFrom reads binary data from text (hex or per display hint).
func bytesFrom(hint string, val any, path string) ([]byte, error) {
	s, ok := val.(string)
	if !ok {
		return nil, encErr(path, "want binary data as a hex string, got %s", describe(val))
	}
	p, err := parseBytes(hint, s)
	return p, atPath("encode", path, err)
}

// scalarArray packs a list of integers of the attribute's sub-type.
func scalarArray(a *family.Attr, val any, path string) ([]byte, error) {
	list, ok := val.([]any)
	if !ok {
		return nil, encErr(path, "want a list of %s, got %s", a.SubType, describe(val))
	}
	var p []byte
	for i, item := range list {
		u, err := scalarBits(a.SubType, a.Enum, a.EnumAsFlags, "", item)
		if err != nil {
			return nil, atPath("encode", index(path, i), err)
		}
		p = appendScalar(p, wireWidth(a.SubType, u), a.ByteOrder, u)
	}
	return p, nil
}

// selector finds the value of the named selector attribute in the object
// being encoded or an enclosing one, innermost first, as format text.
func (e *encoder) selector(name string) (string, bool) {
	for i := len(e.stack) - 1; i >= 0; i-- {
		if v, ok := e.stack[i][name]; ok {
			switch x := v.(type) {
			case string:
				return x, true
			default:
				if n, err := toNumber(x); err == nil {
					return n.String(), true
				}
			}
			return fmt.Sprint(v), true
		}
	}
	return "", false
}

// formatKey renders a selector value for error messages.
func formatKey(s string) string { return strconv.Quote(s) }
