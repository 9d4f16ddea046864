package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// emitAttrs writes zattrs.go: attribute ids, one struct per attribute set,
// and the name tables that put spec names into error paths.
func (g *gen) emitAttrs(f *GeneratedFile) {
	g.emitAttrConsts(f)
	for _, gs := range g.setList {
		g.emitSetStruct(f, gs)
	}
	for _, gm := range g.subList {
		g.emitSubMsgType(f, gm)
	}
	g.emitNameTables(f)
}

// emitAttrConsts writes the attribute ids of every set in one block, so
// that they read as one entry of the package's docs, after its API.
func (g *gen) emitAttrConsts(f *GeneratedFile) {
	var sets []*goSet
	for _, gs := range g.setList {
		if len(gs.s.Attributes) > 0 {
			sets = append(sets, gs)
		}
	}
	if len(sets) == 0 {
		return
	}
	f.P("// Attribute ids (the attributes' types on the wire), by attribute set,")
	f.P("// for code that walks or builds messages itself with genl.Walker and")
	f.P("// genl.Encoder; the set structs' Encode and Decode use them.")
	f.P("const (")
	for i, gs := range sets {
		if i > 0 {
			f.P()
		}
		f.P("// The ", gs.s.Name, " attribute set (", gs.Name, ").")
		for j, a := range gs.s.Attributes {
			f.P(gs.Consts[j], " uint16 = ", a.Value, " // ", a.Name)
		}
	}
	f.P(")")
	f.P()
}

func (g *gen) emitSetStruct(f *GeneratedFile, gs *goSet) {
	first := fmt.Sprintf("%s holds the attributes of the %s attribute set.", gs.Name, gs.s.Name)
	if p := gs.s.SubsetOf; p != nil {
		first = fmt.Sprintf("%s holds the attributes of the %s attribute set, a subset of %s.", gs.Name, gs.s.Name, p.Name)
	}
	for _, l := range docLines(first, linkAttrs(gs, gs.s.Doc)) {
		f.P(l)
	}
	f.P("type ", gs.Name, " struct {")
	if gs.Header != nil {
		f.P("// ", gs.HeaderField, " is the fixed header a message of this set carries")
		f.P("// before its attributes; it is not used when the set is nested.")
		f.P(gs.HeaderField, " ", gs.Header.Name, " `json:\"", gs.Header.d.Name, "\"`")
		f.P()
	}
	for _, fl := range gs.Fields {
		for _, l := range docLines(g.fieldFirst(fl), linkAttrs(gs, fl.a.Doc)) {
			f.P(l)
		}
		f.P(fl.Name, " ", g.fieldType(f, fl), " `json:\"", fl.a.Name, ",omitzero\"`")
	}
	f.P("}")
	f.P()
	g.emitGetters(f, gs)
}

// emitGetters writes the nil-safe getters of a set's pointer fields, so a
// chain through nests of a sparse reply (m.GetHeader().GetInner()) needs
// one nil check at its end instead of one per level.
func (g *gen) emitGetters(f *GeneratedFile, gs *goSet) {
	for _, fl := range gs.Fields {
		if fl.Getter == "" {
			continue
		}
		typ := g.fieldType(f, fl)
		f.P("// ", fl.Getter, " returns m.", fl.Name, ", or nil when m is nil.")
		f.P("func (m *", gs.Name, ") ", fl.Getter, "() ", typ, " {")
		f.P("if m == nil {")
		f.P("return nil")
		f.P("}")
		f.P("return m.", fl.Name)
		f.P("}")
		f.P()
	}
}

// fieldFirst is the first sentence of a field's doc: what its Go type
// does not say (the wire width of an enum, byte order, the shape of a
// slice, the nested set, the spec's checks). It is "" for a field whose
// type says it all and that has no spec doc: a bare field reads better
// than "DevName is the dev-name attribute (string)."
func (g *gen) fieldFirst(fl *goField) string {
	a := fl.a
	var what string
	switch fl.el.kind {
	case ekNest:
		what = nestDoc(fl)
	case ekFlag:
		what = "a flag attribute, sent when true"
	case ekBitfield:
		if a.Enum != nil {
			what = "a bitfield32 whose Value and Selector hold " + g.typeOf(a.Enum, a.EnumAsFlags).Name + " bits"
		}
	case ekSubMsg:
		what = "the " + a.Name + " sub-message"
		if a.SelectorAttr != nil {
			what += ", its format chosen by the " + a.SelectorAttr.Name + " attribute"
		}
	default:
		what = wireDoc(fl)
	}
	checks := checkDoc(a.Checks, fl.el)
	switch {
	case what != "" && len(checks) > 0:
		what += ", " + strings.Join(checks, ", ")
	case what == "" && len(checks) > 0:
		what = strings.Join(checks, " and ")
	case what == "" && a.Doc != "":
		what = "the " + a.Name + " attribute"
	case what == "":
		return ""
	}
	return fl.Name + " is " + what + "."
}

// nestDoc describes a nest field by its shape and set, linked.
func nestDoc(fl *goField) string {
	set := "[" + fl.el.set.Name + "]"
	switch fl.shape {
	case shMulti:
		return "a multi-attr: one " + set + " nest per element"
	case shIndexed:
		return "an indexed array of " + set + " nests"
	case shNTV:
		if fl.ntv > 1 {
			return strconv.Itoa(fl.ntv) + " levels of maps keyed by attribute type, over " + set + " nests"
		}
		return "a map from attribute type to " + set + " nests"
	}
	return "a nested " + set
}

// wireDoc describes a value field's wire form where the Go type does not
// (an enum's width, byte order, a slice's shape), or returns "".
func wireDoc(fl *goField) string {
	a, el := fl.a, fl.el
	var wire string
	switch el.kind {
	case ekScalar:
		wire = string(el.t)
		if a.ByteOrder == family.BigEndian || a.ByteOrder == family.LittleEndian {
			wire = string(a.ByteOrder) + " " + wire
		}
	case ekString:
		wire = "string"
	case ekStruct:
		wire = "[" + el.strct.Name + "]"
	case ekAddr:
		wire = "address"
	default:
		wire = "binary"
	}
	switch fl.shape {
	case shMulti:
		return "a multi-attr: one " + wire + " attribute per element"
	case shIndexed:
		return "an indexed array of " + wire + " elements"
	case shBinArray:
		return "a binary array of " + wire + " values"
	}
	if el.kind == ekScalar && (el.enum != nil || a.ByteOrder != "") {
		return "a " + wire + " on the wire"
	}
	return ""
}

// checkDoc lists the spec's checks on a value in words, leaving out
// bounds its wire type implies (at most u32-max on a u32).
func checkDoc(c family.Checks, el elem) []string {
	var out []string
	lo, hi := typeRange(baseType(el.t))
	if c.Min != nil && (el.kind != ekScalar || limitInt(c.Min).Cmp(lo) > 0) {
		out = append(out, "at least "+limitText(c.Min))
	}
	if c.Max != nil && (el.kind != ekScalar || limitInt(c.Max).Cmp(hi) < 0) {
		out = append(out, "at most "+limitText(c.Max))
	}
	if c.MinLen != nil && c.MinLen.Abs > 0 {
		out = append(out, "at least "+limitText(c.MinLen)+" bytes long")
	}
	if c.MaxLen != nil {
		out = append(out, "at most "+limitText(c.MaxLen)+" bytes long")
	}
	if c.ExactLen != nil && el.kind != ekString {
		out = append(out, "exactly "+limitText(c.ExactLen)+" bytes long")
	}
	if c.FlagsMask != nil {
		out = append(out, "bits of the "+c.FlagsMask.Name+" flags only")
	}
	return out
}

// fieldType is the Go type of a field.
func (g *gen) fieldType(f *GeneratedFile, fl *goField) string {
	et := fl.el.goType(f)
	switch fl.shape {
	case shMulti, shIndexed, shBinArray:
		return "[]" + et
	case shNTV:
		return strings.Repeat("map[uint16]", fl.ntv) + et
	}
	switch fl.el.kind {
	case ekScalar, ekString, ekUUID, ekBitfield:
		return genlQ(f, "Opt") + "[" + et + "]"
	case ekStruct, ekNest, ekSubMsg:
		return "*" + et
	}
	return et
}

// nestedTable is the expression of the name table a nest field's
// attribute leads to. The elements of an indexed array, and the levels of a
// nest-type-value, are keyed by index or type rather than named, so their
// tables name nothing and lead, through Any, to the set's table: kernel
// error paths then read ".rings.2.name".
func nestedTable(f *GeneratedFile, fl *goField) string {
	levels := 0
	switch fl.shape {
	case shIndexed:
		levels = 1
	case shNTV:
		levels = fl.ntv
	}
	t := fl.el.set.table
	for i := range levels {
		if i < levels-1 {
			t = "&" + genlQ(f, "NameTable") + "{Any: " + t + "}"
		} else {
			t = "{Any: " + t + "}" // an element of a []*genl.NameTable
		}
	}
	return t
}

// emitNameTables writes, per set, the attribute names the walker puts in
// decode errors and the genl.NameTable that names request attributes in
// kernel errors. Nested tables are linked in init, since sets may nest
// each other.
func (g *gen) emitNameTables(f *GeneratedFile) {
	for _, gs := range g.setList {
		f.P("var ", gs.names, " = []string{")
		for _, a := range gs.s.Attributes {
			f.P(a.Value, ": ", strconv.Quote(a.Name), ",")
		}
		f.P("}")
		f.P()
		f.P("var ", gs.table, " = &", genlQ(f, "NameTable"), "{Names: ", gs.names, "}")
		f.P()
	}
	f.P("func init() {")
	for _, gs := range g.setList {
		var nested []string
		for _, fl := range gs.Fields {
			if fl.el.kind == ekNest {
				nested = append(nested, fmt.Sprintf("%d: %s,", fl.a.Value, nestedTable(f, fl)))
			}
		}
		if len(nested) == 0 {
			continue
		}
		f.P(gs.table, ".Nested = []*", genlQ(f, "NameTable"), "{")
		for _, n := range nested {
			f.P(n)
		}
		f.P("}")
	}
	g.emitSubTables(f)
	f.P("}")
	f.P()
}
