package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// emitCodec writes zcodec.go: straight-line Encode and Decode methods for
// every attribute-set struct over genl.Encoder and genl.Walker.
func (g *gen) emitCodec(f *GeneratedFile) {
	for _, gs := range g.setList {
		g.emitEncode(f, gs)
		g.emitDecode(f, gs)
	}
	g.emitSubMsgs(f)
	g.emitCodecHelpers(f)
}

func (g *gen) emitEncode(f *GeneratedFile, gs *goSet) {
	f.P("// Encode appends m's attributes to e; absent fields are left out. A nil")
	f.P("// m appends nothing. The fixed header, if any, is not part of it.")
	f.P("func (m *", gs.Name, ") Encode(e *", genlQ(f, "Encoder"), ") {")
	f.P("if m == nil {")
	f.P("return")
	f.P("}")
	for _, fl := range gs.Fields {
		for _, l := range g.encodeField(f, fl) {
			f.P(l)
		}
	}
	f.P("}")
	f.P()
}

// encodeField returns the statements encoding one field.
func (g *gen) encodeField(f *GeneratedFile, fl *goField) []string {
	el, v, c := fl.el, "m."+fl.Name, fl.Const
	var out []string
	block := func(cond string, body ...string) {
		out = append(out, "if "+cond+" {")
		out = append(out, body...)
		out = append(out, "}")
	}
	switch fl.shape {
	case shSingle:
		switch el.kind {
		case ekScalar, ekString, ekUUID, ekBitfield:
			block("x, ok := "+v+".Get(); ok", el.encode(f, c, "x")...)
		case ekFlag:
			block(v, el.encode(f, c, "")...)
		case ekAddr:
			block(v+".IsValid()", fmt.Sprintf("encodeAddr(e, %s, %s, %d)", c, v, el.addrLen))
		default:
			block(v+" != nil", el.encode(f, c, v)...)
		}
	case shMulti:
		if el.byRef() {
			out = append(out, "for i := range "+v+" {")
			out = append(out, el.encode(f, c, v+"[i]")...)
		} else {
			out = append(out, "for _, x := range "+v+" {")
			out = append(out, g.encodeValue(f, el, c, "x")...)
		}
		out = append(out, "}")
	case shIndexed:
		body := []string{"a := e.Nest(" + c + ")", "for i := range " + v + " {"}
		body = append(body, g.encodeValue(f, el, "uint16(i+1)", v+"[i]")...)
		body = append(body, "}", "e.End(a)")
		block(v+" != nil", body...)
	case shBinArray:
		block(v+" != nil", g.encodeBinArray(f, fl)...)
	case shNTV:
		body := []string{"a := e.Nest(" + c + ")"}
		body = append(body, g.encodeNTV(f, fl, v, 1)...)
		body = append(body, "e.End(a)")
		block(v+" != nil", body...)
	}
	return out
}

// encodeValue encodes element v, handling addresses which need their
// expected length.
func (g *gen) encodeValue(f *GeneratedFile, el elem, typ, v string) []string {
	if el.kind == ekAddr {
		return []string{fmt.Sprintf("encodeAddr(e, %s, %s, %d)", typ, v, el.addrLen)}
	}
	return el.encode(f, typ, v)
}

func (g *gen) encodeBinArray(f *GeneratedFile, fl *goField) []string {
	w := fl.el.t.Width()
	v := "m." + fl.Name
	out := []string{fmt.Sprintf("b := make([]byte, 0, len(%s)*%d)", v, w), "for _, x := range " + v + " {"}
	if hi := fl.el.overflow(); hi != "" {
		// Too large for the wire: report it rather than truncate it.
		out = append(out, "if x > "+hi+" {",
			fmt.Sprintf("e.Fail(%s, notFit(uint64(x), %q))", fl.Const, fl.el.t),
			"return", "}")
	}
	if w == 1 {
		out = append(out, "b = append(b, byte(x))")
	} else {
		bits := strconv.Itoa(8 * w)
		out = append(out, fmt.Sprintf("b = %s.AppendUint%s(b, uint%s(x))", order(f, fl.a.ByteOrder), bits, bits))
	}
	return append(out, "}", fmt.Sprintf("e.Binary(%s, b)", fl.Const))
}

// encodeNTV encodes level lvl of a nest-type-value map expression v.
func (g *gen) encodeNTV(f *GeneratedFile, fl *goField, v string, lvl int) []string {
	k := "k" + strconv.Itoa(lvl)
	sorted := f.Q(GoIdent{"slices", "Sorted"}) + "(" + f.Q(GoIdent{"maps", "Keys"}) + "(" + v + "))"
	out := []string{"for _, " + k + " := range " + sorted + " {"}
	if lvl == fl.ntv {
		out = append(out, "x := "+v+"["+k+"]")
		out = append(out, fl.el.encode(f, k, "x")...)
	} else {
		n := "n" + strconv.Itoa(lvl)
		out = append(out, n+" := e.Nest("+k+")")
		out = append(out, g.encodeNTV(f, fl, v+"["+k+"]", lvl+1)...)
		out = append(out, "e.End("+n+")")
	}
	return append(out, "}")
}

func (g *gen) emitDecode(f *GeneratedFile, gs *goSet) {
	f.P("// Decode decodes attributes from b into m: fields present in b are")
	f.P("// set, multi-attr elements appended, unknown attributes skipped. Errors")
	f.P("// name the attribute path. m keeps no reference to b.")
	f.P("func (m *", gs.Name, ") Decode(b []byte) error {")
	f.P("return m.decodeIn(b, nil)")
	f.P("}")
	f.P()
	f.P("// decodeIn is Decode taking the memory of strings, byte slices and")
	f.P("// nested values from arena a (nil: allocating each).")
	f.P("func (m *", gs.Name, ") decodeIn(b []byte, a *", genlQ(f, "Arena"), ") error {")
	f.P("var w ", genlQ(f, "Walker"))
	f.P("w.Reset(b, ", gs.names, ", a)")
	nests := nestFields(gs)
	if nests != nil {
		f.P("var nests *", nestsType(gs), " // the nested values, allocated together on first use")
	}
	subs := g.subMsgFields(gs)
	for _, fl := range subs {
		f.P("var at", fl.Name, " ", genlQ(f, "Walker"), " // decoded once its selector is known")
		f.P("has", fl.Name, " := false")
	}
	f.P("for w.Next() {")
	if len(gs.Fields) > 0 {
		f.P("switch w.Type() {")
		for _, fl := range gs.Fields {
			f.P("case ", fl.Const, ":")
			for _, l := range g.decodeField(f, gs, fl) {
				f.P(l)
			}
		}
		f.P("}")
	}
	f.P("}")
	if len(subs) == 0 {
		f.P("return w.Err()")
		f.P("}")
		f.P()
		emitNestsType(f, gs, nests)
		return
	}
	f.P("if err := w.Err(); err != nil {")
	f.P("return err")
	f.P("}")
	for _, fl := range subs {
		g.decodeSubMsg(f, gs, fl)
	}
	f.P("return nil")
	f.P("}")
	f.P()
	emitNestsType(f, gs, nests)
}

// nestFields returns the single nested fields of gs (attribute sets and
// packed structs, held by pointer) when there are from two to
// maxNestsTogether: Decode allocates them together, in one value of
// nestsType, instead of one by one. Any of them kept keeps the others'
// memory alive, and absent ones take their room too, so sets with many
// nested attributes (nl80211's) allocate one by one as before. rt-link's
// link-attrs (eleven, seven of them in every link of a dump) is within
// the limit: its decoding makes 14 allocations per link instead of 20.
func nestFields(gs *goSet) []*goField {
	var out []*goField
	for _, fl := range gs.Fields {
		if fl.shape == shSingle && (fl.el.kind == ekNest || fl.el.kind == ekStruct) {
			out = append(out, fl)
		}
	}
	if len(out) < 2 || len(out) > maxNestsTogether {
		return nil
	}
	return out
}

const maxNestsTogether = 12

func nestsType(gs *goSet) string { return "nests" + gs.Name }

// emitNestsType writes the type holding the nested values of gs.
func emitNestsType(f *GeneratedFile, gs *goSet, nests []*goField) {
	if nests == nil {
		return
	}
	f.P("// ", nestsType(gs), " holds the nested values of one ", gs.Name, ", allocated together.")
	f.P("type ", nestsType(gs), " struct {")
	for _, fl := range nests {
		f.P("f", fl.Name, " ", fl.el.goType(f))
	}
	f.P("}")
	f.P()
}

// subMsgFields returns the single sub-message fields of gs, which Decode
// decodes after the walk: the selector may come after the sub-message on
// the wire (Encode puts fields in set order), and a repeated selector
// counts by its last value, as every repeated attribute does.
func (g *gen) subMsgFields(gs *goSet) []*goField {
	var out []*goField
	for _, fl := range gs.Fields {
		if fl.shape == shSingle && fl.el.kind == ekSubMsg {
			out = append(out, fl)
		}
	}
	return out
}

// decodeSubMsg decodes sub-message field fl from the walker saved at its
// attribute, by the selector's final value.
func (g *gen) decodeSubMsg(f *GeneratedFile, gs *goSet, fl *goField) {
	at, v := "at"+fl.Name, "m."+fl.Name
	sel, ok, found := g.selectorExpr(f, gs, fl.a)
	if !found {
		sel, ok = `""`, "false"
	}
	f.P("if has", fl.Name, " {")
	f.P(v, " = ", g.arenaNew(f, at+".Arena()", fl.el.goType(f)))
	f.P("if err := ", v, ".decodeAttr(&", at, ", ", sel, ", ", ok, "); err != nil {")
	f.P("return ", inAttr(f, "err", strconv.Quote(fl.a.Name)))
	f.P("}")
	f.P("if err := ", at, ".Err(); err != nil {")
	f.P("return err")
	f.P("}")
	f.P("}")
}

// decodeField returns the statements decoding one field from walker w.
func (g *gen) decodeField(f *GeneratedFile, gs *goSet, fl *goField) []string {
	el, v, name := fl.el, "m."+fl.Name, strconv.Quote(fl.a.Name)
	switch fl.shape {
	case shSingle:
		switch el.kind {
		case ekSubMsg:
			// Decoded after the walk, by decodeSubMsg.
			return []string{"at" + fl.Name + ", has" + fl.Name + " = w, true"}
		case ekString:
			return []string{v + " = " + genlQ(f, "Some") + "(" + g.decodeString(gs, "w") + ")"}
		case ekScalar, ekUUID, ekBitfield:
			return []string{v + " = " + genlQ(f, "Some") + "(" + el.decodeExpr(f, "w") + ")"}
		case ekFlag:
			return []string{v + " = true"}
		case ekStruct, ekNest:
			alloc := []string{v + " = " + g.arenaNew(f, "w.Arena()", el.goType(f))}
			if nestFields(gs) != nil {
				// With an arena each value comes from its type's chunks,
				// so absent ones take no room; without one they are
				// allocated together.
				alloc = []string{
					"if a != nil {", v + " = " + g.arenaNew(f, "a", el.goType(f)), "} else {",
					"if nests == nil {", "nests = new(" + nestsType(gs) + ")", "}",
					"nests.f" + fl.Name + " = " + el.goType(f) + "{}", // a repeated attribute starts afresh
					v + " = &nests.f" + fl.Name,
					"}",
				}
			}
			return append(alloc, el.decodeInto(f, "w", v, inAttr(f, "err", name))...)
		}
		return []string{v + " = " + el.decodeExpr(f, "w")}
	case shMulti:
		// Size the slice once, by the elements still to come.
		out := []string{"if len(" + v + ") == cap(" + v + ") {",
			v + " = " + g.arenaGrow(f, "w", el.goType(f), v, "w.CountType()"), "}"}
		return append(out, g.decodeAppend(f, el, v, "w", inAttr(f, "err", name))...)
	case shIndexed:
		out := []string{
			"if " + v + " == nil {", v + " = " + g.arenaGrow(f, "w", el.goType(f), "[]"+el.goType(f)+"{}", genlQ(f, "CountAttrs")+"(w.Data())"), "}",
			"var a " + genlQ(f, "Walker"),
			"a.Reset(w.Data(), nil, w.Arena())",
			"for a.Next() {",
		}
		// Only an element decoded in place can fail on its own, and only
		// then does the error name its index (and the file import strconv).
		var errExpr string
		if el.byRef() {
			idx := f.Q(GoIdent{"strconv", "Itoa"}) + "(int(a.Type()))"
			errExpr = inAttr(f, "err", idx, name)
		}
		out = append(out, g.decodeAppend(f, el, v, "a", errExpr)...)
		return append(out, "}",
			"if err := a.Err(); err != nil {",
			"return "+genlQ(f, "InAttr")+"(err, "+name+")",
			"}")
	case shBinArray:
		return g.decodeBinArray(f, fl)
	case shNTV:
		return g.decodeNTV(f, fl)
	}
	return nil
}

// decodeAppend appends one element read from walker w to slice v. errExpr
// is the expression returned when the element fails to decode (err).
func (g *gen) decodeAppend(f *GeneratedFile, el elem, v, w, errExpr string) []string {
	if el.kind == ekString {
		return []string{v + " = append(" + v + ", " + w + ".Name())"}
	}
	if !el.byRef() {
		return []string{v + " = append(" + v + ", " + el.decodeExpr(f, w) + ")"}
	}
	out := []string{v + " = append(" + v + ", " + el.goType(f) + "{})"}
	return append(out, el.decodeInto(f, w, v+"[len("+v+")-1]", errExpr)...)
}

// decodeString returns the expression reading a string attribute of set
// gs from walker w: through genl's name cache (Walker.Name) when gs is
// the element of a multi-attr or indexed-array attribute, whose strings
// are names that repeat in every message (ethtool's bit names), else a
// fresh string.
func (g *gen) decodeString(gs *goSet, w string) string {
	if g.repeatedSets == nil {
		g.repeatedSets = map[*goSet]bool{}
		for _, s := range g.setList {
			for _, fl := range s.Fields {
				if (fl.shape == shMulti || fl.shape == shIndexed) && fl.el.kind == ekNest && fl.el.set != nil {
					g.repeatedSets[fl.el.set] = true
				}
			}
		}
	}
	if g.repeatedSets[gs] {
		return w + ".Name()"
	}
	return w + ".String()"
}

// arenaNew returns the expression allocating a zero value of Go type typ
// from arena a (an expression; nil allocates it alone).
func (g *gen) arenaNew(f *GeneratedFile, a, typ string) string {
	return genlQ(f, "New") + "[" + typ + "](" + a + ", " + strconv.Itoa(g.slot(typ)) + ")"
}

// arenaGrow returns the expression growing slice v of elements of Go type
// typ by n, from the arena of walker w.
func (g *gen) arenaGrow(f *GeneratedFile, w, typ, v, n string) string {
	return genlQ(f, "Grow") + "(" + w + ".Arena(), " + strconv.Itoa(g.slot(typ)) + ", " + v + ", " + n + ")"
}

// slot returns the number genl.New and genl.Grow know Go type typ by in
// an arena: one per type of the package, in the order of first use.
func (g *gen) slot(typ string) int {
	if n, ok := g.slots[typ]; ok {
		return n
	}
	if g.slots == nil {
		g.slots = map[string]int{}
	}
	g.slots[typ] = len(g.slots)
	return g.slots[typ]
}

// inAttr returns the expression wrapping err with the path elements, the
// innermost first.
func inAttr(f *GeneratedFile, err string, names ...string) string {
	for _, n := range names {
		err = genlQ(f, "InAttr") + "(" + err + ", " + n + ")"
	}
	return err
}

func (g *gen) decodeBinArray(f *GeneratedFile, fl *goField) []string {
	w := fl.el.t.Width()
	v, et := "m."+fl.Name, fl.el.goType(f)
	get := "d[i]"
	if w > 1 {
		get = fmt.Sprintf("%s.Uint%d(d[i*%d:])", order(f, fl.a.ByteOrder), 8*w, w)
	}
	return []string{
		fmt.Sprintf("if d := w.Data(); len(d)%%%d != 0 {", w),
		fmt.Sprintf("w.Fail(%q)", fmt.Sprintf("want a multiple of %d bytes", w)),
		"} else {",
		fmt.Sprintf("%s = make([]%s, len(d)/%d)", v, et, w),
		"for i := range " + v + " {",
		fmt.Sprintf("%s[i] = %s(%s)", v, et, get),
		"}",
		"}",
	}
}

// decodeNTV decodes a nest-type-value attribute: one nest level per
// type-value name, keyed by attribute type, around the nested set.
func (g *gen) decodeNTV(f *GeneratedFile, fl *goField) []string {
	v := "m." + fl.Name
	typ := g.fieldType(f, fl)
	out := []string{"if " + v + " == nil {", v + " = " + typ + "{}", "}"}
	return append(out, g.decodeNTVLevel(f, fl, v, "w", 1, []string{strconv.Quote(fl.a.Name)})...)
}

func (g *gen) decodeNTVLevel(f *GeneratedFile, fl *goField, v, parent string, lvl int, path []string) []string {
	w, k := "w"+strconv.Itoa(lvl), "k"+strconv.Itoa(lvl)
	itoa := f.Q(GoIdent{"strconv", "Itoa"})
	out := []string{
		"var " + w + " " + genlQ(f, "Walker"),
		w + ".Reset(" + parent + ".Data(), nil, " + parent + ".Arena())",
		"for " + w + ".Next() {",
		k + " := " + w + ".Type()",
	}
	inner := append([]string{itoa + "(int(" + k + "))"}, path...)
	if lvl == fl.ntv {
		out = append(out, "var x "+fl.el.goType(f))
		out = append(out, fl.el.decodeInto(f, w, "x", inAttr(f, "err", inner...))...)
		out = append(out, v+"["+k+"] = x")
	} else {
		typ := strings.Repeat("map[uint16]", fl.ntv-lvl) + fl.el.goType(f)
		out = append(out, "if "+v+"["+k+"] == nil {", v+"["+k+"] = "+typ+"{}", "}")
		out = append(out, g.decodeNTVLevel(f, fl, v+"["+k+"]", w, lvl+1, inner)...)
	}
	return append(out, "}",
		"if err := "+w+".Err(); err != nil {",
		"return "+inAttr(f, "err", path...),
		"}")
}

// emitCodecHelpers writes the small helpers the codec uses, if it does.
func (g *gen) emitCodecHelpers(f *GeneratedFile) {
	uses := map[elemKind]bool{}
	overflow := false
	for _, gs := range g.setList {
		for _, fl := range gs.Fields {
			uses[fl.el.kind] = true
			overflow = overflow || fl.el.overflow() != ""
		}
	}
	for _, d := range g.f.Definitions {
		overflow = overflow || d.Kind == family.DefStruct && g.structFits(d)
	}
	if overflow {
		f.PSource(notFitSrc, "strconv")
	}
	if uses[ekAddr] {
		f.PSource(addrSrc, "fmt", "net/netip", genlPath)
	}
	if uses[ekUUID] {
		f.PSource(uuidSrc, "fmt", genlPath)
	}
	if uses[ekBitfield] {
		f.PSource(bitfield32Src)
	}
}
