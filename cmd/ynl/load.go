package main

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// loadFamily loads the family the options select: a --spec file, or by
// --family name the built-in spec, else the spec found on YNL_SPEC_PATH.
func loadFamily(o *options) (*family.Family, error) {
	if o.spec != "" {
		if st, err := os.Stat(o.spec); err != nil {
			return nil, usagef("spec: %v", err)
		} else if st.IsDir() {
			return nil, usagef("--spec %s is a directory: give a spec file, or --family NAME to find one on YNL_SPEC_PATH", o.spec)
		}
		return family.Load(o.spec, o.overlays...)
	}
	if b := lookupBuiltin(o.family); b != nil {
		ovs, err := readOverlays(o.overlays)
		if err != nil {
			return nil, err
		}
		return b.load(ovs...)
	}
	path, err := family.Find(o.family)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, unknownFamily(o.family)
	}
	if err != nil {
		return nil, err
	}
	return family.Load(path, o.overlays...)
}

// unknownFamily says where a family was looked for, once, and how to see
// the families that are there.
func unknownFamily(name string) error {
	return usagef("unknown family %q: not built in, and not found on YNL_SPEC_PATH (%s)\n"+
		"hint: 'ynl --list-families' lists the kernel's families and the built-in ones", name, strings.Join(family.SpecPath(), ":"))
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
