package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestJSONInputErrors checks --json errors say where: syntax errors and
// truncation with line, column and byte, duplicate keys with their path.
func TestJSONInputErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"header":{"dev-name":"x"}`, "bad --json at line 1, column 27 (byte 26): unexpected end of JSON input"},
		{`{"a":`, "bad --json at line 1, column 6 (byte 5): unexpected end of JSON input"},
		{"{\n  \"a\": 1,\n  x}", "bad --json at line 3, column 3 (byte 14): invalid character 'x' looking for beginning of object key string"},
		{`{"a":tru}`, "bad --json at line 1, column 9 (byte 8): invalid character '}' in literal true (expecting 'e')"},
		{`{"a":[1,]}`, "bad --json at line 1, column 9 (byte 8): invalid character ']' looking for beginning of value"},
		{`{"a":1, "a":2}`, "bad --json at line 1, column 9 (byte 8): duplicate key .a"},
		{`{"header":{"dev-name":"a","dev-name":"b"}}`, "bad --json at line 1, column 27 (byte 26): duplicate key .header.dev-name"},
		{`{"l":[1,{"b":1,"b":2}]}`, "bad --json at line 1, column 16 (byte 15): duplicate key .l[1].b"},
		{`{} {}`, "bad --json at line 1, column 4 (byte 3): more than one JSON value"},
		{`[1]`, "bad --json: want a JSON object of attributes"},
	}
	for _, tt := range tests {
		_, err := parseJSON("--json", tt.in)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.in, err, tt.want)
		}
	}
}

// TestJSONInputValues checks what parses still comes out as
// encoding/json gives it, numbers exact.
func TestJSONInputValues(t *testing.T) {
	in := `{"a":{"b":[1,"x",true,null,18446744073709551615]},"c":-1.5}`
	got, err := parseJSON("--json", in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"a": map[string]any{"b": []any{json.Number("1"), "x", true, nil, json.Number("18446744073709551615")}}, "c": json.Number("-1.5")}
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	if got, err := parseJSON("--json", "  "); err != nil || len(got) != 0 {
		t.Errorf("blank: %v, %v", got, err)
	}
}

// FuzzJSONInput checks the --json reader never panics, accepts what
// encoding/json accepts unless a key repeats, and reads the same value.
func FuzzJSONInput(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":{"b":[1,2,{"c":null}]}}`, `{"a":1,"a":2}`, `{"a":`, "{\n\"x\": tru}", `[]`, `{} {}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseJSONValue("--json", s)
		var want any
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		werr := d.Decode(&want)
		if werr == nil && d.More() {
			werr = errors.New("more")
		}
		if err == nil && werr != nil {
			t.Fatalf("%q: accepted, encoding/json says %v", s, werr)
		}
		if err != nil {
			if werr == nil && !strings.Contains(err.Error(), "duplicate key") {
				t.Fatalf("%q: rejected with %v, encoding/json accepts it", s, err)
			}
			return
		}
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Fatalf("%q: read %#v, encoding/json %#v", s, got, want)
		}
	})
}
