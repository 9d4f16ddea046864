package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestIndentJSON(t *testing.T) {
	in := `{"a":1,"s":"x,[]{}\"y","flags":["up","running"],"empty":[],"o":{},"list":[{"b":[1,2]},{"c":null}]}`
	want := `{
  "a": 1,
  "s": "x,[]{}\"y",
  "flags": ["up", "running"],
  "empty": [],
  "o": {},
  "list": [
    {
      "b": [1, 2]
    },
    {
      "c": null
    }
  ]
}`
	got := indentJSON([]byte(in))
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(in), &b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("indenting changed the value")
	}
}

// FuzzIndentJSON checks indentJSON writes what the plain byte-at-a-time
// indenter it replaced (indentJSONRef, below) writes, for any input,
// malformed ones included.
func FuzzIndentJSON(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"s":"x,[]{}\"y","flags":["up","running"],"empty":[],"o":{},"list":[{"b":[1,2]},{"c":null}]}`,
		`[[],[1],{"a":[{"b":{}}]}]`, `]]}}`, `"unterminated`, `[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28]`,
		`{"k":"\\","n":-1.5e3,"t":true}`, `{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := indentJSON(in), indentJSONRef(in); !bytes.Equal(got, want) {
			t.Fatalf("indentJSON(%q):\n%s\nwant\n%s", in, got, want)
		}
	})
}

// indentJSONRef is the indenter indentJSON replaced, a byte at a time into
// a bytes.Buffer, kept as the reference of its output.
func indentJSONRef(src []byte) []byte {
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
			j := stringEndRef(src, i)
			out.Write(src[i:j])
			i = j - 1
		case '[':
			if j, ok := flatListRef(src, i); ok {
				writeFlatRef(&out, src[i:j])
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

// stringEndRef returns the index just past the JSON string starting at i.
func stringEndRef(src []byte, i int) int {
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

// flatListRef reports whether the list at i holds only scalars and fits on a
// line, and where it ends.
func flatListRef(src []byte, i int) (int, bool) {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '"':
			j = stringEndRef(src, j) - 1
		case '[', '{':
			return 0, false
		case ']':
			return j + 1, j+1-i <= inlineWidth
		}
	}
	return 0, false
}

// writeFlatRef writes a compact list of scalars with a space after commas.
func writeFlatRef(out *bytes.Buffer, list []byte) {
	for i := 0; i < len(list); i++ {
		switch list[i] {
		case '"':
			j := stringEndRef(list, i)
			out.Write(list[i:j])
			i = j - 1
		case ',':
			out.WriteString(", ")
		default:
			out.WriteByte(list[i])
		}
	}
}
