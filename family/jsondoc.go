package family

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// parseJSON reads a spec written as plain JSON (a descriptor, as the
// prebuilt packages embed) straight into a node tree, several times faster
// than the YAML library, which a command-line program pays at every start.
// The tree is the one parseDoc builds from the same bytes through the YAML
// library: the same kinds, tags, values and positions (line, and column in
// runes, from 1). Anything else than well-formed JSON within the node and
// depth limits, or a duplicate key, returns ok false, and the caller takes
// the YAML path, which reports the problem at its place.
func parseJSON(file string, data []byte) (root *node, ok bool) {
	p := jsonParser{file: file, data: data, src: string(data), line: 1, lineStart: 0}
	p.space()
	if p.i >= len(data) || data[p.i] != '{' {
		return nil, false
	}
	root = p.value(0)
	if p.bad {
		return nil, false
	}
	p.space()
	if p.i != len(data) {
		return nil, false
	}
	return root, true
}

type jsonParser struct {
	file      string
	data      []byte
	src       string // data as a string, which the values are cut from
	i         int
	line      int
	lineStart int // offset of the current line's first byte
	count     int // nodes made, bounded by maxNodes
	bad       bool

	// The tree is allocated in blocks rather than node by node: nodes
	// from slab; the children of a mapping or sequence gather on stack
	// and are copied out once it is complete, into a slice of their size.
	slab  []node
	stack []*node
}

// newNode returns a node from the current block.
func (p *jsonParser) newNode(n node) *node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]node, 0, 128)
	}
	p.slab = append(p.slab, n)
	return &p.slab[len(p.slab)-1]
}

func (p *jsonParser) pos() Pos {
	return Pos{File: p.file, Line: p.line, Col: 1 + utf8.RuneCount(p.data[p.lineStart:p.i])}
}

// space skips JSON white space, counting lines.
func (p *jsonParser) space() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case '\n':
			p.line++
			p.lineStart = p.i + 1
		case ' ', '\t', '\r':
		default:
			return
		}
		p.i++
	}
}

func (p *jsonParser) fail() *node {
	p.bad = true
	return nil
}

// value reads the value at p.i (white space skipped).
func (p *jsonParser) value(depth int) *node {
	if p.count++; p.count > maxNodes || depth > maxDepth || p.i >= len(p.data) {
		return p.fail()
	}
	pos := p.pos()
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(pos, depth)
	case c == '[':
		return p.array(pos, depth)
	case c == '"':
		s, ok := p.str()
		if !ok {
			return p.fail()
		}
		return p.newNode(node{kind: scalarNode, tag: "!!str", value: s, pos: pos})
	case c == '-' || c >= '0' && c <= '9':
		return p.number(pos)
	}
	for _, w := range [...]struct{ word, tag string }{{"true", "!!bool"}, {"false", "!!bool"}, {"null", "!!null"}} {
		if len(p.data)-p.i >= len(w.word) && string(p.data[p.i:p.i+len(w.word)]) == w.word {
			p.i += len(w.word)
			return p.newNode(node{kind: scalarNode, tag: w.tag, value: w.word, pos: pos})
		}
	}
	return p.fail()
}

func (p *jsonParser) object(pos Pos, depth int) *node {
	n := p.newNode(node{kind: mapNode, pos: pos})
	p.i++ // {
	p.space()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return n
	}
	// Keys and values go on the stack in pairs from mark.
	mark := len(p.stack)
	for !p.bad {
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != '"' {
			return p.fail()
		}
		k := p.value(depth + 1)
		if p.bad {
			return nil
		}
		for i := mark; i < len(p.stack); i += 2 {
			if p.stack[i].value == k.value {
				return p.fail() // the YAML path names the duplicate
			}
		}
		p.space()
		if p.i >= len(p.data) || p.data[p.i] != ':' {
			return p.fail()
		}
		p.i++
		p.space()
		v := p.value(depth + 1)
		if p.bad {
			return nil
		}
		p.stack = append(p.stack, k, v)
		p.space()
		if p.i >= len(p.data) {
			return p.fail()
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			kv := p.stack[mark:]
			half := len(kv) / 2
			both := make([]*node, len(kv))
			n.keys, n.vals = both[:half:half], both[half:]
			for i := range half {
				n.keys[i], n.vals[i] = kv[2*i], kv[2*i+1]
			}
			p.stack = p.stack[:mark]
			return n
		default:
			return p.fail()
		}
	}
	return nil
}

func (p *jsonParser) array(pos Pos, depth int) *node {
	n := p.newNode(node{kind: seqNode, pos: pos, items: []*node{}})
	p.i++ // [
	p.space()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return n
	}
	mark := len(p.stack)
	for !p.bad {
		p.space()
		v := p.value(depth + 1)
		if p.bad {
			return nil
		}
		p.stack = append(p.stack, v)
		p.space()
		if p.i >= len(p.data) {
			return p.fail()
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			n.items = make([]*node, len(p.stack)-mark)
			copy(n.items, p.stack[mark:])
			p.stack = p.stack[:mark]
			return n
		default:
			return p.fail()
		}
	}
	return nil
}

// str reads a JSON string at p.i. Strings without escapes (nearly all)
// are cut out of data; the rest go through encoding/json.
func (p *jsonParser) str() (string, bool) {
	start := p.i
	escaped := false
	for j := start + 1; j < len(p.data); j++ {
		switch c := p.data[j]; {
		case c == '\\':
			// The YAML library knows every JSON escape but \/ and the
			// surrogate halves of \u; those go to the YAML path.
			escaped = true
			j++
			if j < len(p.data) && (p.data[j] == '/' ||
				p.data[j] == 'u' && j+2 < len(p.data) && (p.data[j+1] == 'd' || p.data[j+1] == 'D') && p.data[j+2] >= '8' && p.data[j+2] <= 'f') {
				return "", false
			}
		case c == '"':
			p.i = j + 1
			if !escaped {
				return p.src[start+1 : j], true
			}
			var s string
			if json.Unmarshal(p.data[start:j+1], &s) != nil {
				return "", false
			}
			return s, true
		case c < 0x20: // control characters, line breaks included, must be escaped
			return "", false
		}
	}
	return "", false
}

// number reads a JSON number: an integer is !!int, one with a fraction or
// an exponent !!float, as the YAML library resolves them.
func (p *jsonParser) number(pos Pos) *node {
	start := p.i
	if p.data[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	intStart := p.i
	if n := digits(); n == 0 || n > 1 && p.data[intStart] == '0' {
		return p.fail() // no digits, or a leading zero JSON forbids
	}
	tag := "!!int"
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return p.fail()
		}
		tag = "!!float"
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return p.fail()
		}
		tag = "!!float"
	}
	v := p.src[start:p.i]
	if tag == "!!int" {
		// The YAML library makes an integer beyond 64 bits a float.
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			if _, err := strconv.ParseUint(v, 10, 64); err != nil {
				return p.fail()
			}
		}
	}
	return p.newNode(node{kind: scalarNode, tag: tag, value: v, pos: pos})
}
