package dynamic

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// JSONFormat selects how AppendJSON writes a value.
type JSONFormat struct {
	// Spaced puts a space after each ',' and ':' as Python's json.dumps
	// does by default (pyynl's --output-json); otherwise output is compact.
	Spaced bool
	// ASCII escapes every character outside printable ASCII as \uXXXX, as
	// json.dumps does by default; otherwise UTF-8 is written as is.
	ASCII bool
}

// PythonJSON is the format of pyynl's --output-json (json.dumps defaults).
var PythonJSON = JSONFormat{Spaced: true, ASCII: true}

// AppendJSON appends v as JSON to b in one pass, so the cost is linear in
// the size of the output whatever the nesting depth. It writes the values
// decoding returns (*Map, []any, strings, integers, booleans, nil) and the
// shapes encoding/json produces (map[string]any with keys sorted,
// json.Number, float64); anything else goes through encoding/json. HTML
// characters are not escaped: "<none>" reads as the kernel tools print it.
func AppendJSON(b []byte, v any, f JSONFormat) ([]byte, error) {
	w := jsonWriter{b: b, f: f}
	err := w.value(v)
	return w.b, err
}

type jsonWriter struct {
	b []byte
	f JSONFormat
}

func (w *jsonWriter) sep(c byte) {
	w.b = append(w.b, c)
	if w.f.Spaced {
		w.b = append(w.b, ' ')
	}
}

func (w *jsonWriter) value(v any) error {
	switch x := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case bool:
		w.b = strconv.AppendBool(w.b, x)
	case string:
		w.str(x)
	case uint64:
		w.b = strconv.AppendUint(w.b, x, 10)
	case int64:
		w.b = strconv.AppendInt(w.b, x, 10)
	case int:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case uint32:
		w.b = strconv.AppendUint(w.b, uint64(x), 10)
	case uint16:
		w.b = strconv.AppendUint(w.b, uint64(x), 10)
	case uint8:
		w.b = strconv.AppendUint(w.b, uint64(x), 10)
	case int32:
		w.b = strconv.AppendInt(w.b, int64(x), 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			w.b = strconv.AppendInt(w.b, int64(x), 10)
			return nil
		}
		return w.fallback(v)
	case json.Number:
		w.b = append(w.b, x...)
	case *Map:
		return w.object(x)
	case []any:
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.sep(',')
			}
			if err := w.value(e); err != nil {
				return err
			}
		}
		w.b = append(w.b, ']')
	case []*Map:
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.sep(',')
			}
			if err := w.object(e); err != nil {
				return err
			}
		}
		w.b = append(w.b, ']')
	case []string:
		w.b = append(w.b, '[')
		for i, e := range x {
			if i > 0 {
				w.sep(',')
			}
			w.str(e)
		}
		w.b = append(w.b, ']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m := &Map{Fields: make([]Field, len(keys))}
		for i, k := range keys {
			m.Fields[i] = Field{k, x[k]}
		}
		return w.object(m)
	default:
		return w.fallback(v)
	}
	return nil
}

func (w *jsonWriter) object(m *Map) error {
	if m == nil {
		w.b = append(w.b, "null"...)
		return nil
	}
	w.b = append(w.b, '{')
	for i, f := range m.Fields {
		if i > 0 {
			w.sep(',')
		}
		w.str(f.Key)
		w.sep(':')
		if err := w.value(f.Value); err != nil {
			return err
		}
	}
	w.b = append(w.b, '}')
	return nil
}

// fallback writes a value of a type AppendJSON does not know through
// encoding/json (compact, without HTML escaping).
func (w *jsonWriter) fallback(v any) error {
	out, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if w.f.Spaced {
		// Re-reading keeps the separators uniform; such values are
		// small leaves (policies, kernel family data).
		var tree any
		d := json.NewDecoder(bytes.NewReader(out))
		d.UseNumber()
		if err := d.Decode(&tree); err == nil {
			return w.value(tree)
		}
	}
	w.b = append(w.b, out...)
	return nil
}

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string: quotes, backslashes and control
// characters escaped, and with ASCII every non-ASCII rune as \uXXXX
// (surrogate pairs above the BMP), as Python's json.dumps writes them.
func (w *jsonWriter) str(s string) {
	w.b = append(w.b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			// A run of bytes that need no escape goes in whole.
			j := i + 1
			for j < len(s) && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\' {
				j++
			}
			w.b = append(w.b, s[i:j]...)
			i = j
			continue
		}
		switch c {
		case '"', '\\':
			w.b = append(w.b, '\\', c)
			i++
			continue
		case '\n':
			w.b = append(w.b, '\\', 'n')
			i++
			continue
		case '\r':
			w.b = append(w.b, '\\', 'r')
			i++
			continue
		case '\t':
			w.b = append(w.b, '\\', 't')
			i++
			continue
		case '\b':
			w.b = append(w.b, '\\', 'b')
			i++
			continue
		case '\f':
			w.b = append(w.b, '\\', 'f')
			i++
			continue
		}
		if c < 0x80 {
			w.u(rune(c))
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case !w.f.ASCII && r != utf8.RuneError:
			w.b = append(w.b, s[i:i+n]...)
		case r > 0xffff:
			r -= 0x10000
			w.u(0xd800 + (r>>10)&0x3ff)
			w.u(0xdc00 + r&0x3ff)
		default:
			w.u(r)
		}
		i += n
	}
	w.b = append(w.b, '"')
}

func (w *jsonWriter) u(r rune) {
	w.b = append(w.b, '\\', 'u', hexDigits[r>>12&15], hexDigits[r>>8&15], hexDigits[r>>4&15], hexDigits[r&15])
}
