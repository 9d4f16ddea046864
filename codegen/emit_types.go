package codegen

import (
	"fmt"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// emitTypes writes ztypes.go: constants, enums, flags and packed structs.
func (g *gen) emitTypes(f *GeneratedFile) {
	g.emitConsts(f)
	for _, d := range g.f.Definitions {
		switch d.Kind {
		case family.DefEnum:
			g.emitEnum(f, g.defs[d])
			g.emitEnumText(f, g.defs[d], false)
			if m := g.defs[d].mask; m != nil {
				g.emitMask(f, m)
				g.emitEnumText(f, m, true)
			}
		case family.DefFlags:
			g.emitFlags(f, g.defs[d])
			g.emitEnumText(f, g.defs[d], true)
		case family.DefStruct:
			g.emitStruct(f, g.defs[d])
		}
	}
	if g.usesBitfield32 {
		f.P("// Bitfield32 is a bitfield32 attribute (struct nla_bitfield32): the bits")
		f.P("// in Selector are set to their values in Value, the others are left alone.")
		f.P("type Bitfield32 struct {")
		f.P("Value    uint32")
		f.P("Selector uint32")
		f.P("}")
		f.P()
	}
}

func (g *gen) emitConsts(f *GeneratedFile) {
	n := 0
	for _, d := range g.f.Definitions {
		if d.Kind != family.DefConst {
			continue
		}
		if n == 0 {
			f.P("// Constants of the family spec.")
			f.P("const (")
		}
		n++
		for _, l := range docLines(fmt.Sprintf("%s is %s.", g.defs[d].Name, d.Name), d.Doc) {
			f.P(l)
		}
		if d.IsString {
			f.P(g.defs[d].Name, " = ", strconv.Quote(d.StrValue))
		} else {
			f.P(g.defs[d].Name, " = ", d.Value)
		}
	}
	if n > 0 {
		f.P(")")
		f.P()
	}
}

// emitEnumConsts writes the type and constants of an enum or flags.
func (g *gen) emitEnumConsts(f *GeneratedFile, gd *goDef, kind string) {
	d := gd.d
	for _, l := range docLines(fmt.Sprintf("%s is the %s %s.", gd.Name, d.Name, kind), d.Doc) {
		f.P(l)
	}
	f.P("type ", gd.Name, " ", gd.Under)
	f.P()
	if len(d.Entries) == 0 {
		return
	}
	f.P("// Values of ", gd.Name, ".")
	f.P("const (")
	for i, e := range d.Entries {
		for _, l := range comment(e.Doc) {
			f.P(l)
		}
		f.P(gd.Entries[i], " ", gd.Name, " = ", hexIf(kind == "flags", e.Value), " // ", e.Name)
	}
	f.P(")")
	f.P()
}

func hexIf(hex bool, v uint64) string {
	if hex {
		return "0x" + strconv.FormatUint(v, 16)
	}
	return strconv.FormatUint(v, 10)
}

func (g *gen) emitEnum(f *GeneratedFile, gd *goDef) {
	g.emitEnumConsts(f, gd, "enum")
	f.P("// String returns the spec name of the value, or its number.")
	f.P("func (v ", gd.Name, ") String() string {")
	if len(gd.d.Entries) == 0 {
		f.P("return ", f.Q(GoIdent{"strconv", "FormatUint"}), "(uint64(v), 10)")
		f.P("}")
		f.P()
		return
	}
	f.P("switch v {")
	seen := map[uint64]bool{}
	for i, e := range gd.d.Entries {
		if seen[e.Value] {
			continue // an alias: the first name wins
		}
		seen[e.Value] = true
		f.P("case ", gd.Entries[i], ":")
		f.P("return ", strconv.Quote(e.Name))
	}
	f.P("}")
	f.P("return ", f.Q(GoIdent{"strconv", "FormatUint"}), "(uint64(v), 10)")
	f.P("}")
	f.P()
}

func (g *gen) emitFlags(f *GeneratedFile, gd *goDef) {
	g.emitEnumConsts(f, gd, "flags")
	names := gd.names
	f.P("var ", names, " = [...]struct {")
	f.P("v    ", gd.Name)
	f.P("name string")
	f.P("}{")
	for i, e := range gd.d.Entries {
		f.P("{", gd.Entries[i], ", ", strconv.Quote(e.Name), "},")
	}
	f.P("}")
	f.P()
	g.emitFlagsString(f, gd)
}

// emitFlagsString writes String for a flags or mask type from the table of
// its named bits.
func (g *gen) emitFlagsString(f *GeneratedFile, gd *goDef) {
	names := gd.names
	f.P("// String returns the names of the set flags joined by \"|\", with any")
	f.P("// unknown bits last in hex (\"a|b|0x40\"), or \"0\".")
	f.P("func (v ", gd.Name, ") String() string {")
	f.P("if v == 0 {")
	f.P("return \"0\"")
	f.P("}")
	f.P("var b []byte")
	f.P("for _, n := range ", names, " {")
	f.P("if v&n.v != 0 && v&n.v == n.v {")
	f.P("if len(b) > 0 {")
	f.P("b = append(b, '|')")
	f.P("}")
	f.P("b = append(b, n.name...)")
	f.P("v &^= n.v")
	f.P("}")
	f.P("}")
	f.P("if v != 0 {")
	f.P("if len(b) > 0 {")
	f.P("b = append(b, '|')")
	f.P("}")
	f.P("b = append(b, \"0x\"...)")
	f.P("b = ", f.Q(GoIdent{"strconv", "AppendUint"}), "(b, uint64(v), 16)")
	f.P("}")
	f.P("return string(b)")
	f.P("}")
	f.P()
}

// emitMask writes the mask type of an enum used with enum-as-flags: bit
// 1<<v of a mask stands for the enum value v, so a mask is built from and
// tested with enum values, and prints as flags do.
func (g *gen) emitMask(f *GeneratedFile, m *goDef) {
	e := m.bitOf
	doc := fmt.Sprintf("%s is a bit mask of %s values (the spec's %s enum used as flags): bit 1<<v is set for the value v. Build one with %s and test it with Has.", m.Name, e.Name, e.d.Name, m.maskOf)
	for _, l := range docLines(doc, "") {
		f.P(l)
	}
	f.P("type ", m.Name, " ", m.Under)
	f.P()
	f.P("var ", m.names, " = [...]struct {")
	f.P("v    ", m.Name)
	f.P("name string")
	f.P("}{")
	for i, en := range e.d.Entries {
		if en.Value < 64 {
			f.P("{1 << ", e.Entries[i], ", ", strconv.Quote(en.Name), "},")
		}
	}
	f.P("}")
	f.P()
	f.P("// ", m.maskOf, " returns the mask with the bits of vs set.")
	f.P("func ", m.maskOf, "(vs ...", e.Name, ") ", m.Name, " {")
	f.P("var m ", m.Name)
	f.P("for _, v := range vs {")
	f.P("m |= 1 << v")
	f.P("}")
	f.P("return m")
	f.P("}")
	f.P()
	f.P("// Has reports whether the bit of x is set in v.")
	f.P("func (v ", m.Name, ") Has(x ", e.Name, ") bool { return v&(1<<x) != 0 }")
	f.P()
	f.P("// Values returns the values whose bits are set in v, in increasing order.")
	f.P("func (v ", m.Name, ") Values() []", e.Name, " {")
	f.P("var xs []", e.Name)
	f.P("for x := ", e.Name, "(0); v != 0; x++ {")
	f.P("if v&1 != 0 {")
	f.P("xs = append(xs, x)")
	f.P("}")
	f.P("v >>= 1")
	f.P("}")
	f.P("return xs")
	f.P("}")
	f.P()
	g.emitFlagsString(f, m)
}
