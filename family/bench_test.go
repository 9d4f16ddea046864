package family

import (
	"os"
	"testing"
)

// BenchmarkLoadAll parses, resolves and validates every kernel spec per
// iteration. BenchmarkParseYAMLAll is the baseline: only the YAML parse of
// the same bytes, so the ratio is the cost of resolving and validating.
func BenchmarkLoadAll(b *testing.B) {
	srcs := readSpecs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range srcs {
			if _, err := Parse(s.Name, s.Data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkParseYAMLAll(b *testing.B) {
	srcs := readSpecs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range srcs {
			if _, err := parseDoc(s.Name, s.Data); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func readSpecs(b *testing.B) []Source {
	var srcs []Source
	for _, file := range kernelSpecs(b) {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Fatal(err)
		}
		srcs = append(srcs, Source{Name: file, Data: data})
	}
	return srcs
}
