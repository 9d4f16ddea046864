package family

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .err goldens of testdata/family/broken")

// TestBroken loads each spec of testdata/family/broken and compares the
// error list with NAME.err. Run with -update to rewrite the goldens after
// reviewing the differences.
func TestBroken(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(testdata, "broken", "*.yaml"))
	if err != nil || len(files) < 30 {
		t.Fatalf("want at least 30 broken specs, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(name, data)
			if err == nil {
				t.Fatalf("broken spec loaded as family %q", f.Name)
			}
			if _, ok := err.(ErrorList); !ok {
				t.Errorf("error is %T, want ErrorList", err)
			}
			got := err.Error() + "\n"
			golden := strings.TrimSuffix(file, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("errors differ\n got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
