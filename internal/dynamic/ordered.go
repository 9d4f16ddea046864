package dynamic

import (
	"bytes"
	"encoding/json"
)

// Field is one key and value of a Map.
type Field struct {
	Key   string
	Value any
}

// Map is an ordered JSON object: fields marshal in the order they were set,
// which for decoded messages is the spec's attribute order.
type Map struct {
	Fields []Field
}

// Get returns the value stored under key and whether it is present.
func (m *Map) Get(key string) (any, bool) {
	if m == nil {
		return nil, false
	}
	for _, f := range m.Fields {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Set stores value under key, replacing an existing field in place or
// appending a new one.
func (m *Map) Set(key string, value any) {
	for i := range m.Fields {
		if m.Fields[i].Key == key {
			m.Fields[i].Value = value
			return
		}
	}
	m.Fields = append(m.Fields, Field{key, value})
}

// Len returns the number of fields.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.Fields)
}

// MarshalJSON writes the fields as a JSON object in order.
func (m *Map) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	if m != nil {
		for i, f := range m.Fields {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(&b, f.Key); err != nil {
				return nil, err
			}
			b.WriteByte(':')
			if err := writeJSON(&b, f.Value); err != nil {
				return nil, err
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// writeJSON appends v as compact JSON without HTML escaping, so strings such
// as "<none>" read the same as the kernel tools print them.
func writeJSON(b *bytes.Buffer, v any) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a newline
	return nil
}
