package dynamic

import (
	"testing"

	"github.com/ynlgo/ynl/genl"
)

var _ genl.AttrNamer = Namer{}

func TestNamer(t *testing.T) {
	set := loadTest(t, "everything.yaml").AttrSet("main")
	n := NewNamer(set)
	// Walk the path main.inner(28).deep(3).level(1).
	name, nested := n.AttrName(28)
	if name != "inner" || nested == nil {
		t.Fatalf("28 = %q, %v", name, nested)
	}
	name, nested = nested.AttrName(3)
	if name != "deep" || nested == nil {
		t.Fatalf("inner 3 = %q, %v", name, nested)
	}
	if name, nested = nested.AttrName(1); name != "level" || nested != nil {
		t.Errorf("deep 1 = %q, %v", name, nested)
	}
	// Indexed-array entries are named by number, then the nested set.
	name, nested = n.AttrName(31)
	if name != "array" || nested == nil {
		t.Fatalf("31 = %q, %v", name, nested)
	}
	name, nested = nested.AttrName(2)
	if name != "2" || nested == nil {
		t.Fatalf("array entry = %q, %v", name, nested)
	}
	if name, _ = nested.AttrName(2); name != "name" {
		t.Errorf("array entry attr 2 = %q", name)
	}
	// nest-type-value: two numbered levels above the set.
	_, nested = n.AttrName(33)
	_, nested = nested.AttrName(5)
	_, nested = nested.AttrName(6)
	if name, _ = nested.AttrName(1); name != "id" {
		t.Errorf("table entry attr 1 = %q", name)
	}
	if name, nested = n.AttrName(999); name != "" || nested != nil {
		t.Errorf("unknown = %q, %v", name, nested)
	}
	if NewNamer(nil) != nil {
		t.Error("NewNamer(nil) is not nil")
	}
}
