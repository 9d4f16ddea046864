package codegen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// FuzzGenerate feeds specs the loader accepts to the generator: it must
// never panic and must always produce Go that parses and formats.
func FuzzGenerate(f *testing.F) {
	specs, _ := filepath.Glob(filepath.Join(specDir, "*.yaml"))
	for _, s := range specs {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, spec []byte) {
		fam, err := family.Parse("fuzz.yaml", spec)
		if err != nil {
			return
		}
		if _, err := Generate(fam, Options{}); err != nil {
			t.Fatalf("the generator failed on a spec the loader accepted: %v", err)
		}
	})
}
