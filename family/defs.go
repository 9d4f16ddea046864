package family

import (
	"fmt"
	"strings"
)

// definitions resolves the definitions section: names first (so consts and
// structs may refer to ones defined later), then each definition.
func (l *loader) definitions(root *node) {
	items := l.seq(root, "definitions", "")
	var order []*Definition
	for i, n := range items {
		path := itemPath("definitions", n, i, "name")
		if !l.checkObj(n, path, objDefinition) {
			continue
		}
		l.checkName(n, path, patItemName)
		d := &Definition{
			Name:   l.str(n, "name", path),
			Kind:   DefKind(l.enum(n, "type", path, "def-type")),
			Doc:    l.str(n, "doc", path),
			Header: l.str(n, "header", path),
			Scope:  l.enum(n, "scope", path, "def-scope"),
			Pos:    n.pos,
		}
		if d.Name == "" || d.Kind == "" {
			continue
		}
		if _, dup := l.defs[d.Name]; dup {
			l.add(n.get("name"), path, "definition %q is defined more than once", d.Name)
			continue
		}
		l.defs[d.Name] = d
		l.defNodes[d] = n
		order = append(order, d)
	}
	l.f.Definitions = order
	// Consts first: enums, structs and checks use their values.
	for _, d := range order {
		if d.Kind == DefConst {
			l.constDef(d, l.defNodes[d], "definitions["+d.Name+"]")
		}
	}
	for _, d := range order {
		n := l.defNodes[d]
		path := "definitions[" + d.Name + "]"
		l.keysFor(n, path, d.Kind)
		switch d.Kind {
		case DefEnum, DefFlags:
			l.enumDef(d, n, path)
		case DefStruct:
			l.structLayout(d)
		}
	}
}

// keysFor reports keys that make no sense for the definition's kind.
func (l *loader) keysFor(n *node, path string, kind DefKind) {
	allowed := map[DefKind][]string{
		DefConst:  {"value", "name-prefix"},
		DefEnum:   {"value-start", "entries", "render-max", "enum-name", "name-prefix", "enum-cnt-name"},
		DefFlags:  {"value-start", "entries", "render-max", "enum-name", "name-prefix", "enum-cnt-name"},
		DefStruct: {"members"},
	}
	own := map[string]bool{"name": true, "type": true, "doc": true, "header": true, "scope": true}
	for _, k := range allowed[kind] {
		own[k] = true
	}
	for _, k := range n.keys {
		if _, known := schemas()[objDefinition].keys[k.value]; known && !own[k.value] {
			l.add(k, path, "key %q does not apply to a %s definition", k.value, kind)
		}
	}
	for _, k := range map[DefKind][]string{DefConst: {"value"}, DefEnum: {"entries"}, DefFlags: {"entries"}, DefStruct: {"members"}}[kind] {
		if !n.has(k) {
			l.add(n, path, "missing required key %q for a %s definition", k, kind)
		}
	}
}

// constDef resolves a const's value: an integer, or a string, which is a
// string constant (team's multicast group name), not a reference.
func (l *loader) constDef(d *Definition, n *node, path string) {
	d.NamePrefix = l.str(n, "name-prefix", path)
	v := n.get("value")
	if v == nil {
		return
	}
	if v.kind == scalarNode && v.tag == "!!str" {
		d.StrValue, d.IsString = v.value, true
		return
	}
	if x, ok := l.intNode(v, "value", path, false); ok {
		d.Value = x
	}
}

// constValue returns the integer value of a const used as a number.
func (l *loader) constValue(d *Definition, at *node, key, path string) (int64, bool) {
	if d.IsString {
		l.add(at, path, "%s %q is a string const, not a number", key, d.Name)
		return 0, false
	}
	return d.Value, true
}

// numOrConst reads an integer, or the name of a const, from key.
func (l *loader) numOrConst(n *node, key, path string) (int64, bool) {
	v := n.get(key)
	if v == nil {
		return 0, false
	}
	if v.kind == scalarNode && v.tag == "!!str" {
		d := l.constByName(v.value)
		if d == nil {
			l.add(v, path, "%s %q is not a number or a defined const", key, v.value)
			return 0, false
		}
		return l.constValue(d, v, key, path)
	}
	return l.intNode(v, key, path, false)
}

// enumDef resolves an enum's or a flags' entries. Enum entries count up from
// value-start (0 by default) unless given a value; flags entries do the
// same in bit numbers, and their Value is the mask 1<<bit.
func (l *loader) enumDef(d *Definition, n *node, path string) {
	en, null := l.strOrNull(n, "enum-name", path)
	d.EnumName, d.NoEnumName = en, null
	d.NamePrefix = l.str(n, "name-prefix", path)
	d.EnumCntName = l.str(n, "enum-cnt-name", path)
	d.RenderMax = l.boolean(n, "render-max", path)
	if v, ok := l.numOrConst(n, "value-start", path); ok {
		d.ValueStart = v
	}
	names := map[string]bool{}
	values := map[uint64]string{}
	next := d.ValueStart
	for i, e := range l.seq(n, "entries", path) {
		epath := fmt.Sprintf("%s.entries[%d]", path, i)
		entry := &EnumEntry{Pos: e.pos}
		val := next
		switch {
		case e.kind == scalarNode && e.tag == "!!str":
			// The schemas leave plain-string entries unpatterned: nfsd's and
			// sunrpc_cache's cache-type has "ip_map" and "svc_export", which
			// the generators map to Go and C names like any other.
			entry.Name = e.value
		case e.kind == mapNode:
			epath = itemPath(path+".entries", e, i, "name")
			if !l.checkObj(e, epath, objEntry) {
				continue
			}
			l.checkName(e, epath, patItemName)
			entry.Name = l.str(e, "name", epath)
			entry.Doc = l.str(e, "doc", epath)
			if v, ok := l.integer(e, "value", epath, false); ok {
				val = v
			}
		default:
			l.add(e, epath, "enum entry must be a string or a mapping, found %s", e.describe())
			continue
		}
		next = val + 1
		if entry.Name == "" {
			continue
		}
		at := e
		if e.kind == mapNode && e.get("value") != nil {
			at = e.get("value")
		}
		if d.Kind == DefFlags {
			if val < 0 || val > 63 {
				l.add(at, epath, "flag bit %d is out of range 0..63", val)
				continue
			}
			entry.Value = 1 << uint(val)
		} else {
			entry.Value = uint64(val)
		}
		if names[entry.Name] {
			l.add(e, epath, "entry %q is defined more than once", entry.Name)
			continue
		}
		names[entry.Name] = true
		if other, dup := values[entry.Value]; dup {
			l.add(at, epath, "entry %q has the same value as %q", entry.Name, other)
		}
		values[entry.Value] = entry.Name
		d.Entries = append(d.Entries, entry)
	}
}

// structLayout resolves a struct's members and lays them out packed,
// resolving nested structs first (defState guards against cycles).
func (l *loader) structLayout(d *Definition) {
	switch l.defState[d] {
	case 1:
		l.add(l.defNodes[d].get("name"), "definitions["+d.Name+"]", "struct %q contains itself", d.Name)
		return
	case 2:
		return
	}
	l.defState[d] = 1
	defer func() { l.defState[d] = 2 }()
	n := l.defNodes[d]
	path := "definitions[" + d.Name + "]"
	names := map[string]bool{}
	off := 0
	for i, mn := range l.seq(n, "members", path) {
		mpath := itemPath(path+".members", mn, i, "name")
		m := l.member(mn, mpath)
		if m == nil {
			continue
		}
		if names[m.Name] {
			l.add(mn.get("name"), mpath, "member %q is defined more than once", m.Name)
		}
		names[m.Name] = true
		m.Offset = off
		off += m.Size
		d.Members = append(d.Members, m)
	}
	d.Size = off
}

// member resolves one struct member and its size.
func (l *loader) member(n *node, path string) *Member {
	if !l.checkObj(n, path, objMember) {
		return nil
	}
	m := &Member{
		Name:        l.str(n, "name", path),
		Type:        l.enum(n, "type", path, "member-type"),
		ByteOrder:   ByteOrder(l.enum(n, "byte-order", path, "byte-order")),
		Doc:         l.str(n, "doc", path),
		EnumAsFlags: l.boolean(n, "enum-as-flags", path),
		DisplayHint: l.enum(n, "display-hint", path, "display-hint"),
		Pos:         n.pos,
	}
	if v := n.get("name"); v != nil && v.tag == "!!str" {
		re := reName
		if l.proto == ProtocolNetlinkRaw {
			re = reNameCap
		}
		if !re.MatchString(v.value) {
			l.add(v, path, "name %q must match %s", v.value, re)
		}
	}
	if name := l.str(n, "enum", path); name != "" {
		m.Enum = l.enumRef(n.get("enum"), path, "enum", name)
	}
	if name := l.str(n, "struct", path); name != "" {
		if s := l.structRef(n.get("struct"), path, "struct", name); s != nil {
			l.structLayout(s)
			m.Struct = s
		}
	}
	if m.Name == "" || m.Type == "" {
		return nil
	}
	if v := n.get("len"); v != nil {
		if lim := l.lenOrDefine(n, "len", path); lim != nil {
			if lim.Neg || lim.Abs > 1<<16 {
				l.add(v, path, "len %s is out of range", v.value)
			} else {
				m.Len = int(lim.Abs)
			}
		}
	}
	m.Size = AttrType(m.Type).Width()
	switch m.Type {
	case "string", "pad":
		if !n.has("len") {
			l.add(n, path, "missing required key \"len\" for a %s member", m.Type)
		}
		m.Size = m.Len
	case "binary":
		if n.has("len") && n.has("struct") && l.proto == ProtocolNetlinkRaw {
			l.add(n.get("struct"), path, "a binary member has either \"len\" or \"struct\", not both")
		}
		switch {
		case n.has("len"):
			m.Size = m.Len
		case m.Struct != nil:
			m.Size = m.Struct.Size
		case !n.has("struct"):
			l.add(n, path, "a binary member needs \"len\" or \"struct\"")
		}
	}
	return m
}

// enumRef resolves the name of an enum or flags definition.
func (l *loader) enumRef(at *node, path, key, name string) *Definition {
	d := l.defs[name]
	switch {
	case d == nil:
		l.add(at, path, "%s %q is not defined", key, name)
		return nil
	case d.Kind != DefEnum && d.Kind != DefFlags:
		l.add(at, path, "%s %q is %s, not an enum or flags", key, name, kindArticle(d.Kind))
		return nil
	}
	return d
}

// structRef resolves the name of a struct definition.
func (l *loader) structRef(at *node, path, key, name string) *Definition {
	d := l.defs[name]
	switch {
	case d == nil:
		l.add(at, path, "%s %q is not defined", key, name)
		return nil
	case d.Kind != DefStruct:
		l.add(at, path, "%s %q is %s, not a struct", key, name, kindArticle(d.Kind))
		return nil
	}
	return d
}

// lenOrDefine reads a length: an integer, a const name, or "NAME - 1".
func (l *loader) lenOrDefine(n *node, key, path string) *Limit {
	v := n.get(key)
	if v == nil {
		return nil
	}
	if v.kind == scalarNode && v.tag == "!!str" {
		if !reLenOrDefine.MatchString(v.value) {
			l.add(v, path, "%s %q must be a number, a const name or \"NAME - 1\"", key, v.value)
			return nil
		}
		name, minus1 := strings.CutSuffix(v.value, " - 1")
		lim := l.symbol(v, key, path, name, false)
		if lim == nil {
			return nil
		}
		lim.Name = v.value
		if minus1 {
			lim = lim.minusOne()
		}
		return lim
	}
	x, ok := l.intNode(v, key, path, true)
	if !ok {
		return nil
	}
	return &Limit{Abs: uint64(x)}
}

// lenOrLimit reads a check bound: an integer, a const name, or a type
// limit such as u16-max or s32-min.
func (l *loader) lenOrLimit(n *node, key, path string) *Limit {
	v := n.get(key)
	if v == nil {
		return nil
	}
	if v.kind == scalarNode && v.tag == "!!str" {
		if !reLenOrLimit.MatchString(v.value) {
			l.add(v, path, "%s %q must be a number, a const name or a type limit", key, v.value)
			return nil
		}
		return l.symbol(v, key, path, v.value, true)
	}
	x, ok := l.intNode(v, key, path, true)
	if !ok {
		return nil
	}
	return &Limit{Abs: uint64(x)}
}

// symbol resolves a const name or, when limits is set, a type limit.
func (l *loader) symbol(at *node, key, path, name string, limits bool) *Limit {
	if signed, bits, max, ok := parseTypeLimit(name); limits && ok {
		return typeLimit(signed, bits, max, name)
	}
	d := l.constByName(name)
	if d == nil {
		l.add(at, path, "%s %q is not a number or a defined const", key, name)
		return nil
	}
	v, ok := l.constValue(d, at, key, path)
	if !ok {
		return nil
	}
	lim := limitOf(v)
	lim.Name = name
	return lim
}

// typeLimit is the min or max of a fixed-width integer type.
func typeLimit(signed bool, b uint, max bool, name string) *Limit {
	switch {
	case !signed && !max:
		return &Limit{Name: name}
	case !signed:
		return &Limit{Abs: 1<<b - 1, Name: name}
	case max:
		return &Limit{Abs: 1<<(b-1) - 1, Name: name}
	}
	return &Limit{Neg: true, Abs: 1 << (b - 1), Name: name}
}

// limitOf converts an int64.
func limitOf(v int64) *Limit {
	if v < 0 {
		return &Limit{Neg: true, Abs: uint64(-(v + 1)) + 1}
	}
	return &Limit{Abs: uint64(v)}
}

// minusOne returns the limit less one, keeping its name.
func (lim *Limit) minusOne() *Limit {
	out := *lim
	switch {
	case lim.Neg:
		out.Abs++
	case lim.Abs == 0:
		out.Neg, out.Abs = true, 1
	default:
		out.Abs--
	}
	return &out
}

// constByName finds a const by its name or by its prefixed name (wireguard
// refers to const key-len with name-prefix wg- as wg-key-len).
func (l *loader) constByName(name string) *Definition {
	if d := l.defs[name]; d != nil {
		if d.Kind == DefConst {
			return d
		}
		return nil
	}
	for _, d := range l.f.Definitions {
		if d.Kind == DefConst && d.NamePrefix != "" && d.NamePrefix+d.Name == name {
			return d
		}
	}
	return nil
}

// kindArticle is a definition kind with its article: "an enum", "a const".
func kindArticle(k DefKind) string {
	if k == DefEnum {
		return "an enum"
	}
	return "a " + string(k)
}
