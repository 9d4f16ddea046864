package main

// builtin maps a family name to the Descriptor function of its prebuilt
// package under families/: the spec as JSON, loadable by family.Parse. A
// family listed here needs no spec file at run time. To add one, import
// the package and add a line:
//
//	"ethtool": ethtool.Descriptor,
var builtin = map[string]func() []byte{}

// builtinDescriptor returns the built-in spec of the named family, or nil.
// Dashes and underscores match each other, as spec file names and family
// names mix them ("net-shaper" is in net_shaper.yaml).
func builtinDescriptor(name string) []byte {
	if d, ok := builtin[name]; ok {
		return d()
	}
	want := underscoresToDashes(name)
	for k, d := range builtin {
		if underscoresToDashes(k) == want {
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
