package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/kitchensink"
	"github.com/ynlgo/ynl/internal/kitchensink/kitchensinkdesc"
)

// TestBuiltinRegistry checks a family registered with its generated
// Descriptor loads without any spec file, under either spelling.
func TestBuiltinRegistry(t *testing.T) {
	addBuiltin(t, builtinFamily{name: "kitchen_sink-test", compact: kitchensinkdesc.Compact})
	t.Setenv("YNL_SPEC_PATH", t.TempDir()) // no specs on the path
	for _, name := range []string{"kitchen_sink-test", "kitchen-sink-test"} {
		var out, errb bytes.Buffer
		if code := run([]string{"--family", name, "--list-msgs"}, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errb.String())
		}
		if want := "get  [ do, dump ]\nset  [ do ]\nping  [ do ]\nget-ids  [ dump ]\nchanged  [ notify ]\nalarm  [ event ]\n"; out.String() != want {
			t.Errorf("%s --list-msgs:\n%s\nwant:\n%s", name, out.String(), want)
		}
	}
	var out, errb bytes.Buffer
	code := run([]string{"--family", "kitchen-sink-test", "--do", "get", "--json", `{"u8":300}`}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "encode .u8: value 300 out of range for u8") {
		t.Errorf("range error: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	code = run([]string{"--family", "kitchen-sink-test", "--do", "get", "--json", `{"inners":[{"percent":1},{"percent":101}]}`}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "check .inners[1].percent: greater than 100") {
		t.Errorf("spec check in a nest: exit %d: %s", code, errb.String())
	}
}

// addBuiltin registers a built-in family for the test.
func addBuiltin(t *testing.T, b builtinFamily) {
	old := builtin
	builtin = append(builtin[:len(builtin):len(builtin)], b)
	t.Cleanup(func() { builtin = old })
}

// BenchmarkLoadCompact, BenchmarkLoadDescriptor and BenchmarkLoadSpec
// compare what a built-in family costs at startup (its compact form, its
// JSON descriptor) with loading its YAML spec.
func BenchmarkLoadCompact(b *testing.B) {
	c := kitchensinkdesc.Compact()
	for b.Loop() {
		if _, err := family.ParseCompact("kitchensink", c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadDescriptor(b *testing.B) {
	desc := kitchensink.Descriptor()
	for b.Loop() {
		if _, err := family.Parse("kitchensink.json", desc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadSpec(b *testing.B) {
	for b.Loop() {
		if _, err := family.Load("../../testdata/codegen/kitchensink.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBuiltinFamiliesLoad checks every built-in descriptor parses and is
// registered under its family's name.
func TestBuiltinFamiliesLoad(t *testing.T) {
	if len(builtin) == 0 {
		t.Fatal("no built-in families")
	}
	for i, b := range builtin {
		if i > 0 && builtin[i-1].name >= b.name {
			t.Errorf("%s: the table is not sorted by name", b.name)
		}
		f, err := b.load()
		if err != nil {
			t.Errorf("%s: %v", b.name, err)
			continue
		}
		if f.Name != b.name {
			t.Errorf("registered as %q, family is %q", b.name, f.Name)
		}
	}
}

// TestBuiltinSpecName checks a built-in spec is called that wherever a
// file name would show, never by an invented file name (netdev.json).
func TestBuiltinSpecName(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"--family", "net_shaper", "--validate"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.HasPrefix(out.String(), "built-in net-shaper spec: ok (genetlink, ") {
		t.Errorf("--validate: %q", out.String())
	}
	addBuiltin(t, builtinFamily{name: "broken-test", desc: func() []byte { return []byte(`{"name": "broken-test", "doc": 3}`) }})
	out.Reset()
	errb.Reset()
	code := run([]string{"--family", "broken-test", "--validate"}, &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "\nbuilt-in broken-test spec:1:") || strings.Contains(errb.String(), ".json") {
		t.Errorf("broken descriptor: exit %d, stderr:\n%s", code, errb.String())
	}
}

// TestBuiltinCoversPrebuilt checks every prebuilt generic netlink package
// under families/ is built into ynl, under its spec's file name as the
// kernel's ynl takes it (so a new package cannot be forgotten here).
// netlink-raw packages are left to the raw path.
func TestBuiltinCoversPrebuilt(t *testing.T) {
	gens, _ := filepath.Glob(filepath.Join("..", "..", "families", "*", "gen.go"))
	if len(gens) == 0 {
		t.Fatal("no families/*/gen.go found")
	}
	reSpec := regexp.MustCompile(`ynlgen -spec (\S+)`)
	for _, g := range gens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		m := reSpec.FindSubmatch(b)
		if m == nil {
			continue
		}
		spec := string(m[1])
		if _, ok := builtinKey(spec); ok {
			continue
		}
		if f, err := family.LoadByName(spec); err == nil && f.Protocol == family.ProtocolNetlinkRaw {
			continue
		}
		t.Errorf("%s: family %s is not built into ynl (add it to builtin in registry.go)", g, spec)
	}
}
