package codegen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// FuzzGenerate feeds specs the loader accepts to the generator: it must
// never panic and must always produce a package that type-checks. The
// seeds are the specs of testdata/codegen and the edge specs, among them
// the mutations that once reached generator bugs (an indexed array of
// scalars importing strconv unused, a nest-type-value without a set,
// attribute and command ids past the wire's).
func FuzzGenerate(f *testing.F) {
	specs, _ := filepath.Glob(filepath.Join(specDir, "*.yaml"))
	for _, s := range specs {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, e := range allEdgeSpecs(f) {
		f.Add([]byte(e.spec))
	}
	f.Fuzz(func(t *testing.T, spec []byte) {
		fam, err := family.Parse("fuzz.yaml", spec)
		if err != nil {
			return
		}
		files, err := Generate(fam, Options{NoUnixTest: true})
		if err != nil {
			t.Fatalf("the generator failed on a spec the loader accepted: %v", err)
		}
		if err := typeCheck(files); err != nil {
			t.Fatalf("a spec the loader accepted: %v", err)
		}
	})
}
