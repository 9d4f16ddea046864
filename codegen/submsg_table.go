package codegen

import (
	"fmt"
	"strconv"
)

// emitSubTables links, inside the name tables' init, the sub-message
// attributes of each set to the tables of their formats (genl.SubTable),
// so kernel error paths descend into sub-messages: ".options.parms". Only
// sub-messages whose selector is in the same set are linked, as the
// runtime finds the selector among the attribute's siblings.
func (g *gen) emitSubTables(f *GeneratedFile) {
	for _, gs := range g.setList {
		var subs [][]string
		for _, fl := range gs.Fields {
			if fl.el.kind != ekSubMsg || fl.shape != shSingle || fl.a.SelectorAttr == nil {
				continue
			}
			if sub := g.subTable(f, gs, fl); sub != nil {
				subs = append(subs, sub)
			}
		}
		if len(subs) == 0 {
			continue
		}
		f.P(gs.table, ".Sub = []*", genlQ(f, "SubTable"), "{")
		for _, s := range subs {
			for _, l := range s {
				f.P(l)
			}
		}
		f.P("}")
	}
}

// subTable is the genl.SubTable entry of a sub-message field, as lines,
// or nil when its selector is not a sibling of a kind the runtime reads.
func (g *gen) subTable(f *GeneratedFile, gs *goSet, fl *goField) []string {
	sel := fl.a.SelectorAttr
	isInt := false
	found := false
	for _, s := range gs.Fields {
		if s.a != sel || s.shape != shSingle {
			continue
		}
		switch {
		case s.el.kind == ekString:
			found = true
		case s.el.kind == ekScalar && !s.el.be && !s.el.t.IsSigned():
			found, isInt = true, true
		}
	}
	if !found {
		return nil
	}
	out := []string{fmt.Sprintf("%d: {Selector: %d, Int: %v, Formats: map[string]%s{", fl.a.Value, sel.Value, isInt, genlQ(f, "SubFormat"))}
	for _, fm := range fl.el.sub.m.Formats {
		hdr := 0
		if fm.FixedHeader != nil {
			hdr = fm.FixedHeader.Size
		}
		names := "nil"
		if fm.AttrSet != nil {
			names = g.sets[fm.AttrSet].table
		}
		if hdr == 0 && names == "nil" {
			continue
		}
		out = append(out, fmt.Sprintf("%s: {HeaderLen: %d, Names: %s},", strconv.Quote(fm.Value), hdr, names))
	}
	return append(out, "}},")
}
