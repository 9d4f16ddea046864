package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/ynlgo/ynl/family"
)

// loadFamily loads the family the options select: a --spec file, or by
// --family name the built-in spec, else the spec found on YNL_SPEC_PATH.
func loadFamily(o *options) (*family.Family, error) {
	if o.spec != "" {
		if _, err := os.Stat(o.spec); err != nil {
			return nil, usagef("spec: %v", err)
		}
		return family.Load(o.spec, o.overlays...)
	}
	if desc := builtinDescriptor(o.family); desc != nil {
		ovs, err := readOverlays(o.overlays)
		if err != nil {
			return nil, err
		}
		return family.Parse(o.family+".json", desc, ovs...)
	}
	f, err := family.LoadByName(o.family, o.overlays...)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("family %q: no built-in spec, and %v", o.family, err)
	}
	return f, err
}

func readOverlays(paths []string) ([]family.Source, error) {
	var out []family.Source
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, usagef("overlay: %v", err)
		}
		out = append(out, family.Source{Name: p, Data: data})
	}
	return out, nil
}
