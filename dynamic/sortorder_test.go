package dynamic

import (
	"fmt"
	"testing"

	"github.com/ynlgo/ynl/family"
)

func TestSortSpecOrder(t *testing.T) {
	set := &family.AttrSet{Attributes: []*family.Attr{{Name: "a"}, {Name: "b"}, {Name: "c"}}}
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"a", "a"},
		{"abc", "abc"},
		{"cba", "abc"},
		{"cxbya", "abcxy"}, // unknown x and y after the known ones, in wire order
		{"yxcb", "bcyx"},
		{"bab", "abb"}, // a repeated attribute keeps its instances' order
	} {
		var fields []Field
		for i, k := range tc.in {
			fields = append(fields, Field{Key: string(k), Value: i})
		}
		sortSpecOrder(set, fields)
		got := ""
		for _, f := range fields {
			got += f.Key
		}
		if got != tc.want {
			t.Errorf("sortSpecOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if tc.in == "bab" && fmt.Sprint(fields[1].Value, fields[2].Value) != "0 2" {
			t.Errorf("sortSpecOrder(bab) moved the b's: %v", fields)
		}
	}
	// More fields than the position buffer holds.
	var many []Field
	for i := 40; i > 0; i-- {
		many = append(many, Field{Key: []string{"c", "b", "a", "z"}[i%4]})
	}
	sortSpecOrder(set, many)
	for i := 1; i < len(many); i++ {
		if rank(many[i].Key) < rank(many[i-1].Key) {
			t.Fatalf("40 fields not in spec order at %d: %v", i, many)
		}
	}
}

func rank(k string) int {
	switch k {
	case "a":
		return 0
	case "b":
		return 1
	case "c":
		return 2
	}
	return 3
}
