package kitchensink

// Kitchensink is Attrs under the name it had before a family's main
// attribute set (the set named like the family) became Attrs; tests of
// other packages still use it.
//
// Deprecated: use Attrs.
type Kitchensink = Attrs
