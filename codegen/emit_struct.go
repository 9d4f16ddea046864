package codegen

import (
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// emitStruct writes a packed struct definition as a Go struct with its
// wire codec. Members are read and written at their spec offsets in their
// spec byte order; pad members are zero on encode and ignored on decode.
func (g *gen) emitStruct(f *GeneratedFile, gd *goDef) {
	d := gd.d
	for _, l := range docLines(fmt.Sprintf("%s is the %s struct, %d bytes packed on the wire.", gd.Name, d.Name, d.Size), d.Doc) {
		f.P(l)
	}
	f.P("type ", gd.Name, " struct {")
	for i, m := range d.Members {
		if gd.Members[i] == "" {
			continue
		}
		for _, l := range comment(m.Doc) {
			f.P(l)
		}
		f.P(gd.Members[i], " ", g.memberType(m), " `json:\"", m.Name, "\"`")
	}
	f.P("}")
	f.P()
	f.P("// ", gd.Size, " is the size of ", gd.Name, " on the wire.")
	f.P("const ", gd.Size, " = ", d.Size)
	f.P()
	g.emitStructMethods(f, gd)
}

func (g *gen) memberType(m *family.Member) string {
	switch {
	case m.Enum != nil:
		return g.typeOf(m.Enum, m.EnumAsFlags).Name
	case m.Type == "string":
		return "string"
	case m.Type == "binary" && m.Struct != nil:
		return g.defs[m.Struct].Name
	case m.Type == "binary":
		return "[" + strconv.Itoa(m.Len) + "]byte"
	}
	return baseType(family.AttrType(m.Type))
}

func (g *gen) emitStructMethods(f *GeneratedFile, gd *goDef) {
	n := gd.Name
	f.P("// MarshalBinary returns the packed wire form of s.")
	fits := g.structFits(gd.d)
	f.P("func (s *", n, ") MarshalBinary() ([]byte, error) {")
	if fits {
		f.P("if msg := s.fit(); msg != \"\" {")
		f.P("return nil, ", f.Q(GoIdent{"errors", "New"}), "(", strconv.Quote(gd.d.Name+": "), " + msg)")
		f.P("}")
	}
	f.P("b := make([]byte, ", gd.Size, ")")
	f.P("s.put(b)")
	f.P("return b, nil")
	f.P("}")
	f.P()
	f.P("// UnmarshalBinary decodes the packed wire form of s. Bytes past the")
	f.P("// struct's size (a newer kernel's additions) are ignored.")
	f.P("func (s *", n, ") UnmarshalBinary(b []byte) error {")
	f.P("if len(b) < ", gd.Size, " {")
	f.P("return ", f.Q(GoIdent{"fmt", "Errorf"}), "(\"", gd.d.Name, ": want %d bytes, got %d\", ", gd.Size, ", len(b))")
	f.P("}")
	f.P("s.get(b)")
	f.P("return nil")
	f.P("}")
	f.P()
	f.P("// encodeAttr appends s as a binary attribute of type t.")
	f.P("func (s *", n, ") encodeAttr(e *", genlQ(f, "Encoder"), ", t uint16) {")
	if fits {
		f.P("if msg := s.fit(); msg != \"\" {")
		f.P("e.Fail(t, msg)")
		f.P("return")
		f.P("}")
	}
	f.P("var b [", gd.Size, "]byte")
	f.P("s.put(b[:])")
	f.P("e.Binary(t, b[:])")
	f.P("}")
	f.P()
	f.P("// decodeAttr decodes the walker's current attribute into s.")
	f.P("func (s *", n, ") decodeAttr(w *", genlQ(f, "Walker"), ") {")
	f.P("if d := w.Data(); len(d) >= ", gd.Size, " {")
	f.P("s.get(d)")
	f.P("} else {")
	f.P("w.Fail(", f.Q(GoIdent{"fmt", "Sprintf"}), "(\"want %d bytes, got %d\", ", gd.Size, ", len(d)))")
	f.P("}")
	f.P("}")
	f.P()
	g.emitPut(f, gd)
	g.emitGet(f, gd)
	if fits {
		g.emitFit(f, gd)
	}
}

// order returns the encoding/binary byte order of a member.
func order(f *GeneratedFile, bo family.ByteOrder) string {
	switch bo {
	case family.BigEndian:
		return f.Q(GoIdent{"encoding/binary", "BigEndian"})
	case family.LittleEndian:
		return f.Q(GoIdent{"encoding/binary", "LittleEndian"})
	}
	return f.Q(GoIdent{"encoding/binary", "NativeEndian"})
}

func (g *gen) emitPut(f *GeneratedFile, gd *goDef) {
	f.P("// put writes s into b, which holds at least ", gd.Size, " bytes.")
	f.P("func (s *", gd.Name, ") put(b []byte) {")
	if gd.d.Size > 0 {
		f.P("_ = b[", gd.Size, "-1] // one bounds check")
	}
	for i, m := range gd.d.Members {
		fn := gd.Members[i]
		if fn == "" {
			continue
		}
		at := fmt.Sprintf("b[%d:]", m.Offset)
		switch {
		case m.Type == "string" || m.Type == "binary" && m.Struct == nil:
			v := "s." + fn
			if m.Type == "binary" {
				v += "[:]"
			}
			f.P("copy(b[", m.Offset, ":", m.Offset+m.Size, "], ", v, ")")
		case m.Type == "binary":
			f.P("s.", fn, ".put(", at, ")")
		case m.Size == 1:
			f.P("b[", m.Offset, "] = byte(s.", fn, ")")
		default:
			bits := strconv.Itoa(8 * m.Size)
			f.P(order(f, m.ByteOrder), ".PutUint", bits, "(", at, ", uint", bits, "(s.", fn, "))")
		}
	}
	f.P("}")
	f.P()
}

func (g *gen) emitGet(f *GeneratedFile, gd *goDef) {
	f.P("// get reads s from b, which holds at least ", gd.Size, " bytes.")
	f.P("func (s *", gd.Name, ") get(b []byte) {")
	if gd.d.Size > 0 {
		f.P("_ = b[", gd.Size, "-1] // one bounds check")
	}
	for i, m := range gd.d.Members {
		fn := gd.Members[i]
		if fn == "" {
			continue
		}
		at := fmt.Sprintf("b[%d:]", m.Offset)
		switch {
		case m.Type == "string":
			f.P("s.", fn, " = string(b[", m.Offset, ":", m.Offset+m.Size, "])")
			f.P("if i := ", f.Q(GoIdent{"strings", "IndexByte"}), "(s.", fn, ", 0); i >= 0 {")
			f.P("s.", fn, " = s.", fn, "[:i]")
			f.P("}")
		case m.Type == "binary" && m.Struct == nil:
			f.P("copy(s.", fn, "[:], b[", m.Offset, ":", m.Offset+m.Size, "])")
		case m.Type == "binary":
			f.P("s.", fn, ".get(", at, ")")
		case m.Size == 1:
			f.P("s.", fn, " = ", g.memberType(m), "(b[", m.Offset, "])")
		default:
			bits := strconv.Itoa(8 * m.Size)
			f.P("s.", fn, " = ", g.memberType(m), "(", order(f, m.ByteOrder), ".Uint", bits, "(", at, "))")
		}
	}
	f.P("}")
	f.P()
}
