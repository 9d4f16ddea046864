package uapi

import (
	"regexp"
	"strings"
)

// Names is what a preprocessed header declares: object-like macros, the
// constants of each enum, and the members of each struct. It says which
// names exist (so that the C program only uses those) and which exist
// that the model lacks; the values come from the compiler.
type Names struct {
	Macros  map[string]string // name -> replacement text
	Enums   [][]string        // each enum's constants, in order
	Structs map[string][]CMember
	inEnum  map[string]bool
}

// CMember is a struct member as declared: its name and its type's text.
// Flexible is set for a flexible array member (keys[]), which has no size.
type CMember struct {
	Name, Type string
	Flexible   bool
}

// Has reports whether name is a macro or an enum constant.
func (n *Names) Has(name string) bool {
	_, ok := n.Macros[name]
	return ok || n.inEnum[name]
}

// IsString reports whether name is a macro whose text is a string literal.
func (n *Names) IsString(name string) bool {
	return strings.HasPrefix(strings.TrimSpace(n.Macros[name]), `"`)
}

// Member returns the member m of struct s; m may be a path into a
// member that is a struct itself ("qdisc_stats.maxpacket").
func (n *Names) Member(s, m string) (CMember, bool) {
	if first, rest, ok := strings.Cut(m, "."); ok {
		x, ok := n.Member(s, first)
		inner, isStruct := strings.CutPrefix(strings.TrimSpace(x.Type), "struct ")
		if !ok || !isStruct {
			return CMember{}, false
		}
		return n.Member(strings.TrimSpace(inner), rest)
	}
	for _, x := range n.Structs[s] {
		if x.Name == m {
			return x, true
		}
	}
	return CMember{}, false
}

var (
	reDefine  = regexp.MustCompile(`^#define\s+([A-Za-z_]\w*)(\s+(.*))?$`)
	reEnum    = regexp.MustCompile(`\benum\s*\w*\s*\{([^{}]*)\}`)
	reStruct  = regexp.MustCompile(`\bstruct\s+(\w+)\s*\{`)
	reIdent   = regexp.MustCompile(`[A-Za-z_]\w*`)
	reComment = regexp.MustCompile(`(?s)/\*.*?\*/|//[^\n]*`)
	reAttrib  = regexp.MustCompile(`__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)`)
)

// ParseHeader reads the output of `gcc -E -dD` (macros kept as #define
// lines, code preprocessed); comments, which gcc -E drops, are dropped too.
func ParseHeader(text string) *Names {
	n := &Names{Macros: map[string]string{}, Structs: map[string][]CMember{}, inEnum: map[string]bool{}}
	var code strings.Builder
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "#") {
			if m := reDefine.FindStringSubmatch(line); m != nil {
				n.Macros[m[1]] = m[3]
			}
			continue
		}
		code.WriteString(line)
		code.WriteByte('\n')
	}
	src := reComment.ReplaceAllString(code.String(), " ")
	src = reAttrib.ReplaceAllString(src, "")
	for _, m := range reEnum.FindAllStringSubmatch(src, -1) {
		var consts []string
		for _, item := range strings.Split(m[1], ",") {
			if id := reIdent.FindString(item); id != "" {
				consts = append(consts, id)
				n.inEnum[id] = true
			}
		}
		n.Enums = append(n.Enums, consts)
	}
	for _, loc := range reStruct.FindAllStringSubmatchIndex(src, -1) {
		name := src[loc[2]:loc[3]]
		body, ok := braced(src[loc[1]-1:])
		if !ok {
			continue
		}
		if _, dup := n.Structs[name]; !dup {
			n.Structs[name] = members(body)
		}
	}
	return n
}

// braced returns the text inside the brace block that s starts with.
func braced(s string) (string, bool) {
	depth := 0
	for i, c := range s {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return s[1:i], true
			}
		}
	}
	return "", false
}

// members parses a struct body's declarations. The members of an
// anonymous union or struct are members of the enclosing struct.
func members(body string) []CMember {
	var out []CMember
	depth, start := 0, 0
	for i, c := range body {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
		case ';':
			if depth == 0 {
				out = append(out, declaration(body[start:i])...)
				start = i + 1
			}
		}
	}
	return out
}

func declaration(d string) []CMember {
	d = strings.TrimSpace(d)
	if i := strings.Index(d, "{"); i >= 0 {
		inner, ok := braced(d[i:])
		if !ok {
			return nil
		}
		rest := strings.TrimSpace(d[i+len(inner)+2:])
		if rest == "" { // anonymous union or struct
			return members(inner)
		}
		return []CMember{{Name: lastIdent(rest), Type: strings.TrimSpace(d[:i])}}
	}
	flexible := strings.Contains(strings.ReplaceAll(d, " ", ""), "[]")
	if i := strings.IndexAny(d, "[:"); i >= 0 {
		d = d[:i]
	}
	ids := reIdent.FindAllStringIndex(d, -1)
	if len(ids) < 2 {
		return nil
	}
	last := ids[len(ids)-1]
	return []CMember{{Name: d[last[0]:last[1]], Type: strings.TrimSpace(d[:last[0]]), Flexible: flexible}}
}

func lastIdent(s string) string {
	if i := strings.IndexAny(s, "[:"); i >= 0 {
		s = s[:i]
	}
	ids := reIdent.FindAllString(s, -1)
	if len(ids) == 0 {
		return ""
	}
	return ids[len(ids)-1]
}

// byteOrder is the byte order a member's declared type says.
func byteOrder(typ string) string {
	switch {
	case strings.Contains(typ, "__be"):
		return "big-endian"
	case strings.Contains(typ, "__le"):
		return "little-endian"
	}
	return "host"
}

// cSignedness is "signed" or "unsigned" for a declared integer type, ""
// for other types (enums, arrays of char, structs).
func cSignedness(typ string) string {
	t := strings.Fields(typ)
	switch {
	case len(t) == 0:
		return ""
	case strings.HasPrefix(t[0], "__s") || t[0] == "signed":
		return "signed"
	case strings.HasPrefix(t[0], "__u") || strings.HasPrefix(t[0], "__be") || strings.HasPrefix(t[0], "__le") || t[0] == "unsigned":
		return "unsigned"
	case t[0] == "int" || t[0] == "short" || t[0] == "long":
		return "signed"
	}
	return ""
}

var reDocType = regexp.MustCompile(`@([A-Z][A-Z0-9_]*):[^\n@]*?\((NLA_[A-Z0-9_]+)`)

// DocTypes reads the kernel-doc comments of a header's source, which gcc
// -E drops: "@NFTA_TABLE_FLAGS: bitmask of enum nft_table_flags (NLA_U32)"
// gives NFTA_TABLE_FLAGS the type NLA_U32.
func DocTypes(src string) map[string]string {
	out := map[string]string{}
	for _, c := range reComment.FindAllString(src, -1) {
		for _, m := range reDocType.FindAllStringSubmatch(c, -1) {
			if _, dup := out[m[1]]; !dup {
				out[m[1]] = m[2]
			}
		}
	}
	return out
}
