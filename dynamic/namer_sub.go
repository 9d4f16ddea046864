package dynamic

import (
	"encoding/binary"
	"strconv"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// SubMessage implements genl.SubMessageNamer: the format of sub-message
// attribute typ is the one its selector, a sibling in siblings, names, so
// kernel error paths read ".linkinfo.data.stp-state".
func (n Namer) SubMessage(typ uint16, siblings []byte) (genl.AttrNamer, int, bool) {
	a := n.Set.ByValue(int(typ))
	if a == nil || a.SubMessage == nil || a.SelectorAttr == nil {
		return nil, 0, false
	}
	sel, ok := selectorValue(a.SelectorAttr, siblings)
	if !ok {
		return nil, 0, false
	}
	f := a.SubMessage.Format(sel)
	if f == nil {
		return nil, 0, false
	}
	hdr := 0
	if f.FixedHeader != nil {
		hdr = f.FixedHeader.Size
	}
	return NewNamer(f.AttrSet), hdr, true
}

// selectorValue reads the selector attribute sel among siblings as the
// formats name their values: a string's text, an enum's entry name, an
// integer's decimal.
func selectorValue(sel *family.Attr, siblings []byte) (string, bool) {
	w := genl.NewWalker(siblings, nil)
	for w.Next() {
		if int(w.Type()) != sel.Value {
			continue
		}
		if sel.Type == family.TypeString {
			return w.String(), true
		}
		var v uint64
		switch d := w.Data(); len(d) {
		case 1:
			v = uint64(d[0])
		case 2:
			v = uint64(binary.NativeEndian.Uint16(d))
		case 4:
			v = uint64(binary.NativeEndian.Uint32(d))
		case 8:
			v = binary.NativeEndian.Uint64(d)
		default:
			return "", false
		}
		if sel.Enum != nil {
			for _, e := range sel.Enum.Entries {
				if e.Value == v {
					return e.Name, true
				}
			}
		}
		return strconv.FormatUint(v, 10), true
	}
	return "", false
}
