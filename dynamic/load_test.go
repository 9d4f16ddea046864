package dynamic

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// loadTest loads a spec from testdata.
func loadTest(t testing.TB, name string) *family.Family {
	t.Helper()
	f, err := family.Load(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return f
}

// jsonObj parses JSON the way the CLI does (numbers as json.Number).
func jsonObj(t testing.TB, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
