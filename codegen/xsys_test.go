package codegen

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

var updateXSys = flag.Bool("update-xsys", false, "regenerate xsysnames.txt from the golang.org/x/sys module source and the kernel specs")

var reXSysConst = regexp.MustCompile(`^\s+([A-Z][A-Z0-9_]+)\s+= (0x[0-9a-fA-F]+|[0-9]+)\s*$`)

// TestXSysNames regenerates xsysNames (with -update-xsys): the x/sys
// integer constants that are C names of items of the kernel specs.
func TestXSysNames(t *testing.T) {
	if !*updateXSys {
		t.Skip("run with -update-xsys (and YNL_SPEC_PATH set) to regenerate xsysnames.txt")
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/sys").Output()
	if err != nil {
		t.Fatalf("locate golang.org/x/sys: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "unix")
	consts := map[string]bool{}
	for _, name := range []string{"zerrors_linux.go", "ztypes_linux.go"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			if m := reXSysConst.FindStringSubmatch(sc.Text()); m != nil {
				consts[m[1]] = true
			}
		}
	}
	var names []string
	for _, file := range kernelSpecs(t) {
		f, err := family.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range newGen(f, Options{}).cNames() {
			if consts[c.cname] {
				names = append(names, c.cname)
			}
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	if err := os.WriteFile("xsysnames.txt", []byte(strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d names", len(names))
}
