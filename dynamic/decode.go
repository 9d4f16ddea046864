package dynamic

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Options tune decoding.
type Options struct {
	// ProcessUnknown keeps attributes the spec does not define, as
	// "UnknownAttr(N)": hex (or, for a nest, an object of its attributes
	// named the same way), instead of failing. Sub-message formats the spec
	// lacks are kept as hex.
	ProcessUnknown bool
}

// Decode decodes the netlink attributes in b per set. The result lists the
// attributes in spec order (unknown ones last, in wire order). A malformed
// or unexpected attribute is a *PathError naming its path.
func Decode(set *family.AttrSet, b []byte, opts Options) (*Map, error) {
	d := &decoder{opts: opts}
	return d.attrs(set, b, nil, nil)
}

// DecodeMessage decodes a message body: the fixed header hdr (may be nil),
// whose members come first in the result, then the attributes of set
// starting at the next 4-byte boundary.
func DecodeMessage(hdr *family.Definition, set *family.AttrSet, b []byte, opts Options) (*Map, error) {
	d := &decoder{opts: opts}
	m := &Map{}
	if hdr != nil {
		if len(b) < hdr.Size {
			return nil, decErr(nil, "message is %d bytes, shorter than its fixed header %s (%d bytes)", len(b), hdr.Name, hdr.Size)
		}
		if err := d.structInto(m, hdr, b[:hdr.Size], nil); err != nil {
			return nil, err
		}
		b = b[min(align4(hdr.Size), len(b)):]
	}
	if set == nil {
		return m, nil
	}
	return d.attrs(set, b, nil, m)
}

// DecodeStruct decodes b as the packed struct def.
func DecodeStruct(def *family.Definition, b []byte) (*Map, error) {
	d := &decoder{}
	m := &Map{}
	return m, d.structInto(m, def, b, nil)
}

// decoder keeps the objects being decoded, outermost first, so a
// sub-message can find its selector in an enclosing object.
type decoder struct {
	opts  Options
	stack []*Map
}

// attrs decodes the attributes of set in b into m (a new Map when nil) and
// puts them in spec order after any fields m already has.
func (d *decoder) attrs(set *family.AttrSet, b []byte, path *pathNode, m *Map) (*Map, error) {
	if m == nil {
		m = &Map{}
	}
	if set == nil {
		set = emptySet
	}
	first := len(m.Fields)
	d.stack = append(d.stack, m)
	defer func() { d.stack = d.stack[:len(d.stack)-1] }()
	w := genl.NewWalker(b, nil)
	for w.Next() {
		if err := d.attr(set, m, &w, path); err != nil {
			return nil, err
		}
	}
	if err := walkErr(&w, path); err != nil {
		return nil, err
	}
	sortSpecOrder(set, m.Fields[first:])
	return m, nil
}

// walkErr turns a Walker's error (a malformed attribute header) into a
// *PathError at path, with the offset the Walker names.
func walkErr(w *genl.Walker, path *pathNode) error {
	err := w.Err()
	if err == nil {
		return nil
	}
	var de *genl.DecodeError
	if errors.As(err, &de) {
		return decErr(path, "offset %d: %s", de.Offset, de.Msg)
	}
	return atPath("decode", path, err)
}

// attr decodes one attribute of set into m.
func (d *decoder) attr(set *family.AttrSet, m *Map, w *genl.Walker, path *pathNode) error {
	ra := rawAttr{typ: w.Type(), nested: w.Nested(), netBO: w.NetByteOrder(), data: w.Data()}
	a := set.ByValue(int(ra.typ))
	if a == nil || a.Type == family.TypeUnused {
		if !d.opts.ProcessUnknown {
			return decErr(join(path, strconv.Itoa(int(ra.typ))), "unknown attribute type %d in attribute set %q", ra.typ, set.Name)
		}
		addUnknown(m, ra)
		return nil
	}
	if a.Type == family.TypePad {
		return nil
	}
	p := join(path, a.Name)
	v, err := d.one(a, a.Type, ra, p)
	if err != nil {
		return err
	}
	if !a.MultiAttr {
		m.Set(a.Name, v)
		return nil
	}
	old, _ := m.Get(a.Name)
	list, _ := old.([]any)
	m.Set(a.Name, append(list, v))
	return nil
}

func unknownKey(typ uint16) string { return fmt.Sprintf("UnknownAttr(%d)", typ) }

// rawAttr is the attribute a Walker stands on.
type rawAttr struct {
	typ    uint16 // without flag bits
	nested bool   // NLA_F_NESTED
	netBO  bool   // NLA_F_NET_BYTEORDER
	data   []byte
}

// addUnknown adds an attribute the spec does not define to m as
// "UnknownAttr(N)"; a second one of the same type turns the value into a
// list, as pyynl does.
func addUnknown(m *Map, ra rawAttr) {
	k, v := unknownKey(ra.typ), unknownValue(ra)
	old, ok := m.Get(k)
	if !ok {
		m.Fields = append(m.Fields, Field{k, v})
		return
	}
	list, isList := old.([]any) // unknown values are never lists themselves
	if !isList {
		list = []any{old}
	}
	m.Set(k, append(list, v))
}

// unknownValue renders an attribute the spec does not define: a nest (by
// NLA_F_NESTED) as an object of unknown attributes, anything else as hex.
func unknownValue(ra rawAttr) any {
	if ra.nested {
		m := &Map{}
		w := genl.NewWalker(ra.data, nil)
		for w.Next() {
			addUnknown(m, rawAttr{typ: w.Type(), nested: w.Nested(), data: w.Data()})
		}
		if w.Err() == nil {
			return m
		}
	}
	return hex.EncodeToString(ra.data)
}

// sortSpecOrder orders fields by their attribute's position in set; unknown
// attributes keep their wire order after the known ones. Each field's
// position is looked up once; fields the kernel sent in spec order (the
// usual case) are left as they are, and the rest are put in order by a
// stable insertion sort, without the allocations of sort.SliceStable.
func sortSpecOrder(set *family.AttrSet, fields []Field) {
	if len(fields) < 2 {
		return
	}
	var buf [32]int
	pos := buf[:0]
	if len(fields) > len(buf) {
		pos = make([]int, 0, len(fields))
	}
	sorted := true
	for _, f := range fields {
		p := len(set.Attributes)
		for i, a := range set.Attributes {
			if a.Name == f.Key {
				p = i
				break
			}
		}
		if len(pos) > 0 && p < pos[len(pos)-1] {
			sorted = false
		}
		pos = append(pos, p)
	}
	if sorted {
		return
	}
	for i := 1; i < len(fields); i++ {
		for j := i; j > 0 && pos[j] < pos[j-1]; j-- {
			pos[j], pos[j-1] = pos[j-1], pos[j]
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
}

// one decodes a single instance of attribute a, whose payload has type t
// (the attribute's type, or its sub-type inside an indexed-array).
func (d *decoder) one(a *family.Attr, t family.AttrType, ra rawAttr, path *pathNode) (any, error) {
	p := ra.data
	switch t {
	case family.TypeFlag:
		return true, nil
	case family.TypeString:
		if i := bytes.IndexByte(p, 0); i >= 0 {
			p = p[:i]
		}
		return string(p), nil
	case family.TypeBinary:
		return d.binary(a, p, path)
	case family.TypeBitfield32:
		return d.bitfield32Value(a, p, path)
	case family.TypeNest:
		if a.Nested == nil {
			return hex.EncodeToString(p), nil
		}
		return d.attrs(a.Nested, p, path, nil)
	case family.TypeIndexedArray:
		return d.indexedArray(a, p, path)
	case family.TypeNestTypeValue:
		return d.nestTypeValue(a, p, path)
	case family.TypeSubMessage:
		return d.subMessage(a, p, path)
	}
	if t.IsScalar() {
		u, err := readScalar(t, a.ByteOrder, ra.netBO, p)
		if err != nil {
			return nil, decErr(path, "%v", err)
		}
		return d.scalarOut(t, a.Enum, a.EnumAsFlags, a.DisplayHint, len(p), u), nil
	}
	return hex.EncodeToString(p), nil
}

// scalarOut renders a decoded integer: enum name, flag names, display-hint
// text, or the number.
func (d *decoder) scalarOut(t family.AttrType, enum *family.Definition, asFlags bool, hint string, width int, u uint64) any {
	raw := scalarValue(t.IsSigned(), u)
	switch {
	case isFlags(enum, asFlags):
		return flagsValue(enum, u, d.opts.ProcessUnknown)
	case enum != nil:
		return enumValue(enum, u, raw, d.opts.ProcessUnknown)
	}
	if s, ok := formatScalarHint(hint, width, u); ok {
		return s
	}
	return raw
}

func (d *decoder) bitfield32Value(a *family.Attr, p []byte, path *pathNode) (any, error) {
	if len(p) != 8 {
		return nil, decErr(path, "want 8 bytes for bitfield32, got %d", len(p))
	}
	m := &Map{}
	for i, k := range []string{"value", "selector"} {
		u, _ := readScalar(family.TypeU32, family.HostEndian, false, p[4*i:4*i+4])
		if a.Enum != nil {
			m.Set(k, flagsValue(a.Enum, u, d.opts.ProcessUnknown))
		} else {
			m.Set(k, u)
		}
	}
	return m, nil
}

// binary decodes a struct, an array of scalars, or bytes as text.
func (d *decoder) binary(a *family.Attr, p []byte, path *pathNode) (any, error) {
	if a.Struct != nil {
		m := &Map{}
		return m, d.structInto(m, a.Struct, p, path)
	}
	if st := a.SubType; st.IsScalar() {
		w := st.Width()
		if w == 0 {
			w = 4 // uint/sint arrays: 4-byte elements
		}
		if len(p)%w != 0 {
			return nil, decErr(path, "%d bytes is not a whole number of %s", len(p), st)
		}
		list := make([]any, 0, len(p)/w)
		for i := 0; i < len(p); i += w {
			u, _ := readScalar(st, a.ByteOrder, false, p[i:i+w])
			list = append(list, d.scalarOut(st, a.Enum, a.EnumAsFlags, a.DisplayHint, w, u))
		}
		return list, nil
	}
	return formatBytes(a.DisplayHint, p), nil
}

// align4 rounds a fixed header's size up to where the attributes start.
func align4(n int) int { return (n + 3) &^ 3 }
