package dynamic

import (
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Namer names the attributes of an attribute set for kernel error paths
// (".header.dev-name"). It implements genl.AttrNamer.
type Namer struct {
	Set *family.AttrSet
}

// NewNamer returns a genl.AttrNamer over set, or nil for a nil set.
func NewNamer(set *family.AttrSet) genl.AttrNamer {
	if set == nil {
		return nil
	}
	return Namer{set}
}

// AttrName returns the name of attribute typ and the namer of the space
// nested in it: a nest's set, the entries of an indexed-array, or the
// levels of a nest-type-value.
func (n Namer) AttrName(typ uint16) (string, genl.AttrNamer) {
	a := n.Set.ByValue(int(typ))
	if a == nil {
		return "", nil
	}
	return a.Name, nestedNamer(a)
}

func nestedNamer(a *family.Attr) genl.AttrNamer {
	if a.Nested == nil {
		return nil
	}
	switch a.Type {
	case family.TypeNest:
		return Namer{a.Nested}
	case family.TypeIndexedArray:
		if a.SubType == family.TypeNest {
			return entryNamer{Namer{a.Nested}, 1}
		}
	case family.TypeNestTypeValue:
		return entryNamer{Namer{a.Nested}, len(a.TypeValue)}
	}
	return nil
}

// entryNamer names the numbered levels above a nested set (indexed-array
// entries, nest-type-value keys) by number.
type entryNamer struct {
	inner  genl.AttrNamer
	levels int
}

// AttrName implements genl.AttrNamer: an entry is named by its number.
func (e entryNamer) AttrName(typ uint16) (string, genl.AttrNamer) {
	name := itoa(int(typ))
	if e.levels <= 1 {
		return name, e.inner
	}
	return name, entryNamer{e.inner, e.levels - 1}
}
