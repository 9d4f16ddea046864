package family

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultSpecPath is the folder searched when YNL_SPEC_PATH is not set.
const DefaultSpecPath = "/usr/share/ynl/specs"

// SpecPath returns the folders listed in YNL_SPEC_PATH (colon-separated,
// empty entries dropped), or DefaultSpecPath when it is unset or empty.
func SpecPath() []string {
	var dirs []string
	for _, d := range strings.Split(os.Getenv("YNL_SPEC_PATH"), ":") {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if len(dirs) == 0 {
		dirs = []string{DefaultSpecPath}
	}
	return dirs
}

// Find returns the path of the spec for a family or file name, searching
// SpecPath in order. "net-shaper", "net_shaper" and "net_shaper.yaml" all
// find net_shaper.yaml: a name is tried as given and with '-' and '_'
// swapped, with and without the .yaml suffix. When no file has the name, the
// specs' own family names are compared the same way. The error matches
// os.ErrNotExist and lists the folders searched.
func Find(name string) (string, error) {
	dirs := SpecPath()
	base := strings.TrimSuffix(name, ".yaml")
	if base == "" || strings.ContainsAny(base, `/\`) {
		return "", fmt.Errorf("family %q: invalid name: %w", name, os.ErrNotExist)
	}
	cands := []string{base, strings.ReplaceAll(base, "-", "_"), strings.ReplaceAll(base, "_", "-")}
	for _, dir := range dirs {
		for _, c := range cands {
			p := filepath.Join(dir, c+".yaml")
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
		}
	}
	if p := findByFamilyName(dirs, normName(base)); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("family %q: no spec in %s: %w", name, strings.Join(dirs, ":"), os.ErrNotExist)
}

// normName folds '_' into '-' so both spellings compare equal.
func normName(s string) string { return strings.ReplaceAll(s, "_", "-") }

// findByFamilyName scans the specs' name keys, for families whose file name
// differs from the family name beyond '-' and '_'.
func findByFamilyName(dirs []string, want string) string {
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range files {
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			root, err := parseDoc(p, data)
			if err != nil {
				continue
			}
			if normName(root.get("name").str()) == want {
				return p
			}
		}
	}
	return ""
}

// LoadByName finds the spec of a family (see Find) and loads it with the
// given overlays.
func LoadByName(name string, overlays ...string) (*Family, error) {
	p, err := Find(name)
	if err != nil {
		return nil, err
	}
	return Load(p, overlays...)
}

// Definition returns the definition named name, or nil.
func (f *Family) Definition(name string) *Definition {
	for _, d := range f.Definitions {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// AttrSet returns the attribute set named name, or nil.
func (f *Family) AttrSet(name string) *AttrSet {
	for _, s := range f.AttributeSets {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// McastGroup returns the multicast group named name, or nil.
func (f *Family) McastGroup(name string) *McastGroup {
	for _, g := range f.MulticastGroups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// SubMessage returns the sub-message named name, or nil.
func (f *Family) SubMessage(name string) *SubMessage {
	for _, s := range f.SubMessages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Entry returns the enum or flags entry named name, or nil.
func (d *Definition) Entry(name string) *EnumEntry {
	if d == nil {
		return nil
	}
	for _, e := range d.Entries {
		if e.Name == name {
			return e
		}
	}
	return nil
}
