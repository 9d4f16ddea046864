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
	for _, gs := range g.setList {
		g.emitAttrConsts(f, gs)
		g.emitSetStruct(f, gs)
	}
	for _, gm := range g.subList {
		g.emitSubMsgType(f, gm)
	}
	g.emitNameTables(f)
}

func (g *gen) emitAttrConsts(f *GeneratedFile, gs *goSet) {
	if len(gs.s.Attributes) == 0 {
		return
	}
	f.P("// Attribute ids of the ", gs.s.Name, " attribute set.")
	f.P("const (")
	for i, a := range gs.s.Attributes {
		f.P(gs.Consts[i], " uint16 = ", a.Value, " // ", a.Name)
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
		for _, l := range docLines(fieldFirst(fl), linkAttrs(gs, fl.a.Doc)) {
			f.P(l)
		}
		if fl.el.kind == ekBitfield && fl.a.Enum != nil {
			f.P("//")
			f.P("// Its Value and Selector hold ", g.typeOf(fl.a.Enum, fl.a.EnumAsFlags).Name, " bits.")
		}
		f.P(fl.Name, " ", g.fieldType(f, fl), " `json:\"", fl.a.Name, ",omitzero\"`")
	}
	f.P("}")
	f.P()
}

// fieldFirst is the first sentence of a field's doc: its spec name and type.
func fieldFirst(fl *goField) string {
	a := fl.a
	t := string(a.Type)
	switch {
	case a.Type == family.TypeIndexedArray:
		t = "indexed-array of " + string(a.SubType)
	case a.Type == family.TypeBinary && a.SubType != "":
		t = "binary array of " + string(a.SubType)
	}
	if a.MultiAttr {
		t = "multi-attr " + t
	}
	var extra []string
	if a.ByteOrder != "" {
		extra = append(extra, string(a.ByteOrder))
	}
	if a.DisplayHint != "" {
		extra = append(extra, a.DisplayHint)
	}
	if len(extra) > 0 {
		t += ", " + strings.Join(extra, ", ")
	}
	return fmt.Sprintf("%s is the %s attribute (%s).", fl.Name, a.Name, t)
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
	f.P("}")
	f.P()
}
