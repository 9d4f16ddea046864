package codegen

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ynlgo/ynl/family"
	yaml "go.yaml.in/yaml/v3"
)

var mutateAll = flag.Bool("mutate-all", false, "TestMutatedSpecs: try every mutant (7,000, minutes) instead of every 25th")

// TestMutatedSpecs holds the soundness property over mutants of the edge
// specs and some testdata specs: each attribute in turn gets every type,
// with one extra key (a sub-type, multi-attr, a display hint, a byte
// order) or none. A mutant the loader accepts must generate a package that
// type-checks. Every 25th mutant runs by default (every 50th under the
// race detector); -mutate-all runs all of them (some 7,000, about half
// accepted).
func TestMutatedSpecs(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and type-checks hundreds of packages; skipped in -short mode")
	}
	specs, _ := filepath.Glob(filepath.Join(edgeDir, "*.yaml"))
	for _, n := range []string{"sub-message", "fixed-header", "nest-type-value", "bitfield32", "byte-order", "display-hints", "binary-struct"} {
		specs = append(specs, filepath.Join(specDir, n+".yaml"))
	}
	types := []string{"u8", "u32", "s64", "uint", "sint", "string", "binary", "flag", "nest",
		"indexed-array", "nest-type-value", "bitfield32", "sub-message", "pad", "unused"}
	extras := [][2]string{{}, {"sub-type", "u16"}, {"sub-type", "string"}, {"multi-attr", "true"},
		{"display-hint", "ipv6"}, {"byte-order", "big-endian"}}
	stride := 25
	if raceEnabled {
		stride = 50 // single-goroutine work the race detector slows fivefold
	}
	if *mutateAll {
		stride = 1
	}
	n, tried, accepted := 0, 0, 0
	for _, file := range specs {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for _, a := range attrMappings(&doc) {
			for _, typ := range types {
				for _, ex := range extras {
					if n++; n%stride != 0 {
						continue
					}
					saved := a.Content
					a.Content = append([]*yaml.Node(nil), a.Content...)
					setKey(a, "type", typ)
					if ex[0] != "" {
						setKey(a, ex[0], ex[1])
					}
					out, err := yaml.Marshal(&doc)
					a.Content = saved
					if err != nil {
						t.Fatal(err)
					}
					tried++
					f, err := family.Parse(filepath.Base(file), out)
					if err != nil {
						continue
					}
					accepted++
					files, err := Generate(f, Options{NoUnixTest: true})
					if err == nil {
						err = typeCheck(files)
					}
					if err != nil {
						t.Fatalf("%s with %s type %s %v: %v\n%s", file, a.Content[1].Value, typ, ex, err, out)
					}
				}
			}
		}
	}
	t.Logf("%d mutants tried, %d accepted, all type-check", tried, accepted)
}

// attrMappings returns the mappings of every attributes list in a spec.
func attrMappings(y *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	switch y.Kind {
	case yaml.DocumentNode:
		for _, c := range y.Content {
			out = append(out, attrMappings(c)...)
		}
	case yaml.SequenceNode:
		for _, c := range y.Content {
			out = append(out, attrMappings(c)...)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Value == "attributes" && v.Kind == yaml.SequenceNode {
				for _, a := range v.Content {
					if a.Kind == yaml.MappingNode {
						out = append(out, a)
					}
				}
				continue
			}
			out = append(out, attrMappings(v)...)
		}
	}
	return out
}

// setKey sets key to a scalar value in mapping m, adding it if absent.
func setKey(m *yaml.Node, key, value string) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Value: value}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}
