package family

import "fmt"

// attrSets resolves the attribute-sets section in four passes: set names;
// the attributes and values of main sets; subsets against their parents;
// then every attribute's type and references.
func (l *loader) attrSets(root *node) {
	for i, n := range l.seq(root, "attribute-sets", "") {
		path := itemPath("attribute-sets", n, i, "name")
		if !l.checkObj(n, path, objAttrSet) {
			continue
		}
		l.checkName(n, path, patItemName)
		s := &AttrSet{
			Name:        l.str(n, "name", path),
			NamePrefix:  l.str(n, "name-prefix", path),
			Doc:         l.str(n, "doc", path),
			AttrCntName: l.str(n, "attr-cnt-name", path),
			AttrMaxName: l.str(n, "attr-max-name", path),
			Header:      l.str(n, "header", path),
			byName:      map[string]*Attr{},
			Pos:         n.pos,
		}
		s.EnumName, s.NoEnumName = l.strOrNull(n, "enum-name", path)
		if s.Name == "" {
			continue
		}
		if _, dup := l.sets[s.Name]; dup {
			l.add(n.get("name"), path, "attribute set %q is defined more than once", s.Name)
			continue
		}
		if n.has("subset-of") && n.has("name-prefix") {
			l.add(n.get("name-prefix"), path, "a subset-of set takes its name-prefix from its parent")
		}
		l.sets[s.Name] = s
		l.setNodes[s] = n
		l.f.AttributeSets = append(l.f.AttributeSets, s)
	}
	for _, s := range l.f.AttributeSets {
		if !l.setNodes[s].has("subset-of") {
			l.mainSet(s)
		}
	}
	for _, s := range l.f.AttributeSets {
		l.subset(s)
	}
	for _, s := range l.f.AttributeSets {
		for _, a := range s.Attributes {
			l.attrProps(a)
		}
	}
}

// maxAttrType is the largest attribute type: nla_type keeps its top two
// bits for NLA_F_NESTED and NLA_F_NET_BYTEORDER (NLA_TYPE_MASK).
const maxAttrType = 1<<14 - 1

// mainSet numbers a main set's attributes: the first is 1 unless it has a
// value, each next one is the previous plus one, up to maxAttrType.
func (l *loader) mainSet(s *AttrSet) {
	l.setState[s] = 2
	n := l.setNodes[s]
	path := "attribute-sets[" + s.Name + "]"
	next := 1
	values := map[int]*Attr{}
	for i, an := range l.seq(n, "attributes", path) {
		apath := itemPath(path+".attributes", an, i, "name")
		if !l.checkObj(an, apath, objAttr) {
			continue
		}
		l.checkName(an, apath, patItemName)
		if !an.has("type") {
			l.add(an, apath, "missing required key \"type\"")
		}
		val := next
		if v, ok := l.smallInt(an, "value", apath, maxAttrType); ok {
			val = v
		}
		next = val + 1
		a := &Attr{Set: s, Name: l.str(an, "name", apath), Value: val, Pos: an.pos}
		if a.Name == "" {
			continue
		}
		if val > maxAttrType && !an.has("value") {
			l.add(an, apath, "attribute %q is numbered %d, past the largest attribute type %d (the top two bits of nla_type are flags)", a.Name, val, maxAttrType)
			continue
		}
		if s.byName[a.Name] != nil {
			l.add(an.get("name"), apath, "attribute %q is defined more than once", a.Name)
			continue
		}
		if other := values[val]; other != nil {
			at := an
			if an.has("value") {
				at = an.get("value")
			}
			l.add(at, apath, "attribute %q has the same value (%d) as %q", a.Name, val, other.Name)
		}
		values[val] = a
		l.addAttr(s, a, an, apath)
	}
}

func (l *loader) addAttr(s *AttrSet, a *Attr, n *node, path string) {
	s.byName[a.Name] = a
	s.Attributes = append(s.Attributes, a)
	l.attrNodes[a] = n
	l.attrPaths[a] = path
}

// subset resolves a subset-of set against its parent (itself resolved
// first): each attribute takes the parent attribute's value, and the
// parent's keys merged under its own.
func (l *loader) subset(s *AttrSet) {
	switch l.setState[s] {
	case 1:
		l.add(l.setNodes[s].get("subset-of"), "attribute-sets["+s.Name+"]", "subset-of %q forms a cycle", s.Name)
		return
	case 2:
		return
	}
	l.setState[s] = 1
	defer func() { l.setState[s] = 2 }()
	n := l.setNodes[s]
	path := "attribute-sets[" + s.Name + "]"
	pname := l.str(n, "subset-of", path)
	parent := l.sets[pname]
	if parent == nil {
		if pname != "" {
			l.add(n.get("subset-of"), path, "subset-of %q is not defined", pname)
		}
		return
	}
	l.subset(parent)
	s.SubsetOf = parent
	for i, an := range l.seq(n, "attributes", path) {
		apath := itemPath(path+".attributes", an, i, "name")
		if !l.checkObj(an, apath, objAttr) {
			continue
		}
		l.checkName(an, apath, patItemName)
		name := l.str(an, "name", apath)
		pa := parent.Attr(name)
		if name == "" {
			continue
		}
		if pa == nil {
			l.add(an.get("name"), apath, "attribute %q is not in the parent set %q", name, parent.Name)
			continue
		}
		if v, ok := l.smallInt(an, "value", apath, maxAttrType); ok && v != pa.Value {
			l.add(an.get("value"), apath, "value %d differs from the parent attribute's value %d", v, pa.Value)
		}
		if s.byName[name] != nil {
			// A bare repeat of a name in a subset is harmless (devlink has
			// some); a repeat that says something else is ambiguous.
			if len(an.keys) > 1 {
				l.add(an.get("name"), apath, "attribute %q is defined more than once", name)
			}
			continue
		}
		a := &Attr{Set: s, Name: name, Value: pa.Value, Parent: pa, Pos: an.pos}
		l.addAttr(s, a, overlay(l.attrNodes[pa], an), apath)
	}
}

// overlay returns a mapping with base's keys replaced or extended by top's.
func overlay(base, top *node) *node {
	out := &node{kind: mapNode, pos: top.pos}
	if base != nil {
		out.keys = append(out.keys, base.keys...)
		out.vals = append(out.vals, base.vals...)
	}
	for i, k := range top.keys {
		out.set(k, top.vals[i])
	}
	return out
}

// attrProps resolves an attribute's type, properties and references.
func (l *loader) attrProps(a *Attr) {
	n, path := l.attrNodes[a], l.attrPaths[a]
	a.Type = AttrType(l.enum(n, "type", path, "attr-type"))
	a.Doc = l.str(n, "doc", path)
	a.MultiAttr = l.boolean(n, "multi-attr", path)
	a.ByteOrder = ByteOrder(l.enum(n, "byte-order", path, "byte-order"))
	a.DisplayHint = l.enum(n, "display-hint", path, "display-hint")
	a.NamePrefix = l.str(n, "name-prefix", path)
	a.EnumAsFlags = l.boolean(n, "enum-as-flags", path)
	a.TypeValue = l.strList(n, "type-value", path)
	if st := l.enum(n, "sub-type", path, "attr-type"); st != "" {
		a.SubType = AttrType(st)
	}
	if name := l.str(n, "nested-attributes", path); name != "" {
		a.Nested = l.sets[name]
		if a.Nested == nil {
			l.add(n.get("nested-attributes"), path, "nested-attributes %q is not defined", name)
		}
	}
	if name := l.str(n, "enum", path); name != "" {
		a.Enum = l.enumRef(n.get("enum"), path, "enum", name)
	}
	if name := l.str(n, "struct", path); name != "" {
		a.Struct = l.structRef(n.get("struct"), path, "struct", name)
	}
	l.subMessageAttr(a, n, path)
	if c := n.get("checks"); c != nil && l.checkObj(c, path+".checks", objChecks) {
		l.checks(a, c, path+".checks")
	}
	l.attrSanity(a, n, path)
}

// subMessageAttr resolves the sub-message and selector of an attribute.
func (l *loader) subMessageAttr(a *Attr, n *node, path string) {
	if name := l.str(n, "sub-message", path); name != "" {
		a.SubMessage = l.subs[name]
		if a.SubMessage == nil {
			l.add(n.get("sub-message"), path, "sub-message %q is not defined", name)
		}
	}
	a.SelectorName = l.str(n, "selector", path)
	if a.SelectorName != "" {
		// The selector is usually a sibling; when it is not, it is found
		// at run time in an enclosing message.
		a.SelectorAttr = a.Set.Attr(a.SelectorName)
		if a.SelectorAttr == nil && !l.selectorSomewhere(a.SelectorName) {
			l.add(n.get("selector"), path, "selector %q is not an attribute of any set", a.SelectorName)
		}
	}
	if a.Type == TypeSubMessage {
		for _, k := range []string{"sub-message", "selector"} {
			if !n.has(k) {
				l.add(n, path, "a sub-message attribute needs %q", k)
			}
		}
	}
}

// selectorSomewhere reports whether any set has an attribute named name,
// so a selector that lives in an enclosing message is not flagged.
func (l *loader) selectorSomewhere(name string) bool {
	for _, s := range l.f.AttributeSets {
		if s.Attr(name) != nil {
			return true
		}
	}
	return false
}

// checks resolves an attribute's checks.
func (l *loader) checks(a *Attr, n *node, path string) {
	c := &a.Checks
	c.Min = l.lenOrLimit(n, "min", path)
	c.Max = l.lenOrLimit(n, "max", path)
	c.MinLen = l.lenOrDefine(n, "min-len", path)
	c.MaxLen = l.lenOrDefine(n, "max-len", path)
	c.ExactLen = l.lenOrDefine(n, "exact-len", path)
	c.UnterminatedOK = l.boolean(n, "unterminated-ok", path)
	if name := l.str(n, "flags-mask", path); name != "" {
		d := l.defs[name]
		switch {
		case d == nil:
			l.add(n.get("flags-mask"), path, "flags-mask %q is not defined", name)
		case d.Kind != DefFlags:
			l.add(n.get("flags-mask"), path, "flags-mask %q is %s, not flags", name, kindArticle(d.Kind))
		default:
			c.FlagsMask = d
		}
	}
	if c.Min != nil && c.Max != nil && c.Min.Int64() > c.Max.Int64() && !c.Max.Neg && !c.Min.Neg && c.Min.Abs > c.Max.Abs {
		l.add(n.get("min"), path, "min %s is greater than max %s", limitText(c.Min), limitText(c.Max))
	}
}

func limitText(l *Limit) string {
	if l.Name != "" {
		return l.Name
	}
	if l.Neg {
		return fmt.Sprintf("-%d", l.Abs)
	}
	return fmt.Sprintf("%d", l.Abs)
}

// attrSanity reports combinations the kernel's tools cannot use.
func (l *loader) attrSanity(a *Attr, n *node, path string) {
	if a.SubType != "" && a.Type != TypeIndexedArray && a.Type != TypeBinary {
		l.add(n.get("sub-type"), path, "sub-type applies only to indexed-array and binary attributes, not %s", a.Type)
	}
	if a.Type == TypeIndexedArray && a.SubType == "" && n.has("type") {
		l.add(n, path, "an indexed-array attribute needs \"sub-type\"")
	}
	if a.Type == TypeNestTypeValue && len(a.TypeValue) == 0 {
		l.add(n, path, "a nest-type-value attribute needs \"type-value\"")
	}
	if a.Type == TypeNestTypeValue && !n.has("nested-attributes") {
		l.add(n, path, "a nest-type-value attribute needs \"nested-attributes\": the set its innermost nests hold")
	}
	if a.Type == TypeIndexedArray && a.SubType == TypeFlag {
		l.add(n.get("sub-type"), path, "an indexed-array of flags cannot be encoded: a flag element carries no value, so a false one would read back as true")
	}
}
