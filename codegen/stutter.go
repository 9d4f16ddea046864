package codegen

import "strings"

// Names that repeat the package's name.
//
// A type a package exports reads with the package name in front
// (nl80211.Attrs), so a type name that starts with the family's name
// stutters: nl80211.Nl80211Attrs, ovsflow.OvsFlowStats. typeName drops
// that leading repeat, and an attribute set named like the family itself
// (team's team set, devlink's devlink set) or <family>-attrs is the
// family's main set: its struct is Attrs and its attribute ids are
// AttrWiphy, AttrIfindex, without a set name between. Each short name is
// used only when no other definition or set of the spec has it as its
// own name and it is free, so the rule never renames something else.

// stutterNames returns the Go names definitions, attribute sets and
// sub-messages would have without the rule, which a shortened name must
// not take.
func (g *gen) stutterNames() map[string]bool {
	own := map[string]bool{}
	for _, d := range g.f.Definitions {
		own[GoName(d.Name)] = true
	}
	for _, s := range g.f.AttributeSets {
		own[GoName(s.Name)] = true
	}
	for _, m := range g.f.SubMessages {
		own[GoName(m.Name)] = true
	}
	return own
}

// typeName takes the Go name of a definition or attribute set named spec,
// without a leading repeat of the family's or package's name; isSet
// makes a set named like the family Attrs. suffix resolves clashes as
// namespace.take does.
func (g *gen) typeName(spec string, isSet bool, suffix string) string {
	if short := g.shortName(spec, isSet); short != "" && !g.pkg[short] && !g.ownNames[short] {
		return g.pkg.take(short, suffix)
	}
	return g.pkg.take(GoName(spec), suffix)
}

// shortName is the name typeName tries first, or "".
func (g *gen) shortName(spec string, isSet bool) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	if isSet && (norm(spec) == norm(g.f.Name) || norm(spec) == norm(g.opts.Package)) {
		return "Attrs"
	}
	if rest, ok := trimOwner(spec, g.f.Name, g.opts.Package); ok {
		return GoName(rest)
	}
	return ""
}

// attrConstPrefix is what the ids of a set's attributes start with:
// "Attr" and the set's name, or only "Attr" for the family's main set.
func attrConstPrefix(gs *goSet) string {
	if gs.Name == "Attrs" {
		return "Attr"
	}
	return "Attr" + gs.Name
}
