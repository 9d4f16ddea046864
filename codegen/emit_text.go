package codegen

import (
	"strconv"
)

// emitEnumText writes MarshalText and UnmarshalText for an enum, flags or
// mask type, so JSON and other text encodings show spec names ("blue",
// "verbose|force") and accept them, or numbers, back.
func (g *gen) emitEnumText(f *GeneratedFile, gd *goDef, flags bool) {
	bits := gd.Under[len("uint"):]
	f.P("// MarshalText returns the value as String does.")
	f.P("func (v ", gd.Name, ") MarshalText() ([]byte, error) { return []byte(v.String()), nil }")
	f.P()
	if flags {
		f.P("// UnmarshalText accepts what MarshalText returns: flag names and")
		f.P("// numbers joined by \"|\".")
	} else {
		f.P("// UnmarshalText accepts a spec name or a number.")
	}
	f.P("func (v *", gd.Name, ") UnmarshalText(b []byte) error {")
	if flags {
		f.P("var x ", gd.Name)
		f.P("for _, s := range ", f.Q(GoIdent{"strings", "Split"}), "(string(b), \"|\") {")
		f.P("var one ", gd.Name)
		f.P("if err := one.parseOne(s); err != nil {")
		f.P("return err")
		f.P("}")
		f.P("x |= one")
		f.P("}")
		f.P("*v = x")
		f.P("return nil")
		f.P("}")
		f.P()
		f.P("func (v *", gd.Name, ") parseOne(s string) error {")
	} else {
		f.P("s := string(b)")
	}
	f.P("switch s {")
	for i, e := range gd.d.Entries {
		if gd.bitOf != nil {
			if e.Value >= 64 {
				continue
			}
			f.P("case ", strconv.Quote(e.Name), ":")
			f.P("*v = 1 << ", gd.bitOf.Entries[i])
		} else {
			f.P("case ", strconv.Quote(e.Name), ":")
			f.P("*v = ", gd.Entries[i])
		}
		f.P("return nil")
	}
	f.P("}")
	f.P("n, err := ", f.Q(GoIdent{"strconv", "ParseUint"}), "(s, 0, ", bits, ")")
	f.P("if err != nil {")
	f.P("return ", f.Q(GoIdent{"fmt", "Errorf"}), "(\"", gd.d.Name, ": unknown value %q\", s)")
	f.P("}")
	f.P("*v = ", gd.Name, "(n)")
	f.P("return nil")
	f.P("}")
	f.P()
}
