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

// kernelSpecFolders returns the folders of kernel specs that must all load
// and generate: YNL_SPEC_FOLDERS (colon-separated) when set, else the two
// the project tracks beside the repository (../shared/specs, v7.0-rc3, and
// ../shared/specs-7.2, Linux 7.2.13), as CI has them.
func kernelSpecFolders(tb testing.TB) []string {
	tb.Helper()
	var dirs []string
	if env := os.Getenv("YNL_SPEC_FOLDERS"); env != "" {
		dirs = filepath.SplitList(env)
	} else {
		for _, d := range []string{"specs", "specs-7.2"} {
			dirs = append(dirs, filepath.Join("..", "..", "shared", d))
		}
	}
	var found []string
	for _, d := range dirs {
		if m, _ := filepath.Glob(filepath.Join(d, "*.yaml")); len(m) > 0 {
			found = append(found, d)
		}
	}
	if len(found) == 0 {
		tb.Skipf("no kernel spec folders found (%q); set YNL_SPEC_FOLDERS to the folders of the kernel's specs", dirs)
	}
	return found
}

// TestKernelSpecFoldersLoad keeps every kernel spec of every tracked
// kernel version accepted, so that a loader rule no kernel schema has
// (a name pattern on plain-string enum entries, say) cannot creep back.
func TestKernelSpecFoldersLoad(t *testing.T) {
	for _, dir := range kernelSpecFolders(t) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, file := range files {
			t.Run(filepath.Base(dir)+"/"+filepath.Base(file), func(t *testing.T) {
				if _, err := Load(file); err != nil {
					t.Fatalf("Load: %v", err)
				}
			})
		}
		t.Logf("%s: %d specs load", dir, len(files))
	}
}
