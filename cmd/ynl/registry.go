package main

// builtin maps a family name to the Descriptor function of its prebuilt
// package under families/: the spec as JSON, loadable by family.Parse. A
// family listed here needs no spec file at run time. To add one, import
// the package and add a line:
//
//	"ethtool": ethtool.Descriptor,
var builtin = map[string]func() []byte{}

// builtinDescriptor returns the built-in spec of the named family, or nil.
// Names match as --family gives them ("net-shaper" or "net_shaper").
func builtinDescriptor(name string) []byte {
	for _, n := range []string{name, underscoresToDashes(name)} {
		if d, ok := builtin[n]; ok {
			return d()
		}
	}
	return nil
}

func underscoresToDashes(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '_' {
			b[i] = '-'
		}
	}
	return string(b)
}
