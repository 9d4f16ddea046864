package codegen

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// kernelSpecs returns the kernel's spec files found on YNL_SPEC_PATH, or
// skips the test when there are none.
func kernelSpecs(tb testing.TB) []string {
	tb.Helper()
	var files []string
	for _, dir := range family.SpecPath() {
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		files = append(files, m...)
	}
	slices.Sort(files)
	if len(files) == 0 {
		tb.Skipf("no kernel specs found on YNL_SPEC_PATH (%q); point it at the kernel's Documentation/netlink/specs", os.Getenv("YNL_SPEC_PATH"))
	}
	return files
}

// genetlinkSpecs loads the kernel specs of generic netlink families (not
// the netlink-raw ones).
func genetlinkSpecs(tb testing.TB) []*family.Family {
	tb.Helper()
	var out []*family.Family
	for _, file := range kernelSpecs(tb) {
		f, err := family.Load(file)
		if err != nil {
			tb.Fatalf("load %s: %v", filepath.Base(file), err)
		}
		if f.Protocol.IsGenetlink() {
			out = append(out, f)
		}
	}
	return out
}

func baseName(file string) string { return strings.TrimSuffix(filepath.Base(file), ".yaml") }
