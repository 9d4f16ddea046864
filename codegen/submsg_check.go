package codegen

import "strconv"

// emitSubMsgSelectorCheck writes selectorMismatch for a sub-message type:
// encoding sends the first format field set, and the kernel reads the
// payload as the format its selector attribute names, so a format field
// set under another selector value (a bridge payload with kind "veth", or
// a kind the spec does not know) would be misread or refused far from its
// cause.
func (g *gen) emitSubMsgSelectorCheck(f *GeneratedFile, gm *goSubMsg) {
	if len(gm.Fields) == 0 {
		return
	}
	f.P("// selectorMismatch says why the format set in s does not match the")
	f.P("// selector value sel (present: whether the selector is set), or \"\".")
	f.P("func (s *", gm.Name, ") selectorMismatch(selector, sel string, present bool) string {")
	f.P("if s == nil {")
	f.P("return \"\"")
	f.P("}")
	f.P("var format string")
	f.P("switch {")
	for _, sf := range gm.Fields {
		f.P("case s.", sf.Name, " != nil:")
		f.P("format = ", strconv.Quote(sf.f.Value))
	}
	f.P("default:")
	f.P("return \"\" // Raw: any selector")
	f.P("}")
	f.P("switch {")
	f.P("case !present:")
	f.P("return \"format \" + ", f.Q(GoIdent{"strconv", "Quote"}), "(format) + \" is set but \" + selector + \" is not\"")
	f.P("case sel != format:")
	f.P("return \"format \" + ", f.Q(GoIdent{"strconv", "Quote"}), "(format) + \" is set but \" + selector + \" is \" + ", f.Q(GoIdent{"strconv", "Quote"}), "(sel)")
	f.P("}")
	f.P("return \"\"")
	f.P("}")
	f.P()
}

// subMsgSelectorCheck returns the statements checking that a sub-message
// field's format matches its selector, when the selector is in the same
// set.
func (g *gen) subMsgSelectorCheck(f *GeneratedFile, gs *goSet, fl *goField) []string {
	if len(fl.el.sub.Fields) == 0 {
		return nil
	}
	sel, present, ok := g.selectorExpr(f, gs, fl.a)
	if !ok {
		return nil
	}
	return []string{
		"if msg := m." + fl.Name + ".selectorMismatch(" + strconv.Quote(fl.a.SelectorAttr.Name) + ", " + sel + ", " + present + "); msg != \"\" {",
		"return " + genlQ(f, "Invalid") + "(" + strconv.Quote(fl.a.Name) + ", msg)",
		"}",
	}
}
