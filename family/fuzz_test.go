package family

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bytes to Parse, as the spec and as an overlay:
// the result is a family or an error, never a panic, and a family's
// descriptor always parses back.
func FuzzParse(f *testing.F) {
	for _, pat := range []string{"*.yaml", "broken/*.yaml"} {
		files, _ := filepath.Glob(filepath.Join(testdata, pat))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fam, err := Parse("fuzz.yaml", data)
		if err == nil {
			if fam == nil {
				t.Fatal("nil family without error")
			}
			desc, err := fam.Descriptor()
			if err != nil {
				t.Fatalf("Descriptor: %v", err)
			}
			if _, err := Parse("fuzz.yaml", desc); err != nil {
				t.Fatalf("descriptor does not parse: %v\n%s", err, desc)
			}
		}
		base := []byte("name: x\ndoc: d\nattribute-sets: [{name: main, attributes: [{name: a, type: u32}]}]\noperations: {list: [{name: get, doc: d, attribute-set: main}]}\n")
		Parse("base.yaml", base, Source{Name: "overlay.yaml", Data: data})
	})
}
