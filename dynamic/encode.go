package dynamic

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Encode encodes v, an object of attributes named as in set, into netlink
// attributes in spec order. An unknown name, a value of the wrong shape or
// out of range is a *PathError naming the JSON path.
func Encode(set *family.AttrSet, v map[string]any) ([]byte, error) {
	e := &encoder{}
	if err := e.attrs(set, v, nil, nil); err != nil {
		return nil, err
	}
	return e.w.Bytes(), nil
}

// EncodeMessage encodes a message body: the fixed header hdr (may be nil),
// whose members are taken from v, then the attributes of set, which are the
// rest of v. Members missing from v are zero.
func EncodeMessage(hdr *family.Definition, set *family.AttrSet, v map[string]any) (header, attrs []byte, err error) {
	e := &encoder{}
	var taken map[string]bool
	if hdr != nil {
		taken = memberNames(hdr)
		header, err = e.structFrom(hdr, v, nil, false)
		if err != nil {
			return nil, nil, err
		}
	}
	if err := e.attrs(set, v, nil, taken); err != nil {
		return nil, nil, err
	}
	return header, e.w.Bytes(), nil
}

// EncodeStruct encodes v as the packed struct def.
func EncodeStruct(def *family.Definition, v map[string]any) ([]byte, error) {
	e := &encoder{}
	return e.structFrom(def, v, nil, true)
}

// encoder appends attributes with genl's Encoder, the one wire codec the
// generated code uses too, and keeps the objects being encoded, outermost
// first, so a sub-message can find its selector in an enclosing object.
type encoder struct {
	w     genl.Encoder
	stack []map[string]any
}

// wireErr turns the Encoder's sticky error (an attribute or nest too long
// for nla_len) into a *PathError at path.
func (e *encoder) wireErr(path *pathNode) error {
	var ee *genl.EncodeError
	if err := e.w.Err(); err != nil {
		if errors.As(err, &ee) {
			return encErr(path, "%s", ee.Msg)
		}
		return atPath("encode", path, err)
	}
	return nil
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
func (e *encoder) attrs(set *family.AttrSet, v map[string]any, path *pathNode, skip map[string]bool) error {
	if set == nil {
		set = emptySet
	}
	if err := checkKeys(set, v, path, skip); err != nil {
		return err
	}
	e.stack = append(e.stack, v)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	for _, a := range set.Attributes {
		val, ok := v[a.Name]
		if !ok || skip[a.Name] {
			continue
		}
		if err := e.attr(a, val, join(path, a.Name)); err != nil {
			return err
		}
	}
	return nil
}

// emptySet stands in for a missing attribute set: it has no attributes.
var emptySet = &family.AttrSet{Name: "(none)"}

// checkKeys rejects names set does not define, in sorted order so the error
// is stable.
func checkKeys(set *family.AttrSet, v map[string]any, path *pathNode, skip map[string]bool) error {
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
func (e *encoder) attr(a *family.Attr, val any, path *pathNode) error {
	if !a.MultiAttr {
		return e.one(a, val, path)
	}
	list, ok := val.([]any)
	if !ok {
		return e.one(a, val, path)
	}
	for i, item := range list {
		if err := e.one(a, item, index(path, i)); err != nil {
			return err
		}
	}
	return nil
}

// one appends a single instance of attribute a.
func (e *encoder) one(a *family.Attr, val any, path *pathNode) error {
	typ := uint16(a.Value)
	switch a.Type {
	case family.TypeFlag:
		on, ok := val.(bool)
		if !ok && val != nil {
			return encErr(path, "flag wants true or false, got %s", describe(val))
		}
		if on {
			e.w.Flag(typ)
		}
		return nil
	case family.TypeString:
		s, ok := val.(string)
		if !ok {
			return encErr(path, "want a string, got %s", describe(val))
		}
		e.w.String(typ, s)
		return e.wireErr(path)
	case family.TypeBinary:
		p, err := e.binary(a, val, path)
		if err != nil {
			return err
		}
		e.w.Binary(typ, p)
		return e.wireErr(path)
	case family.TypeBitfield32:
		v, sel, err := bitfield32(a, val, path)
		if err != nil {
			return err
		}
		e.w.Bitfield32(typ, v, sel)
		return nil
	case family.TypeNest:
		return e.nest(typ, a.Nested, val, path)
	case family.TypeIndexedArray:
		return e.indexedArray(a, val, path)
	case family.TypeNestTypeValue:
		return e.nestTypeValue(a, val, path)
	case family.TypeSubMessage:
		return e.subMessage(a, val, path)
	case family.TypeUnused, family.TypePad:
		return encErr(path, "%s attributes are never sent", a.Type)
	}
	if a.Type.IsScalar() {
		u, err := scalarBits(a.Type, a.Enum, a.EnumAsFlags, a.DisplayHint, val)
		if err != nil {
			return atPath("encode", path, err)
		}
		e.scalar(typ, a.Type, a.ByteOrder, u)
		return nil
	}
	return encErr(path, "attribute type %q is not supported", a.Type)
}

// scalar appends an integer attribute of type t in byte order bo.
func (e *encoder) scalar(typ uint16, t family.AttrType, bo family.ByteOrder, u uint64) {
	var buf [8]byte
	e.w.Binary(typ, appendScalar(buf[:0], wireWidth(t, u), bo, u))
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
func (e *encoder) nest(typ uint16, set *family.AttrSet, val any, path *pathNode) error {
	obj, ok := object(val)
	if !ok {
		return encErr(path, "want an object, got %s", describe(val))
	}
	if set == nil {
		return encErr(path, "nest has no attribute set")
	}
	tok := e.w.Nest(typ)
	if err := e.attrs(set, obj, path, nil); err != nil {
		return err
	}
	e.w.End(tok)
	return e.wireErr(path)
}

// bitfield32 reads {"value": v, "selector": s}; with an enum each may be
// given as flag names.
func bitfield32(a *family.Attr, val any, path *pathNode) (value, selector uint32, err error) {
	obj, ok := object(val)
	if !ok {
		return 0, 0, encErr(path, "bitfield32 wants {\"value\": ..., \"selector\": ...}, got %s", describe(val))
	}
	var out [2]uint32
	for i, k := range []string{"value", "selector"} {
		if x, ok := obj[k]; ok {
			u, err := scalarBits(family.TypeU32, a.Enum, a.Enum != nil, "", x)
			if err != nil {
				return 0, 0, atPath("encode", join(path, k), err)
			}
			out[i] = uint32(u)
		}
	}
	for k := range obj {
		if k != "value" && k != "selector" {
			return 0, 0, encErr(join(path, k), "unknown bitfield32 field (want value and selector)")
		}
	}
	return out[0], out[1], nil
}

// binary builds the payload of a binary attribute: a struct, an array of
// scalars, or bytes given as hex or display-hint text.
func (e *encoder) binary(a *family.Attr, val any, path *pathNode) ([]byte, error) {
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
func bytesFrom(hint string, val any, path *pathNode) ([]byte, error) {
	s, ok := val.(string)
	if !ok {
		return nil, encErr(path, "want binary data as a hex string, got %s", describe(val))
	}
	p, err := parseBytes(hint, s)
	return p, atPath("encode", path, err)
}

// scalarArray packs a list of integers of the attribute's sub-type.
func scalarArray(a *family.Attr, val any, path *pathNode) ([]byte, error) {
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
