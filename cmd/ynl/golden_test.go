package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/cli")

// TestGolden runs the spec-only commands over the kitchen-sink spec and
// compares their output with testdata/cli/*.golden (go test -update
// rewrites them).
func TestGolden(t *testing.T) {
	spec := filepath.Join("..", "..", "testdata", "codegen", "kitchensink.yaml")
	tests := []struct {
		golden string
		args   []string
	}{
		{"list-ops", []string{"--spec", spec, "--list-ops"}},
		{"list-msgs", []string{"--spec", spec, "--list-msgs"}},
		{"list-attrs-get", []string{"--spec", spec, "--list-attrs", "get"}},
		{"list-attrs-set", []string{"--spec", spec, "--list-attrs", "set"}},
		{"list-attrs-changed", []string{"--spec", spec, "--list-attrs", "changed"}},
		{"list-attrs-alarm", []string{"--spec", spec, "--doc", "alarm"}},
		{"validate", []string{"--spec", spec, "--validate"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			path := filepath.Join("..", "..", "testdata", "cli", "kitchensink-"+tt.golden+".golden")
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("output differs from %s:\n%s", path, out.String())
			}
		})
	}
}
