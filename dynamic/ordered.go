package dynamic

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

// MarshalJSON writes the fields as a JSON object in order. It writes the
// whole tree in one pass (see AppendJSON), so encoding/json, which calls it
// once for the outermost Map, stays linear in the nesting depth.
func (m *Map) MarshalJSON() ([]byte, error) {
	return AppendJSON(nil, m, JSONFormat{})
}
