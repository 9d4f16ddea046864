package family

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// compactEqual compares two models exactly, positions included;
// references are compared by name (checkRefs checks that they are the
// family's own items).
var compactEqual = []cmp.Option{
	cmpopts.IgnoreUnexported(AttrSet{}),
	modelEqual[2],
}

// compactRoundTrip checks that the compact form of f decodes to the model
// Parse makes of f's descriptor, exactly.
func compactRoundTrip(t *testing.T, f *Family) {
	t.Helper()
	desc, err := f.Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	const name = "builtin spec"
	want, err := Parse(name, desc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.CompactDescriptor()
	if err != nil {
		t.Fatalf("CompactDescriptor: %v", err)
	}
	got, err := ParseCompact(name, string(c))
	if err != nil {
		t.Fatalf("ParseCompact: %v", err)
	}
	if d := cmp.Diff(want, got, compactEqual...); d != "" {
		t.Fatalf("compact form decodes differently (-parsed +compact):\n%s", d)
	}
	checkRefs(t, got)
	again, err := got.Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	if string(again) != string(desc) {
		t.Errorf("the decoded family renders another descriptor")
	}
	c2, err := got.CompactDescriptor()
	if err != nil || string(c2) != string(c) {
		t.Errorf("the compact form is not canonical (%v)", err)
	}
	// A truncation fails cleanly (a sample of them: every one would take
	// seconds on the large families).
	for n := range len(c) {
		if n > 64 && n%61 != 0 && n != len(c)-1 {
			continue
		}
		if _, err := ParseCompact(name, string(c[:n])); err == nil {
			t.Fatalf("a compact form cut to %d of %d bytes decoded", n, len(c))
		}
	}
}

// checkRefs checks that every reference of f points at an item f lists and
// that every attribute lookup by name works.
func checkRefs(t *testing.T, f *Family) {
	t.Helper()
	isSet := func(s *AttrSet) bool { return s == nil || slices.Contains(f.AttributeSets, s) }
	isDef := func(d *Definition) bool { return d == nil || slices.Contains(f.Definitions, d) }
	isAttr := func(a *Attr) bool { return a == nil || (isSet(a.Set) && slices.Contains(a.Set.Attributes, a)) }
	for _, s := range f.AttributeSets {
		if !isSet(s.SubsetOf) {
			t.Errorf("set %s: subset-of is not the family's", s.Name)
		}
		for _, a := range s.Attributes {
			if a.Set != s || s.Attr(a.Name) != a {
				t.Errorf("%s.%s: not found in its set", s.Name, a.Name)
			}
			if !isSet(a.Nested) || !isDef(a.Struct) || !isDef(a.Enum) || !isDef(a.Checks.FlagsMask) ||
				!isAttr(a.SelectorAttr) || !isAttr(a.Parent) ||
				(a.SubMessage != nil && !slices.Contains(f.SubMessages, a.SubMessage)) {
				t.Errorf("%s.%s: a reference is not the family's", s.Name, a.Name)
			}
		}
		if s.Attr("no such attribute") != nil {
			t.Errorf("set %s: found an attribute it lacks", s.Name)
		}
	}
	for _, o := range f.Operations.List {
		if !isSet(o.AttrSet) || !isDef(o.FixedHeader) ||
			(o.Notify != nil && !slices.Contains(f.Operations.List, o.Notify)) ||
			(o.Mcgrp != nil && !slices.Contains(f.MulticastGroups, o.Mcgrp)) {
			t.Errorf("op %s: a reference is not the family's", o.Name)
		}
		for _, m := range []*OpMode{o.Do, o.Dump} {
			if m == nil {
				continue
			}
			for _, msg := range []*OpMessage{m.Request, m.Reply} {
				if msg == nil {
					continue
				}
				for _, a := range msg.Attributes {
					if !isAttr(a) {
						t.Errorf("op %s: attribute %s is not the family's", o.Name, a.Name)
					}
				}
			}
		}
	}
}

func TestCompactKernelSpecs(t *testing.T) {
	for _, file := range kernelSpecs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			compactRoundTrip(t, f)
		})
	}
}

func TestCompactTestdata(t *testing.T) {
	files, _ := filepath.Glob("../testdata/family/*.yaml")
	if len(files) == 0 {
		t.Fatal("no specs in testdata/family")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Skipf("not a spec on its own: %v", err)
			}
			compactRoundTrip(t, f)
		})
	}
}

func TestCompactAppendCopies(t *testing.T) {
	f, err := Load("../testdata/family/structs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.CompactDescriptor()
	if err != nil {
		t.Fatal(err)
	}
	g, err := ParseCompact("x", string(c))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.AttributeSets) < 2 {
		t.Skip("needs two sets")
	}
	second := g.AttributeSets[1].Attributes[0]
	g.AttributeSets[0].Attributes = append(g.AttributeSets[0].Attributes, &Attr{Name: "added"})
	if g.AttributeSets[1].Attributes[0] != second {
		t.Fatal("an append to a decoded set overwrote the next set's attributes")
	}
}

func TestCompactRejects(t *testing.T) {
	for _, in := range []string{"", "ynlc", "ynlc\x02", "json", "ynlc\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"} {
		if _, err := ParseCompact("x", in); err == nil {
			t.Errorf("%q decoded", in)
		}
	}
}

func FuzzParseCompact(f *testing.F) {
	for _, file := range []string{"structs.yaml", "subset.yaml", "directional.yaml", "raw.yaml"} {
		fam, err := Load(filepath.Join("../testdata/family", file))
		if err != nil {
			continue
		}
		c, err := fam.CompactDescriptor()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fam, err := ParseCompact("x", string(data))
		if err == nil {
			_, _ = fam.Descriptor()
		}
	})
}
