package codegen

import (
	"regexp"
	"strings"
	"unicode"
)

// wrapWidth is the width doc comments are wrapped to, "// " excluded.
const wrapWidth = 76

// comment renders text as Go comment lines (each starting with "// "),
// wrapped to wrapWidth. Paragraphs (split at blank lines) are re-flowed,
// except lines that look like list items or are indented, which are kept as
// they are. Control characters are dropped so spec text cannot break out of
// the comment.
func comment(text string) []string {
	text = sanitize(text)
	var out []string
	for i, para := range paragraphs(text) {
		if i > 0 {
			out = append(out, "//")
		}
		terminate(para)
		for _, l := range flow(para) {
			out = append(out, strings.TrimRight("// "+l, " "))
		}
	}
	return out
}

// sanitize drops control characters other than newlines, expands tabs and
// trims the text.
func sanitize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\t", "    ")
	// RST inline literals: Go doc has no markup for them, and gofmt would
	// turn the double backquotes into typographic quotes.
	s = strings.ReplaceAll(s, "``", "")
	// RST roles, kernel-doc references, strong emphasis and interpreted
	// text (":c:macro:`X`", "@scope", "**x**", "`x`") read as plain words.
	s = rstRole.ReplaceAllString(s, "`")
	s = kernelDocRef.ReplaceAllString(s, "$1$2")
	s = rstStrong.ReplaceAllString(s, "$1")
	s = rstInterpreted.ReplaceAllString(s, "$1")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) && r != unicode.ReplacementChar {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}

var (
	rstRole        = regexp.MustCompile(":[a-z]+(?::[a-z]+)?:`")
	kernelDocRef   = regexp.MustCompile(`(^|[\s(])@([a-z])`)
	rstStrong      = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	rstInterpreted = regexp.MustCompile("`([^`\n]+)`")
)

// linkAttrs turns the spec's references to attributes of gs in doc
// ("see `rx-packets`") into Go doc links to their fields
// ("see [Qstats.RXPackets]"); other interpreted text is left to sanitize.
func linkAttrs(gs *goSet, doc string) string {
	return rstInterpreted.ReplaceAllStringFunc(doc, func(m string) string {
		name := m[1 : len(m)-1]
		for _, fl := range gs.Fields {
			if fl.a.Name == name {
				return "[" + gs.Name + "." + fl.Name + "]"
			}
		}
		return m
	})
}

func paragraphs(s string) [][]string {
	var out [][]string
	var cur []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimRight(l, " ")
		// RST's "::" introducing a literal block reads as ":".
		if strings.HasSuffix(l, "::") {
			l = l[:len(l)-1]
		}
		// An RST heading underline ends the heading's paragraph; a
		// one-line heading becomes a Go doc heading.
		if l == "" || isUnderline(l) {
			if l != "" && len(cur) == 1 && !strings.HasPrefix(cur[0], "# ") {
				cur[0] = "# " + strings.TrimSpace(cur[0])
			}
			if cur != nil {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// flow joins a paragraph's lines and wraps them; list items and indented
// lines start lines of their own.
func flow(lines []string) []string {
	var out []string
	var words []string
	indent := ""
	flush := func() {
		out = append(out, wrap(words, indent)...)
		words = nil
	}
	for _, l := range lines {
		t := strings.TrimLeft(l, " ")
		if isListItem(t) || (len(t) < len(l) && len(out)+len(words) > 0) {
			flush()
			indent = "  "
			if !isListItem(t) {
				indent = l[:len(l)-len(t)]
			}
			words = append(words, "  "+strings.Fields(t)[0])
			words = append(words, strings.Fields(t)[1:]...)
			continue
		}
		words = append(words, strings.Fields(t)...)
	}
	flush()
	return out
}

// terminate ends a paragraph of prose that lacks it with a full stop, so
// it reads as a sentence and gofmt does not take a one-line paragraph
// ("Get id of a pin that matches given attributes") for an old-style
// heading. Headings, lists and indented (literal) lines are left alone.
func terminate(para []string) {
	for _, l := range para {
		t := strings.TrimLeft(l, " ")
		if len(t) < len(l) || isListItem(t) || strings.HasPrefix(t, "# ") {
			return
		}
	}
	last := para[len(para)-1]
	if r := rune(last[len(last)-1]); unicode.IsLetter(r) || unicode.IsDigit(r) || r == ')' {
		para[len(para)-1] = last + "."
	}
}

// isUnderline reports whether l is an RST section underline ("~~~~").
func isUnderline(l string) bool {
	t := strings.TrimSpace(l)
	if len(t) < 3 || !strings.ContainsRune("=-~^*#", rune(t[0])) {
		return false
	}
	return strings.Count(t, t[:1]) == len(t)
}

func isListItem(s string) bool {
	return strings.HasPrefix(s, "- ") || strings.HasPrefix(s, "* ")
}

// wrap fills words into lines of at most wrapWidth; continuation lines get
// indent.
func wrap(words []string, indent string) []string {
	var out []string
	line := ""
	for _, w := range words {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > wrapWidth:
			out = append(out, line)
			line = indent + "  " + w
			if indent == "" {
				line = w
			}
		default:
			line += " " + w
		}
	}
	if line != "" {
		out = append(out, line)
	}
	return out
}

// docLines returns the comment for a declaration: first, the sentence
// starting with the identifier, then the spec's doc as a new paragraph.
func docLines(first, doc string) []string {
	out := comment(first)
	if d := comment(doc); len(d) > 0 {
		out = append(out, "//")
		out = append(out, d...)
	}
	return out
}
