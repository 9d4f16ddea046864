package family

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// protoMask is a set of protocols, used to say where a key or a value is
// allowed. The tables below transcribe the four JSON schemas the kernel
// validates its specs against (Documentation/netlink/*.yaml).
type protoMask uint8

const (
	pG protoMask = 1 << iota // genetlink
	pC                       // genetlink-c
	pL                       // genetlink-legacy
	pR                       // netlink-raw

	pAll = pG | pC | pL | pR
	pCLR = pC | pL | pR
	pGCL = pG | pC | pL
	pLR  = pL | pR
)

// maskOf returns the mask bit of a protocol.
func maskOf(p Protocol) protoMask {
	switch p {
	case ProtocolGenetlinkC:
		return pC
	case ProtocolGenetlinkLegacy:
		return pL
	case ProtocolNetlinkRaw:
		return pR
	}
	return pG
}

// protocolsIn names the protocols of a mask, for error messages.
func protocolsIn(m protoMask) string {
	var s []string
	for _, p := range []Protocol{ProtocolGenetlink, ProtocolGenetlinkC, ProtocolGenetlinkLegacy, ProtocolNetlinkRaw} {
		if m&maskOf(p) != 0 {
			s = append(s, string(p))
		}
	}
	return strings.Join(s, ", ")
}

// objKind is a kind of mapping in a spec.
type objKind int

const (
	objFamily objKind = iota
	objDefinition
	objEntry
	objMember
	objAttrSet
	objAttr
	objChecks
	objOperations
	objOp
	objOpMode
	objOpMessage
	objEvent
	objMcastGroups
	objMcastGroup
	objSubMessage
	objFormat
	objKernelFamily
)

// objSchema lists the keys a kind of mapping may have, each with the
// protocols that allow it, and the keys it must have.
type objSchema struct {
	keys     map[string]protoMask
	required []string
}

// schemas and enumValues are built on first use, not at init: a command
// that only decodes a built-in descriptor never reads YAML.
var schemas = sync.OnceValue(func() map[objKind]objSchema {
	return map[objKind]objSchema{
		objFamily: {keys: map[string]protoMask{
			"name": pAll, "doc": pAll, "protocol": pAll, "uapi-header": pAll,
			"c-family-name": pCLR, "c-version-name": pCLR, "max-by-define": pCLR,
			"cmd-max-name": pCLR, "cmd-cnt-name": pCLR,
			"kernel-policy": pLR, "version": pL, "protonum": pR,
			"definitions": pAll, "attribute-sets": pAll, "operations": pAll,
			"mcast-groups": pAll, "sub-messages": pR, "kernel-family": pGCL,
		}, required: []string{"name", "doc", "attribute-sets", "operations"}},
		objDefinition: {keys: map[string]protoMask{
			"name": pAll, "header": pAll, "type": pAll, "doc": pAll, "value": pAll,
			"value-start": pAll, "entries": pAll, "render-max": pAll,
			"enum-name": pCLR, "name-prefix": pCLR, "enum-cnt-name": pC | pL,
			"members": pLR, "scope": pAll,
		}, required: []string{"type", "name"}},
		objEntry: {keys: map[string]protoMask{"name": pAll, "value": pAll, "doc": pAll},
			required: []string{"name"}},
		objMember: {keys: map[string]protoMask{
			"name": pLR, "type": pLR, "len": pLR, "byte-order": pLR, "doc": pLR,
			"enum": pLR, "enum-as-flags": pR, "display-hint": pLR, "struct": pLR,
		}, required: []string{"name", "type"}},
		objAttrSet: {keys: map[string]protoMask{
			"name": pAll, "name-prefix": pAll, "enum-name": pAll, "doc": pAll,
			"subset-of": pAll, "attributes": pAll,
			"attr-cnt-name": pCLR, "attr-max-name": pCLR, "header": pCLR,
		}, required: []string{"name", "attributes"}},
		objAttr: {keys: map[string]protoMask{
			"name": pAll, "type": pAll, "doc": pAll, "value": pAll, "type-value": pAll,
			"byte-order": pAll, "multi-attr": pAll, "nested-attributes": pAll,
			"enum": pAll, "enum-as-flags": pAll, "checks": pAll, "sub-type": pAll,
			"display-hint": pAll, "name-prefix": pCLR, "struct": pLR,
			"sub-message": pR, "selector": pR,
		}, required: []string{"name"}},
		objChecks: {keys: map[string]protoMask{
			"flags-mask": pAll, "min": pAll, "max": pAll, "min-len": pAll,
			"max-len": pAll, "exact-len": pAll, "unterminated-ok": pCLR,
		}},
		objOperations: {keys: map[string]protoMask{
			"enum-model": pAll, "name-prefix": pAll, "enum-name": pAll,
			"async-prefix": pAll, "async-enum": pAll, "fixed-header": pLR, "list": pAll,
		}, required: []string{"list"}},
		objOp: {keys: map[string]protoMask{
			"name": pAll, "doc": pAll, "value": pAll, "attribute-set": pAll,
			"flags": pAll, "dont-validate": pAll, "config-cond": pGCL,
			"fixed-header": pLR, "do": pAll, "dump": pAll, "notify": pAll,
			"event": pAll, "mcgrp": pAll,
		}, required: []string{"name", "doc"}},
		objOpMode: {keys: map[string]protoMask{
			"request": pAll, "reply": pAll, "pre": pAll, "post": pAll,
		}},
		objOpMessage: {keys: map[string]protoMask{"attributes": pAll, "value": pLR}},
		objEvent:     {keys: map[string]protoMask{"attributes": pAll}},
		objMcastGroups: {keys: map[string]protoMask{"list": pAll},
			required: []string{"list"}},
		objMcastGroup: {keys: map[string]protoMask{
			"name": pAll, "c-define-name": pCLR, "flags": pAll, "value": pR,
		}, required: []string{"name"}},
		objSubMessage: {keys: map[string]protoMask{"name": pR, "doc": pR, "formats": pR},
			required: []string{"name", "formats"}},
		objFormat: {keys: map[string]protoMask{
			"value": pR, "fixed-header": pR, "attribute-set": pR,
		}, required: []string{"value"}},
		objKernelFamily: {keys: map[string]protoMask{"headers": pGCL, "sock-priv": pGCL}},
	}
})

// enumValues lists the values an enumerated key may take, each with the
// protocols that allow it.
var enumValues = sync.OnceValue(func() map[string]map[string]protoMask {
	return map[string]map[string]protoMask{
		"protocol": {"genetlink": pAll, "genetlink-c": pAll, "genetlink-legacy": pAll, "netlink-raw": pAll},
		"def-type": {"const": pAll, "enum": pAll, "flags": pAll, "struct": pLR},
		"member-type": {"u8": pLR, "u16": pLR, "u32": pLR, "u64": pLR, "s8": pLR, "s16": pLR, "s32": pLR, "s64": pLR, "string": pLR, "binary": pLR,
			// pad is netlink-raw's in the schemas; genetlink-legacy takes it too, so
			// that an overlay can give a packed struct the tail padding C gives it
			// (openvswitch's ovs_key_arp is 24 bytes, its members 22).
			"pad": pLR},
		"attr-type":     attrTypeValues(),
		"byte-order":    {"little-endian": pAll, "big-endian": pAll},
		"display-hint":  {"hex": pAll, "mac": pAll, "fddi": pAll, "ipv4": pAll, "ipv6": pAll, "ipv4-or-v6": pAll, "uuid": pAll},
		"enum-model":    {"unified": pAll, "directional": pLR},
		"kernel-policy": {"split": pAll, "per-op": pAll, "global": pAll},
		"op-flags":      {"admin-perm": pAll, "uns-admin-perm": pG | pL},
		"dont-validate": {"strict": pAll, "dump": pAll, "dump-strict": pGCL},
		"def-scope":     {"uapi": pAll, "kernel": pAll, "user": pAll},
	}
})

func attrTypeValues() map[string]protoMask {
	m := map[string]protoMask{}
	for _, t := range []string{"unused", "pad", "flag", "binary", "uint", "sint",
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "string", "nest",
		"indexed-array", "nest-type-value"} {
		m[t] = pAll
	}
	m["bitfield32"] = pLR
	m["sub-message"] = pR
	return m
}

// Name patterns of the schemas. Each is one character class, checked byte
// by byte: compiled regular expressions would cost every program linking
// this package their compilation at start.
var (
	reName        = &charPattern{expr: `^[0-9a-z-]+$`, lower: true, digit: true, dash: true}
	reNameCap     = &charPattern{expr: `^[0-9a-zA-Z-]+$`, lower: true, upper: true, digit: true, dash: true}
	reLenOrDefine = &charPattern{expr: `^[0-9A-Za-z_-]+( - 1)?$`, lower: true, upper: true, digit: true, dash: true, underscore: true, minusOne: true}
	reLenOrLimit  = &charPattern{expr: `^[0-9A-Za-z_-]+$`, lower: true, upper: true, digit: true, dash: true, underscore: true}
)

// charPattern is a pattern ^[class]+$ (optionally followed by " - 1"),
// printed as the regular expression it stands for.
type charPattern struct {
	expr                                  string
	lower, upper, digit, dash, underscore bool
	minusOne                              bool // ( - 1)? may follow
}

// MatchString reports whether s matches the pattern.
func (p *charPattern) MatchString(s string) bool {
	if p.minusOne {
		s = strings.TrimSuffix(s, " - 1")
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case p.lower && 'a' <= c && c <= 'z',
			p.upper && 'A' <= c && c <= 'Z',
			p.digit && '0' <= c && c <= '9',
			p.dash && c == '-',
			p.underscore && c == '_':
		default:
			return false
		}
	}
	return true
}

// String returns the pattern as a regular expression.
func (p *charPattern) String() string { return p.expr }

// parseTypeLimit reads a type limit name, ^([su])(8|16|32|64)-(min|max)$:
// whether the type is signed, its width in bits and whether the limit is
// its max.
func parseTypeLimit(name string) (signed bool, bits uint, max, ok bool) {
	if len(name) < 2 || (name[0] != 's' && name[0] != 'u') {
		return false, 0, false, false
	}
	width, limit, found := strings.Cut(name[1:], "-")
	if !found || (limit != "min" && limit != "max") {
		return false, 0, false, false
	}
	switch width {
	case "8":
		bits = 8
	case "16":
		bits = 16
	case "32":
		bits = 32
	case "64":
		bits = 64
	default:
		return false, 0, false, false
	}
	return name[0] == 's', bits, limit == "max", true
}

// Where the schemas require names to match reName: the protocols for which
// each kind of name is patterned.
const (
	patFamilyName = pG
	patItemName   = pG | pL | pR // definitions, entries, sets, attributes, ops
	patMcastName  = pG
)

// checkObj reports a node that is not a mapping, keys that the protocol does
// not allow and required keys that are missing. It returns false when n is
// not a mapping.
func (l *loader) checkObj(n *node, path string, kind objKind) bool {
	if n == nil {
		return false
	}
	if n.kind != mapNode {
		l.add(n, path, "must be a mapping, found %s", n.describe())
		return false
	}
	s := schemas()[kind]
	for _, k := range n.keys {
		m, ok := s.keys[k.value]
		switch {
		case !ok:
			l.add(k, path, "unknown key %q", k.value)
		case m&l.mask == 0:
			l.add(k, path, "key %q is not allowed in %s specs (only in %s)", k.value, l.proto, protocolsIn(m))
		}
	}
	for _, r := range s.required {
		if !n.has(r) {
			l.add(n, path, "missing required key %q", r)
		}
	}
	return true
}

// str returns the string value of key, or "" when it is absent or not a
// string (which it reports).
func (l *loader) str(n *node, key, path string) string {
	v := n.get(key)
	if v == nil {
		return ""
	}
	if v.kind != scalarNode || v.tag != "!!str" {
		l.add(v, path, "%s must be a string, found %s", key, v.describe())
		return ""
	}
	return v.value
}

// strOrNull is str for keys that may also be null; null reports true.
func (l *loader) strOrNull(n *node, key, path string) (string, bool) {
	v := n.get(key)
	if v != nil && v.kind == scalarNode && v.tag == "!!null" {
		if l.mask&pG != 0 {
			l.add(v, path, "%s must be a string, found null", key)
		}
		return "", true
	}
	return l.str(n, key, path), false
}

// boolean returns the value of a boolean key.
func (l *loader) boolean(n *node, key, path string) bool {
	v := n.get(key)
	if v == nil {
		return false
	}
	if v.kind != scalarNode || v.tag != "!!bool" {
		l.add(v, path, "%s must be a boolean, found %s", key, v.describe())
		return false
	}
	return v.value == "true" || v.value == "True" || v.value == "TRUE"
}

// integer returns the value of an integer key. ok is false when the key is
// absent or bad (which it reports). min0 rejects negative values.
func (l *loader) integer(n *node, key, path string, min0 bool) (v int64, ok bool) {
	x := n.get(key)
	if x == nil {
		return 0, false
	}
	return l.intNode(x, key, path, min0)
}

func (l *loader) intNode(x *node, key, path string, min0 bool) (int64, bool) {
	if x.kind != scalarNode || x.tag != "!!int" {
		l.add(x, path, "%s must be an integer, found %s", key, x.describe())
		return 0, false
	}
	neg, abs, ok := parseInt(x.value)
	if !ok || (!neg && abs > 1<<63-1) || (neg && abs > 1<<63) {
		l.add(x, path, "%s %s is out of range", key, x.value)
		return 0, false
	}
	if neg && min0 {
		l.add(x, path, "%s must not be negative", key)
		return 0, false
	}
	if neg {
		return -int64(abs-1) - 1, true
	}
	return int64(abs), true
}

// smallInt is integer limited to values that fit a netlink id (0..65535
// for attributes and messages, enough for any spec).
func (l *loader) smallInt(n *node, key, path string, limit int64) (int, bool) {
	v, ok := l.integer(n, key, path, true)
	if !ok {
		return 0, false
	}
	if v > limit {
		l.add(n.get(key), path, "%s %d is out of range (max %d)", key, v, limit)
		return 0, false
	}
	return int(v), true
}

// enum returns the value of an enumerated key, checking it against the
// values the protocol allows.
func (l *loader) enum(n *node, key, path, table string) string {
	v := l.str(n, key, path)
	if v == "" {
		return ""
	}
	return l.enumValue(n.get(key), v, key, path, table)
}

func (l *loader) enumValue(at *node, v, key, path, table string) string {
	m, ok := enumValues()[table][v]
	switch {
	case !ok:
		allowed := make([]string, 0, len(enumValues()[table]))
		for k, km := range enumValues()[table] {
			if km&l.mask != 0 {
				allowed = append(allowed, k)
			}
		}
		slices.Sort(allowed)
		l.add(at, path, "%s %q is not one of %s", key, v, strings.Join(allowed, ", "))
		return ""
	case m&l.mask == 0:
		l.add(at, path, "%s %q is not allowed in %s specs (only in %s)", key, v, l.proto, protocolsIn(m))
		return ""
	}
	return v
}

// strList returns a list of strings.
func (l *loader) strList(n *node, key, path string) []string {
	v := n.get(key)
	if v == nil {
		return nil
	}
	if v.kind != seqNode {
		l.add(v, path, "%s must be a list, found %s", key, v.describe())
		return nil
	}
	out := make([]string, 0, len(v.items))
	for _, it := range v.items {
		if it.kind != scalarNode || it.tag != "!!str" {
			l.add(it, path, "%s items must be strings, found %s", key, it.describe())
			continue
		}
		out = append(out, it.value)
	}
	return out
}

// enumList is strList with every item checked against an enum table.
func (l *loader) enumList(n *node, key, path, table string) []string {
	list := l.strList(n, key, path)
	v := n.get(key)
	out := list[:0]
	for i, s := range list {
		at := v
		if i < len(v.items) {
			at = v.items[i]
		}
		if l.enumValue(at, s, key, path, table) != "" {
			out = append(out, s)
		}
	}
	return out
}

// seq returns the items of a list key, reporting a non-list.
func (l *loader) seq(n *node, key, path string) []*node {
	v := n.get(key)
	if v == nil {
		return nil
	}
	if v.kind != seqNode {
		l.add(v, path, "%s must be a list, found %s", key, v.describe())
		return nil
	}
	return v.items
}

// checkName reports a name that does not match the schema's pattern where
// the protocol requires it.
func (l *loader) checkName(n *node, path string, patterned protoMask) {
	v := n.get("name")
	if v == nil || v.tag != "!!str" || l.mask&patterned == 0 {
		return
	}
	if !reName.MatchString(v.value) {
		l.add(v, path, "name %q must match %s", v.value, reName)
	}
}

// itemPath is the path of a list item: base[name] when it has a usable
// name, else base[index].
func itemPath(base string, n *node, i int, key string) string {
	if s := n.get(key).str(); s != "" && n.get(key).tag == "!!str" {
		return base + "[" + s + "]"
	}
	return base + "[" + strconv.Itoa(i) + "]"
}
