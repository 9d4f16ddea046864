package family

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/ynlgo/ynl/internal/lazyre"
)

// maxNodes bounds the size of a spec after anchors are expanded, so a small
// file of nested aliases (an "alias bomb") is an error rather than a hang.
// The largest kernel spec (tc.yaml) expands to about 7,300 nodes.
const maxNodes = 1 << 17

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 200

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

// node is a YAML node with aliases expanded and the file it came from kept
// in its position, so that nodes merged from overlays still point into their
// own file.
type node struct {
	kind  nodeKind
	tag   string // resolved tag of a scalar: !!str, !!int, !!bool, !!null, !!float
	value string
	pos   Pos
	keys  []*node // mapping keys, in order
	vals  []*node // mapping values, parallel to keys
	items []*node // sequence items
}

// get returns the value of key in a mapping, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != mapNode {
		return nil
	}
	for i, k := range n.keys {
		if k.value == key {
			return n.vals[i]
		}
	}
	return nil
}

// has reports whether a mapping has key.
func (n *node) has(key string) bool { return n.get(key) != nil }

// set replaces the value of key in a mapping, or appends key.
func (n *node) set(key *node, val *node) {
	for i, k := range n.keys {
		if k.value == key.value {
			n.vals[i] = val
			return
		}
	}
	n.keys = append(n.keys, key)
	n.vals = append(n.vals, val)
}

// str returns a scalar's text ("" for other nodes).
func (n *node) str() string {
	if n == nil || n.kind != scalarNode {
		return ""
	}
	return n.value
}

// describe names a node's kind for error messages.
func (n *node) describe() string {
	switch n.kind {
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a list"
	}
	switch n.tag {
	case "!!int":
		return "an integer"
	case "!!bool":
		return "a boolean"
	case "!!null":
		return "null"
	case "!!float":
		return "a float"
	}
	return "a string"
}

// parseDoc reads one YAML document into a node tree. Every problem is an
// error at a position in file; the YAML library is guarded so that a bug in
// it on hostile bytes becomes an error too.
func parseDoc(file string, data []byte) (root *node, err error) {
	start := Pos{File: file, Line: 1, Col: 1}
	if len(data) > MaxSpecSize {
		return nil, tooLarge(file)
	}
	if !utf8.Valid(data) {
		return nil, &Error{Pos: invalidUTF8Pos(file, data), Msg: "spec is not valid UTF-8"}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Pos: start, Msg: "spec is empty"}
	}
	if root, ok := parseJSON(file, data); ok {
		return root, nil
	}
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, &Error{Pos: start, Msg: fmt.Sprintf("malformed YAML: %v", r)}
		}
	}()
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, &Error{Pos: Pos{File: file, Line: extra.Line, Col: extra.Column}, Msg: "spec has more than one YAML document"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &Error{Pos: start, Msg: "spec is empty"}
	}
	c := converter{file: file}
	root, cerr := c.convert(doc.Content[0], 0)
	if cerr != nil {
		return nil, cerr
	}
	if root.kind != mapNode {
		return nil, &Error{Pos: root.pos, Msg: "spec must be a mapping, found " + root.describe()}
	}
	return root, nil
}

// yamlError turns a YAML library error into an Error at the place the
// parser stopped. The library names a line only when it is not the first,
// never a column, and counts lines from 0 in its parser's errors (those
// about the structure: "did not find expected key") though from 1 in its
// scanner's (those about characters: "found character that cannot start
// any token"). A scanner error is located by asking the parser itself: the
// shortest prefix of data that fails with the same message ends at the
// byte the scanner choked on, which gives the column too. The few scanner
// errors that a cut-off prefix also raises (an unclosed quote) and the
// parser's errors keep the library's line alone.
func yamlError(file string, data []byte, err error) error {
	msg := yamlMessage(err)
	p := Pos{File: file, Line: 1}
	if m := reYAMLLine.RE().FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
	}
	switch {
	case isYAMLParserError(msg):
		if strings.Contains(err.Error(), "line ") {
			p.Line++
		}
	case !isYAMLEOFError(msg):
		if off, ok := yamlErrorOffset(data, msg); ok {
			if q := offsetPos(file, data, off); q.Line == p.Line {
				p = q
			}
		}
	}
	return &Error{Pos: p, Msg: "malformed YAML: " + msg}
}

// isYAMLParserError reports whether msg is a message of the YAML library's
// parser, whose line numbers count from 0.
func isYAMLParserError(msg string) bool {
	switch msg {
	case "did not find expected ',' or ']'",
		"did not find expected ',' or '}'",
		"did not find expected '-' indicator",
		"did not find expected <document start>",
		"did not find expected <stream-start>",
		"did not find expected key",
		"did not find expected node content",
		"found duplicate %TAG directive",
		"found duplicate %YAML directive",
		"found incompatible YAML document",
		"found undefined tag handle":
		return true
	}
	return false
}

// isYAMLEOFError reports whether msg is a scanner error that the end of a
// cut-off prefix raises too, so that the shortest failing prefix does not
// locate it.
func isYAMLEOFError(msg string) bool {
	switch msg {
	case "found unexpected end of stream",
		"could not find expected ':'":
		return true
	}
	return false
}

// yamlMessage is the library's message without its "yaml: line N: " lead.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := reYAMLLine.RE().FindStringSubmatch(msg); m != nil && strings.HasPrefix(msg, m[0]+": ") {
		msg = msg[len(m[0])+2:]
	}
	return msg
}

// yamlErrorOffset finds, by bisection over the prefixes of data (cut at
// rune boundaries), the shortest one whose parse fails with msg, and
// returns the offset of its last byte. A parse is linear in the prefix, so
// this costs about log2(len(data)) parses, on the error path only.
func yamlErrorOffset(data []byte, msg string) (int, bool) {
	fails := func(n int) bool {
		for n < len(data) && !utf8.RuneStart(data[n]) {
			n++
		}
		return yamlFailsWith(data[:n], msg)
	}
	lo, hi := 0, len(data) // fails(hi) holds; find the least such n
	if !fails(hi) {
		return 0, false
	}
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	for hi < len(data) && !utf8.RuneStart(data[hi]) {
		hi++
	}
	off := hi - 1
	for off > 0 && !utf8.RuneStart(data[off]) {
		off--
	}
	return off, true
}

// yamlFailsWith reports whether the first document of data fails to parse
// with the message msg.
func yamlFailsWith(data []byte, msg string) (fails bool) {
	defer func() {
		if recover() != nil {
			fails = false
		}
	}()
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	return err != nil && yamlMessage(err) == msg
}

// offsetPos is the line and column (in runes, from 1) of byte off of data.
func offsetPos(file string, data []byte, off int) Pos {
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return Pos{File: file, Line: line, Col: 1 + utf8.RuneCount(data[start:off])}
}

var reYAMLLine = &lazyre.Regexp{Expr: `line (\d+)(?: column (\d+))?`}

// invalidUTF8Pos finds the line and column of the first invalid byte.
func invalidUTF8Pos(file string, data []byte) Pos {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return Pos{File: file, Line: line, Col: col}
}

// converter turns yaml.Nodes into nodes, expanding aliases under a budget.
type converter struct {
	file  string
	count int
}

func (c *converter) convert(y *yaml.Node, depth int) (*node, error) {
	c.count++
	p := Pos{File: c.file, Line: y.Line, Col: y.Column}
	if c.count > maxNodes {
		return nil, &Error{Pos: p, Msg: fmt.Sprintf("spec expands to more than %d YAML nodes (alias bomb?)", maxNodes)}
	}
	if depth > maxDepth {
		return nil, &Error{Pos: p, Msg: fmt.Sprintf("spec nests deeper than %d levels", maxDepth)}
	}
	switch y.Kind {
	case yaml.AliasNode:
		if y.Alias == nil {
			return nil, &Error{Pos: p, Msg: "unknown alias"}
		}
		return c.convert(y.Alias, depth+1)
	case yaml.ScalarNode:
		return &node{kind: scalarNode, tag: y.ShortTag(), value: y.Value, pos: p}, nil
	case yaml.SequenceNode:
		n := &node{kind: seqNode, pos: p, items: make([]*node, 0, len(y.Content))}
		for _, item := range y.Content {
			cn, err := c.convert(item, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, cn)
		}
		return n, nil
	case yaml.MappingNode:
		return c.mapping(y, p, depth)
	}
	return nil, &Error{Pos: p, Msg: "unsupported YAML node"}
}

func (c *converter) mapping(y *yaml.Node, p Pos, depth int) (*node, error) {
	n := &node{kind: mapNode, pos: p}
	seen := make(map[string]bool, len(y.Content)/2)
	for i := 0; i+1 < len(y.Content); i += 2 {
		ky, vy := y.Content[i], y.Content[i+1]
		kp := Pos{File: c.file, Line: ky.Line, Col: ky.Column}
		if ky.ShortTag() == "!!merge" {
			return nil, &Error{Pos: kp, Msg: "YAML merge keys (<<) are not supported in specs"}
		}
		if ky.Kind != yaml.ScalarNode {
			return nil, &Error{Pos: kp, Msg: "mapping keys must be strings"}
		}
		if seen[ky.Value] {
			return nil, &Error{Pos: kp, Msg: fmt.Sprintf("duplicate key %q", ky.Value)}
		}
		seen[ky.Value] = true
		k, err := c.convert(ky, depth+1)
		if err != nil {
			return nil, err
		}
		v, err := c.convert(vy, depth+1)
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, k)
		n.vals = append(n.vals, v)
	}
	return n, nil
}

// parseInt parses a YAML 1.2 integer (decimal, 0x, 0o, 0b, with an
// optional sign) into magnitude and sign, so every int64 and uint64 fits.
func parseInt(s string) (neg bool, abs uint64, ok bool) {
	s = strings.ReplaceAll(s, "_", "")
	switch {
	case strings.HasPrefix(s, "-"):
		neg, s = true, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	base := 10
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "0O"):
		base, s = 8, s[2:]
	case strings.HasPrefix(s, "0b") || strings.HasPrefix(s, "0B"):
		base, s = 2, s[2:]
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil || s == "" {
		return false, 0, false
	}
	if neg && v == 0 {
		neg = false
	}
	return neg, v, true
}
