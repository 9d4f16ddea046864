package codegen

import (
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// Generate refuses a package name Go would not accept, given or derived,
// instead of writing source that does not compile.
func TestGenerateBadPackageName(t *testing.T) {
	f, err := family.Load("../testdata/codegen/nests.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"my-pkg", "123", "type", "_"} {
		if _, err := Generate(f, Options{Package: pkg}); err == nil || !strings.Contains(err.Error(), `"`+pkg+`" is not a valid Go package name`) {
			t.Errorf("Package %q: err = %v", pkg, err)
		}
	}
	for _, name := range []string{"9p", "type"} {
		f.Name = name
		if _, err := Generate(f, Options{}); err == nil || !strings.Contains(err.Error(), "derived from family") || !strings.Contains(err.Error(), "-package") {
			t.Errorf("family %q: err = %v", name, err)
		}
	}
	for _, pkg := range []string{"nests", "nests2", "_x"} {
		if !ValidPackageName(pkg) {
			t.Errorf("ValidPackageName(%q) = false", pkg)
		}
	}
}
