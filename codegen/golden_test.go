package codegen

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/codegen/golden, internal/kitchensink) from the current generator")

const (
	specDir   = "../testdata/codegen"
	goldenDir = "../testdata/codegen/golden"
	ksDir     = "../internal/kitchensink"
)

// goldenCase is one spec and the folder holding its expected output.
type goldenCase struct {
	spec, dir string
	opts      Options
}

func goldenCases(t *testing.T) []goldenCase {
	specs, _ := filepath.Glob(filepath.Join(specDir, "*.yaml"))
	if len(specs) == 0 {
		t.Fatal("no specs in " + specDir)
	}
	var out []goldenCase
	for _, s := range specs {
		name := baseName(s)
		if name == "kitchensink" {
			// The kitchen sink's expected output is the committed package
			// built from it, with the command of its go:generate line.
			out = append(out, goldenCase{s, ksDir, Options{Package: "kitchensink",
				Command:    "ynlgen -spec ../../testdata/codegen/kitchensink.yaml -package kitchensink",
				ImportPath: "github.com/ynlgo/ynl/internal/kitchensink"}})
			continue
		}
		out = append(out, goldenCase{s, filepath.Join(goldenDir, name), Options{
			Command: "ynlgen -spec " + name + ".yaml", NoDescriptor: true}})
	}
	return out
}

// TestGolden generates every spec of testdata/codegen and compares the
// result with the committed files. Run with -update after a deliberate
// change of the generator.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(baseName(c.spec), func(t *testing.T) {
			f, err := family.Load(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			files, err := Generate(f, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := WriteFiles(c.dir, files); err != nil {
					t.Fatal(err)
				}
				return
			}
			compareDir(t, c.dir, files)
		})
	}
}

func compareDir(t *testing.T, dir string, files []File) {
	t.Helper()
	have, _ := filepath.Glob(filepath.Join(dir, "z*.go"))
	var want []string
	for _, f := range files {
		want = append(want, f.Name)
		old, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Errorf("stale generated files: %s is missing (go test ./codegen -update)", f.Name)
			continue
		}
		if !bytes.Equal(old, f.Content) {
			t.Errorf("stale generated files: %s differs (go test ./codegen -update):\n%s",
				filepath.Join(dir, f.Name), lineDiff(string(old), string(f.Content)))
		}
	}
	for _, h := range have {
		if !slices.Contains(want, filepath.Base(h)) {
			t.Errorf("stale generated files: %s is no longer generated (go test ./codegen -update)", h)
		}
	}
}

// lineDiff is a small line diff (longest common subsequence) of the
// committed (-) and generated (+) text, with two lines of context, cut
// after 60 lines of output.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	n, m := len(x), len(y)
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
		num  int
	}
	var ops []line
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, line{' ', x[i], i + 1})
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, line{'+', y[j], j + 1})
			j++
		default:
			ops = append(ops, line{'-', x[i], i + 1})
			i++
		}
	}
	var out []string
	for k, l := range ops {
		near := false
		for d := max(0, k-2); d <= min(len(ops)-1, k+2); d++ {
			near = near || ops[d].op != ' '
		}
		if near {
			out = append(out, fmt.Sprintf("%c%5d %s", l.op, l.num, l.text))
		}
		if len(out) >= 60 {
			out = append(out, "...")
			break
		}
	}
	return strings.Join(out, "\n")
}

// TestDeterministic generates the kitchen sink twice: the bytes must match.
func TestDeterministic(t *testing.T) {
	f, err := family.Load(filepath.Join(specDir, "kitchensink.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Generate(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		f2, _ := family.Load(filepath.Join(specDir, "kitchensink.yaml"))
		b, err := Generate(f2, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if !bytes.Equal(a[i].Content, b[i].Content) {
				t.Fatalf("%s differs between runs:\n%s", a[i].Name, lineDiff(string(a[i].Content), string(b[i].Content)))
			}
		}
	}
}
