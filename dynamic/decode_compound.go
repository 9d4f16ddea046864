package dynamic

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// structInto decodes the members of def from p into m. Members past the
// end of a shorter payload are left out (older kernels send shorter
// structs); bytes past the struct are ignored (newer kernels send longer).
func (d *decoder) structInto(m *Map, def *family.Definition, p []byte, path *pathNode) error {
	for _, mb := range def.Members {
		if mb.Type == "pad" {
			continue
		}
		if mb.Offset+mb.Size > len(p) {
			break
		}
		v, err := d.member(mb, p[mb.Offset:mb.Offset+mb.Size], join(path, mb.Name))
		if err != nil {
			return err
		}
		m.Set(mb.Name, v)
	}
	return nil
}

func (d *decoder) member(mb *family.Member, p []byte, path *pathNode) (any, error) {
	t := family.AttrType(mb.Type)
	switch {
	case t.IsScalar():
		u, err := readScalar(t, mb.ByteOrder, false, p)
		if err != nil {
			return nil, decErr(path, "%v", err)
		}
		return d.scalarOut(t, mb.Enum, mb.EnumAsFlags, mb.DisplayHint, len(p), u), nil
	case mb.Type == "string":
		if i := bytes.IndexByte(p, 0); i >= 0 {
			p = p[:i]
		}
		return string(p), nil
	case mb.Struct != nil:
		m := &Map{}
		return m, d.structInto(m, mb.Struct, p, path)
	}
	return formatBytes(mb.DisplayHint, p), nil
}

// indexedArray decodes the entries of an indexed-array into a list, in wire
// order, whatever their index. Nested entries are objects keyed by their
// index, [{"1": {...}}, {"2": {...}}], as pyynl prints them; other entries
// are their values.
func (d *decoder) indexedArray(a *family.Attr, p []byte, path *pathNode) (any, error) {
	list := []any{}
	w := genl.NewWalker(p, nil)
	for w.Next() {
		ra := rawAttr{typ: w.Type(), nested: w.Nested(), netBO: w.NetByteOrder(), data: w.Data()}
		ep := index(path, len(list))
		var v any
		var err error
		switch {
		case a.SubType == family.TypeNest && a.Nested != nil:
			var m *Map
			if m, err = d.attrs(a.Nested, ra.data, ep, nil); err == nil {
				v = entryMap(strconv.Itoa(int(ra.typ)), m)
			}
		case a.SubType == family.TypeBinary:
			v, err = d.binary(a, ra.data, ep)
		default:
			v, err = d.one(a, a.SubType, ra, ep)
		}
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if err := walkErr(&w, path); err != nil {
		return nil, err
	}
	return list, nil
}

// entryMap is the object {"key": m} of an indexed-array entry, the Map and
// its one field in one allocation.
func entryMap(key string, m *Map) *Map {
	mf := &struct {
		m Map
		f [1]Field
	}{}
	mf.f[0] = Field{key, m}
	mf.m.Fields = mf.f[:1:1]
	return &mf.m
}

// nestTypeValue decodes a nest-type-value attribute into an object holding
// its key at every level (named as the spec's type-value) and then the
// attributes, as pyynl prints it. When the attribute holds several entries
// (pyynl keeps only the first), the result is a list of such objects.
func (d *decoder) nestTypeValue(a *family.Attr, p []byte, path *pathNode) (any, error) {
	if a.Nested == nil {
		return hex.EncodeToString(p), nil
	}
	list := []any{}
	var keys []uint64
	var level func(p []byte, n int, path *pathNode) error
	level = func(p []byte, n int, path *pathNode) error {
		if n == len(a.TypeValue) {
			m := &Map{}
			for i, lv := range a.TypeValue {
				m.Set(lv, keys[i])
			}
			if _, err := d.attrs(a.Nested, p, path, m); err != nil {
				return err
			}
			list = append(list, m)
			return nil
		}
		w := genl.NewWalker(p, nil)
		for w.Next() {
			keys = append(keys[:n], uint64(w.Type()))
			if err := level(w.Data(), n+1, join(path, strconv.Itoa(int(w.Type())))); err != nil {
				return err
			}
		}
		return walkErr(&w, path)
	}
	if err := level(p, 0, path); err != nil {
		return nil, err
	}
	if len(list) == 1 {
		return list[0], nil
	}
	return list, nil
}

// subMessage decodes a sub-message in the format its selector picks.
func (d *decoder) subMessage(a *family.Attr, p []byte, path *pathNode) (any, error) {
	sel, ok := d.selector(a.SelectorName)
	if !ok {
		return nil, decErr(path, "selector attribute %q precedes no sub-message here", a.SelectorName)
	}
	f := a.SubMessage.Format(sel)
	if f == nil {
		if d.opts.ProcessUnknown {
			return hex.EncodeToString(p), nil
		}
		return nil, decErr(path, "sub-message %s has no format for %s %q", a.SubMessage.Name, a.SelectorName, sel)
	}
	m := &Map{}
	if f.FixedHeader != nil {
		if len(p) < f.FixedHeader.Size {
			return nil, decErr(path, "%d bytes, shorter than fixed header %s (%d bytes)", len(p), f.FixedHeader.Name, f.FixedHeader.Size)
		}
		if err := d.structInto(m, f.FixedHeader, p, path); err != nil {
			return nil, err
		}
		p = p[min(align4(f.FixedHeader.Size), len(p)):]
	}
	if f.AttrSet == nil {
		return m, nil
	}
	return d.attrs(f.AttrSet, p, path, m)
}

// selector finds the decoded selector value in the object being decoded or
// an enclosing one, innermost first, as format text.
func (d *decoder) selector(name string) (string, bool) {
	for i := len(d.stack) - 1; i >= 0; i-- {
		if v, ok := d.stack[i].Get(name); ok {
			if s, ok := v.(string); ok {
				return s, true
			}
			return fmt.Sprint(v), true
		}
	}
	return "", false
}
