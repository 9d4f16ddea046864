package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// jsonReader decodes --json text token by token, which encoding/json's
// map decoding cannot do: a duplicate key must be an error (the map would
// keep the last value silently), and every error must say where it is.
type jsonReader struct {
	label string // the flag the text came with, for errors
	text  string
	d     *json.Decoder
}

// parseJSONValue decodes one JSON value from text: objects as
// map[string]any, numbers as json.Number. A syntax error gives the line,
// column and byte offset; a duplicate key its JSON path.
func parseJSONValue(label, text string) (any, error) {
	r := &jsonReader{label: label, text: text, d: json.NewDecoder(strings.NewReader(text))}
	r.d.UseNumber()
	v, err := r.value("")
	if err != nil {
		return nil, err
	}
	if r.d.More() {
		return nil, r.at(int(r.d.InputOffset()), "more than one JSON value")
	}
	return v, nil
}

func (r *jsonReader) value(path string) (any, error) {
	tok, err := r.d.Token()
	if err != nil {
		return nil, r.syntax(err)
	}
	switch tok {
	case json.Delim('{'):
		return r.object(path)
	case json.Delim('['):
		return r.list(path)
	}
	return tok, nil
}

func (r *jsonReader) object(path string) (any, error) {
	m := map[string]any{}
	for r.d.More() {
		start := int(r.d.InputOffset())
		tok, err := r.d.Token()
		if err != nil {
			return nil, r.syntax(err)
		}
		k, _ := tok.(string) // the decoder only returns strings as keys
		p := path + "." + k
		if _, dup := m[k]; dup {
			return nil, r.at(start+firstNonSpace(r.text[start:]), "duplicate key %s", p)
		}
		if m[k], err = r.value(p); err != nil {
			return nil, err
		}
	}
	return m, r.end()
}

func (r *jsonReader) list(path string) (any, error) {
	l := []any{}
	for r.d.More() {
		v, err := r.value(fmt.Sprintf("%s[%d]", path, len(l)))
		if err != nil {
			return nil, err
		}
		l = append(l, v)
	}
	return l, r.end()
}

// end reads the closing delimiter.
func (r *jsonReader) end() error {
	if _, err := r.d.Token(); err != nil {
		return r.syntax(err)
	}
	return nil
}

// syntax places a decoder error in the text.
func (r *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return r.at(r.badByte(se), "%s", se.Error())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return r.at(len(r.text), "unexpected end of JSON input")
	}
	return r.at(int(r.d.InputOffset()), "%v", err)
}

// at is a --json error at byte offset off: "line 1, column 7 (byte 6)".
func (r *jsonReader) at(off int, format string, args ...any) error {
	off = min(off, len(r.text))
	line := 1 + strings.Count(r.text[:off], "\n")
	col := off - strings.LastIndexByte(r.text[:off], '\n')
	return usagef("bad %s at line %d, column %d (byte %d): %s", r.label, line, col, off, fmt.Sprintf(format, args...))
}

// badByte finds the character a syntax error is about. The decoder's
// Offset is sometimes that character's, sometimes the start of the value
// holding it, or just past it; the character named in the message, looked
// for from just before Offset, is the one the user must fix.
func (r *jsonReader) badByte(se *json.SyntaxError) int {
	off := int(se.Offset)
	msg, ok := strings.CutPrefix(se.Error(), "invalid character '")
	if !ok || len(msg) < 2 || msg[1] != '\'' {
		return off
	}
	from := min(max(off-1, 0), len(r.text))
	if i := strings.IndexByte(r.text[from:], msg[0]); i >= 0 {
		return from + i
	}
	return off
}

func firstNonSpace(s string) int {
	return len(s) - len(strings.TrimLeft(s, " \t\r\n,"))
}
