package main

import "bytes"

// inlineWidth is the longest list of scalars printed on one line.
const inlineWidth = 72

// indentJSON indents compact JSON by two spaces per level, like
// json.Indent, except that a list holding no objects or lists and short
// enough stays on one line: ["up", "running"] reads better than a column.
func indentJSON(src []byte) []byte {
	var out bytes.Buffer
	out.Grow(2 * len(src)) // the indentation; rarely more
	depth := 0
	newline := func() {
		out.WriteByte('\n')
		for i := 0; i < depth; i++ {
			out.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := stringEnd(src, i)
			out.Write(src[i:j])
			i = j - 1
		case '[':
			if j, ok := flatList(src, i); ok {
				writeFlat(&out, src[i:j])
				i = j - 1
				continue
			}
			fallthrough
		case '{':
			out.WriteByte(c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				out.WriteByte(src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			out.WriteByte(c)
		case ',':
			out.WriteByte(c)
			newline()
		case ':':
			out.WriteString(": ")
		default:
			out.WriteByte(c)
		}
	}
	return out.Bytes()
}

// stringEnd returns the index just past the JSON string starting at i.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(src)
}

// flatList reports whether the list at i holds only scalars and fits on a
// line, and where it ends.
func flatList(src []byte, i int) (int, bool) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '"':
			j = stringEnd(src, j) - 1
		case '[', '{':
			return 0, false
		case ']':
			return j + 1, j+1-i <= inlineWidth
		}
	}
	return 0, false
}

// writeFlat writes a compact list of scalars with a space after commas.
func writeFlat(out *bytes.Buffer, list []byte) {
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '"':
			j := stringEnd(list, i)
			out.Write(list[i:j])
			i = j - 1
		case ',':
			out.WriteString(", ")
		default:
			out.WriteByte(list[i])
		}
	}
}
