package family

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// yamlTree parses data through the YAML library, as parseDoc does without
// the JSON fast path.
func yamlTree(t *testing.T, file string, data []byte) *node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		t.Fatalf("YAML: %v", err)
	}
	c := converter{file: file}
	n, err := c.convert(doc.Content[0], 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// sameTree reports the first difference between two node trees.
func sameTree(a, b *node, path string) error {
	if a.kind != b.kind || a.tag != b.tag || a.value != b.value || a.pos != b.pos {
		return fmt.Errorf("%s: JSON path %+v, YAML %+v", path, *a, *b)
	}
	if len(a.keys) != len(b.keys) || len(a.items) != len(b.items) {
		return fmt.Errorf("%s: JSON path has %d keys %d items, YAML %d keys %d items", path, len(a.keys), len(a.items), len(b.keys), len(b.items))
	}
	for i := range a.keys {
		if err := sameTree(a.keys[i], b.keys[i], path+".key"); err != nil {
			return err
		}
		if err := sameTree(a.vals[i], b.vals[i], path+"."+a.keys[i].value); err != nil {
			return err
		}
	}
	for i := range a.items {
		if err := sameTree(a.items[i], b.items[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func checkSameAsYAML(t *testing.T, file string, data []byte) {
	t.Helper()
	got, ok := parseJSON(file, data)
	if !ok {
		t.Fatalf("parseJSON refused %.80q", data)
	}
	if err := sameTree(got, yamlTree(t, file, data), "$"); err != nil {
		t.Error(err)
	}
}

// TestParseJSONMatchesYAML checks that the JSON fast path builds the tree
// the YAML library does, positions included, for the descriptor of every
// kernel spec and for hand-written JSON of every kind of value.
func TestParseJSONMatchesYAML(t *testing.T) {
	for _, doc := range []string{
		`{}`,
		`{"a": [], "b": {}, "c": [[], [{}]]}`,
		"{\"name\":\"x\",\n  \"n\": [0, -1, 18446744073709551615, -9223372036854775808, 1.5, -2e3, 1E+2, 0.25e-1],\n\t\"t\": true, \"f\": false, \"z\": null}",
		`{"esc": "a\"b\\cd\n\t\r\b\f\u00e9\u20ac\u0041", "é": "ü", "x": "€", "y": 1}`,
		"  {\"é\": [\"ü\", \"€\", {\"k\": \"日本語\", \"v\": 2}]}  \n",
	} {
		checkSameAsYAML(t, "hand.json", []byte(doc))
	}
	specs := kernelSpecs(t)
	for _, file := range specs {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			desc, err := f.Descriptor()
			if err != nil {
				t.Fatal(err)
			}
			checkSameAsYAML(t, f.FileName, desc)
		})
	}
}

// TestParseJSONFallsBack checks that what the fast path does not take
// (YAML, malformed JSON, duplicate keys, numbers the YAML library reads
// otherwise) goes to the YAML path, whose errors name the place.
func TestParseJSONFallsBack(t *testing.T) {
	for _, doc := range []string{
		"name: x\n",
		`["a"]`,
		`{"a": 1,}`,
		`{"a": 1} {"b": 2}`,
		`{"a": 1, "a": 2}`,
		`{"a": 01}`,
		`{"a": 18446744073709551616}`,
		`{"a": "unterminated}`,
		"{\"a\": \"line\nbreak\"}",
		`{"a": tru}`,
		`{"a": "\/"}`,
		`{"a": "\ud83d\ude00"}`,
		`{"a" 1}`,
		`{"a": [1 2]}`,
		`{"a": 1`,
		"{" + strings.Repeat(`"a":[`, maxDepth+1) + strings.Repeat("]", maxDepth+1) + "}",
	} {
		if _, ok := parseJSON("x.json", []byte(doc)); ok {
			t.Errorf("parseJSON took %.60q, want the YAML path", doc)
		}
	}
	// A duplicate key is still named, by the YAML path.
	_, err := Parse("dup.json", []byte(`{"name": "x", "name": "y"}`))
	if err == nil || !strings.Contains(err.Error(), `duplicate key "name"`) {
		t.Errorf("Parse of a duplicate key: %v, want the duplicate named", err)
	}
}
