package family

import (
	"bytes"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// modelEqual compares two models ignoring positions and unexported fields.
// References (Attr.Nested, Op.Notify, an OpMessage's attributes, ...) are
// compared by name: the referenced items are compared where they are
// defined, and walking the reference graph again would take exponential
// time.
var modelEqual = []cmp.Option{
	cmp.Comparer(func(a, b Pos) bool { return true }),
	cmpopts.IgnoreUnexported(AttrSet{}),
	cmp.FilterPath(isRef, cmp.Options{
		cmp.Comparer(func(a, b *AttrSet) bool { return refName(a) == refName(b) }),
		cmp.Comparer(func(a, b *Attr) bool { return refName(a) == refName(b) }),
		cmp.Comparer(func(a, b *Definition) bool { return refName(a) == refName(b) }),
		cmp.Comparer(func(a, b *Op) bool { return refName(a) == refName(b) }),
		cmp.Comparer(func(a, b *SubMessage) bool { return refName(a) == refName(b) }),
		cmp.Comparer(func(a, b *McastGroup) bool { return refName(a) == refName(b) }),
	}),
}

var refFields = map[string]bool{
	"Set": true, "Nested": true, "SubsetOf": true, "Struct": true, "Enum": true,
	"FlagsMask": true, "SubMessage": true, "SelectorAttr": true, "Parent": true,
	"Notify": true, "Mcgrp": true, "FixedHeader": true, "AttrSet": true,
}

// isRef reports whether a path ends at a reference to an item defined
// elsewhere in the model.
func isRef(p cmp.Path) bool {
	if len(p) < 3 {
		return false
	}
	if sf, ok := p.Index(-1).(cmp.StructField); ok {
		return refFields[sf.Name()] && sf.Type().Kind() == reflect.Pointer
	}
	if _, ok := p.Index(-1).(cmp.SliceIndex); ok {
		sf, ok := p.Index(-2).(cmp.StructField)
		return ok && sf.Name() == "Attributes" && p.Index(-3).Type() == reflect.TypeFor[OpMessage]()
	}
	return false
}

// refName names a referenced item; "" for nil.
func refName(v any) string {
	switch x := v.(type) {
	case *AttrSet:
		if x != nil {
			return x.Name
		}
	case *Attr:
		if x != nil {
			return x.Set.Name + "." + x.Name
		}
	case *Definition:
		if x != nil {
			return x.Name
		}
	case *Op:
		if x != nil {
			return x.Name
		}
	case *SubMessage:
		if x != nil {
			return x.Name
		}
	case *McastGroup:
		if x != nil {
			return x.Name
		}
	}
	return ""
}

// roundTrip checks that a family's descriptor parses back into an equal
// model and that rendering is deterministic.
func roundTrip(t *testing.T, f *Family) {
	t.Helper()
	desc, err := f.Descriptor()
	if err != nil {
		t.Fatalf("Descriptor: %v", err)
	}
	g, err := Parse(f.FileName, desc)
	if err != nil {
		t.Fatalf("Parse(descriptor): %v", err)
	}
	if d := cmp.Diff(f, g, modelEqual...); d != "" {
		t.Fatalf("descriptor round trip differs (-loaded +reparsed):\n%s", d)
	}
	again, err := g.Descriptor()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(desc, again) {
		t.Errorf("descriptor is not canonical: a second rendering differs")
	}
}

func TestDescriptorKernelSpecs(t *testing.T) {
	for _, file := range kernelSpecs(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, f)
		})
	}
}

// TestModelEqualCatchesDifferences guards the comparison options: a changed
// value or a reference to a different item must be reported.
func TestModelEqualCatchesDifferences(t *testing.T) {
	src := []byte("name: t\ndoc: d\nattribute-sets:\n  - name: a\n    attributes:\n      - {name: x, type: u32}\n      - {name: n, type: nest, nested-attributes: a}\n  - name: b\n    attributes:\n      - {name: y, type: u8}\noperations:\n  list:\n    - {name: get, doc: d, attribute-set: a, do: {request: {attributes: [x]}}}\n")
	f1, err := Parse("t.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	f2, _ := Parse("t.yaml", src)
	if d := cmp.Diff(f1, f2, modelEqual...); d != "" {
		t.Fatalf("equal models differ:\n%s", d)
	}
	f2.AttrSet("a").Attr("x").Value = 7
	if cmp.Equal(f1, f2, modelEqual...) {
		t.Error("changed attribute value not detected")
	}
	f2, _ = Parse("t.yaml", src)
	f2.AttrSet("a").Attr("n").Nested = f2.AttrSet("b")
	if cmp.Equal(f1, f2, modelEqual...) {
		t.Error("changed reference not detected")
	}
	f2, _ = Parse("t.yaml", src)
	f2.Operations.Op("get").Do.Request.Attributes[0] = f2.AttrSet("a").Attr("n")
	if cmp.Equal(f1, f2, modelEqual...) {
		t.Error("changed request attribute not detected")
	}
}
