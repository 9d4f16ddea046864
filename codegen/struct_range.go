package codegen

import (
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// Packed structs can hold an enum or flags member narrower than its
// uint32 Go type (ovs_flow's ovs-key-ipv4 has a u8 ipv4-frag). put writes
// the low bytes, so such a struct gets a fit method saying which member
// does not fit; MarshalBinary and encodeAttr refuse the struct, and the
// Validate of a set holding it reports it.

// memberMax returns the largest value of an enum or flags member's wire
// type as a literal when its Go type holds larger ones, else "".
func (g *gen) memberMax(m *family.Member) string {
	if m.Enum == nil {
		return ""
	}
	el := elem{kind: ekScalar, t: family.AttrType(m.Type), enum: g.typeOf(m.Enum, m.EnumAsFlags)}
	return el.overflow()
}

// structFits reports whether a struct has a fit method: it has a member
// that can overflow, directly or in a nested struct.
func (g *gen) structFits(d *family.Definition) bool {
	for _, m := range d.Members {
		if g.memberMax(m) != "" || m.Struct != nil && g.structFits(m.Struct) {
			return true
		}
	}
	return false
}

// emitFit writes the fit method of a struct whose members can overflow.
func (g *gen) emitFit(f *GeneratedFile, gd *goDef) {
	f.P("// fit returns what does not fit the wire in s, or \"\": an enum or flags")
	f.P("// member with a value too large for its width.")
	f.P("func (s *", gd.Name, ") fit() string {")
	for i, m := range gd.d.Members {
		fn := gd.Members[i]
		switch {
		case fn == "":
		case g.memberMax(m) != "":
			f.P("if s.", fn, " > ", g.memberMax(m), " {")
			f.P("return ", strconv.Quote(m.Name+": "), " + notFit(uint64(s.", fn, "), ", strconv.Quote(m.Type), ")")
			f.P("}")
		case m.Struct != nil && g.structFits(m.Struct):
			f.P("if msg := s.", fn, ".fit(); msg != \"\" {")
			f.P("return ", strconv.Quote(m.Name+"."), " + msg")
			f.P("}")
		}
	}
	f.P("return \"\"")
	f.P("}")
	f.P()
}

// fitCheck is the Validate check of a field holding a struct that can
// overflow, or nil.
func (g *gen) fitCheck(fl *goField, x string) []check {
	if fl.el.kind != ekStruct || !g.structFits(fl.el.strct.d) {
		return nil
	}
	return []check{{x + ".fit() != \"\"", fmt.Sprintf("%s.fit()", x), true}}
}
