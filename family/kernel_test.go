package family

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// kernelSpecs returns the kernel spec files found through YNL_SPEC_PATH,
// skipping the test when there are none.
func kernelSpecs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, dir := range SpecPath() {
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		files = append(files, m...)
	}
	if len(files) == 0 {
		tb.Skipf("no kernel specs found in YNL_SPEC_PATH (%q); set it to a folder of YNL specs", os.Getenv("YNL_SPEC_PATH"))
	}
	slices.Sort(files)
	return files
}

func TestKernelSpecsLoad(t *testing.T) {
	files := kernelSpecs(t)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if filepath.Base(file) == "net_shaper.yaml" && (f.Name != "net-shaper" || f.FileName != "net_shaper.yaml") {
				t.Errorf("net_shaper.yaml: family %q file %q", f.Name, f.FileName)
			}
			if f.Name == "" || len(f.AttributeSets) == 0 || len(f.Operations.List) == 0 {
				t.Errorf("family %q looks empty: %d sets, %d ops", f.Name, len(f.AttributeSets), len(f.Operations.List))
			}
		})
	}
	t.Logf("loaded %d kernel specs", len(files))
}
