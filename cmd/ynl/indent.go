package main

// inlineWidth is the longest list of scalars printed on one line.
const inlineWidth = 72

// indentJSON indents compact JSON by two spaces per level, like
// json.Indent, except that a list holding no objects or lists and short
// enough stays on one line: ["up", "running"] reads better than a column.
// Strings and runs of other scalar bytes are copied whole: the output of
// a dump is tens of kilobytes, indented at every start.
func indentJSON(src []byte) []byte {
	out := make([]byte, 0, 2*len(src)) // the indentation; rarely more
	depth := 0
	for i := 0; i < len(src); {
		c := src[i]
		switch c {
		case '"':
			j := stringEnd(src, i)
			out = append(out, src[i:j]...)
			i = j
			continue
		case '[':
			if j, ok := flatList(src, i); ok {
				out = appendFlat(out, src[i:j])
				i = j
				continue
			}
			fallthrough
		case '{':
			out = append(out, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				out = append(out, src[i+1])
				i += 2
				continue
			}
			depth++
			out = newline(out, depth)
		case '}', ']':
			depth--
			out = newline(out, depth)
			out = append(out, c)
		case ',':
			out = append(out, c)
			out = newline(out, depth)
		case ':':
			out = append(out, ':', ' ')
		default:
			j := i + 1
			for j < len(src) && !structural(src[j]) {
				j++
			}
			out = append(out, src[i:j]...)
			i = j
			continue
		}
		i++
	}
	return out
}

// structural reports whether c starts a string or is JSON punctuation.
func structural(c byte) bool {
	switch c {
	case '"', '[', ']', '{', '}', ',', ':':
		return true
	}
	return false
}

// indentSpaces is the indentation of the deepest levels written at once.
const indentSpaces = "                                                                "

// newline appends a line break and the indentation of depth.
func newline(out []byte, depth int) []byte {
	out = append(out, '\n')
	for n := 2 * depth; n > 0; {
		k := min(n, len(indentSpaces))
		out = append(out, indentSpaces[:k]...)
		n -= k
	}
	return out
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

// appendFlat appends a compact list of scalars with a space after commas.
func appendFlat(out, list []byte) []byte {
	for i := 0; i < len(list); {
		switch list[i] {
		case '"':
			j := stringEnd(list, i)
			out = append(out, list[i:j]...)
			i = j
		case ',':
			out = append(out, ',', ' ')
			i++
		default:
			j := i + 1
			for j < len(list) && list[j] != '"' && list[j] != ',' {
				j++
			}
			out = append(out, list[i:j]...)
			i = j
		}
	}
	return out
}
