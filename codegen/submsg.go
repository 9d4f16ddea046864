package codegen

import (
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// goSubMsg is a sub-message with its Go names: a struct with one field per
// format the spec describes, plus Raw for any other payload.
type goSubMsg struct {
	m      *family.SubMessage
	Name   string
	Fields []subField
}

// subField is the field of one format: the format's attribute set, or its
// fixed header when it has no attribute set. A format with both, or with
// neither, has no field: its payload lands in Raw.
type subField struct {
	f    *family.Format
	Name string
	set  *goSet
	hdr  *goDef
}

func (g *gen) nameSubMsgs() {
	for _, m := range g.f.SubMessages {
		gm := &goSubMsg{m: m, Name: g.pkg.take(GoName(m.Name), "Msg")}
		g.subMsgs[m] = gm
		g.subList = append(g.subList, gm)
	}
}

// nameSubFields runs once the sets have names.
func (g *gen) nameSubFields() {
	for _, gm := range g.subList {
		ns := namespace{"Raw": true}
		for _, f := range gm.m.Formats {
			sf := subField{f: f}
			switch {
			case f.AttrSet != nil && f.FixedHeader == nil:
				sf.set = g.sets[f.AttrSet]
			case f.AttrSet == nil && f.FixedHeader != nil:
				sf.hdr = g.defs[f.FixedHeader]
			default:
				continue
			}
			sf.Name = ns.take(GoName(f.Value), "_")
			gm.Fields = append(gm.Fields, sf)
		}
	}
}

// emitSubMsgs writes the codecs of the sub-message types.
func (g *gen) emitSubMsgs(f *GeneratedFile) {
	for _, gm := range g.subList {
		g.emitSubMsgEncode(f, gm)
		g.emitSubMsgDecode(f, gm)
	}
}

func (g *gen) emitSubMsgType(f *GeneratedFile, gm *goSubMsg) {
	first := fmt.Sprintf("%s is the %s sub-message: its format is chosen by the value of a selector attribute. Decoding sets the field of the selected format, or Raw when the spec does not describe it (or the selector is not in the same message); encoding sends the first field set.", gm.Name, gm.m.Name)
	for _, l := range docLines(first, gm.m.Doc) {
		f.P(l)
	}
	f.P("type ", gm.Name, " struct {")
	for _, sf := range gm.Fields {
		t := ""
		if sf.set != nil {
			t = sf.set.Name
		} else {
			t = sf.hdr.Name
		}
		f.P("// ", sf.Name, " is the payload when the selector is ", strconv.Quote(sf.f.Value), ".")
		f.P(sf.Name, " *", t, " `json:\"", sf.f.Value, ",omitempty\"`")
	}
	f.P("// Raw is a payload of a format without a field here.")
	f.P("Raw []byte `json:\"raw,omitempty\"`")
	f.P("}")
	f.P()
}

func (g *gen) emitSubMsgEncode(f *GeneratedFile, gm *goSubMsg) {
	f.P("// encodeAttr appends s as the attribute of type t.")
	f.P("func (s *", gm.Name, ") encodeAttr(e *", genlQ(f, "Encoder"), ", t uint16) {")
	f.P("switch {")
	for _, sf := range gm.Fields {
		f.P("case s.", sf.Name, " != nil:")
		if sf.set != nil {
			f.P("n := e.Nest(t)")
			f.P("s.", sf.Name, ".Encode(e)")
			f.P("e.End(n)")
		} else {
			f.P("s.", sf.Name, ".encodeAttr(e, t)")
		}
	}
	f.P("default:")
	f.P("e.Binary(t, s.Raw)")
	f.P("}")
	f.P("}")
	f.P()
}

func (g *gen) emitSubMsgDecode(f *GeneratedFile, gm *goSubMsg) {
	f.P("// decodeAttr decodes the walker's current attribute as the format")
	f.P("// selected by sel (ok reports whether the selector was found).")
	f.P("func (s *", gm.Name, ") decodeAttr(w *", genlQ(f, "Walker"), ", sel string, ok bool) error {")
	f.P("switch {")
	for _, sf := range gm.Fields {
		f.P("case ok && sel == ", strconv.Quote(sf.f.Value), ":")
		if sf.set != nil {
			f.P("s.", sf.Name, " = ", g.arenaNew(f, "w.Arena()", sf.set.Name))
			f.P("return s.", sf.Name, ".decodeIn(w.Data(), w.Arena())")
		} else {
			f.P("s.", sf.Name, " = ", g.arenaNew(f, "w.Arena()", sf.hdr.Name))
			f.P("s.", sf.Name, ".decodeAttr(w)")
			f.P("return nil")
		}
	}
	f.P("}")
	f.P("s.Raw = w.CopyBytes()")
	f.P("return nil")
	f.P("}")
	f.P()
}

// selectorExpr returns the expressions giving a sub-message attribute's
// selector value as a string, and whether it is present, from the
// struct's fields; ok is false when the selector is not in the same set.
func (g *gen) selectorExpr(f *GeneratedFile, gs *goSet, a *family.Attr) (sel, present string, ok bool) {
	if a.SelectorAttr == nil {
		return "", "", false
	}
	for _, fl := range gs.Fields {
		if fl.a != a.SelectorAttr || fl.shape != shSingle {
			continue
		}
		v := "m." + fl.Name
		switch {
		case fl.el.kind == ekString:
			return v + ".Value", v + ".Valid", true
		case fl.el.kind == ekScalar && fl.el.enum != nil:
			return v + ".Value.String()", v + ".Valid", true
		case fl.el.kind == ekScalar && fl.el.t.IsSigned():
			return f.Q(GoIdent{"strconv", "FormatInt"}) + "(int64(" + v + ".Value), 10)", v + ".Valid", true
		case fl.el.kind == ekScalar:
			return f.Q(GoIdent{"strconv", "FormatUint"}) + "(uint64(" + v + ".Value), 10)", v + ".Valid", true
		}
	}
	return "", "", false
}
