package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// listFamilies prints the families ynl has a spec for, one name a line in
// sorted order, as pyynl lists its installed specs: the built-in ones and
// the specs on YNL_SPEC_PATH, named as their spec files are.
func listFamilies(p *printer) error {
	names := map[string]string{} // dash-normalised name -> name shown
	for _, b := range builtin {
		names[underscoresToDashes(b.name)] = builtinFileName(b.name)
	}
	// A spec file on the path names its family as pyynl shows it.
	for _, dir := range family.SpecPath() {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue // a folder on the path that does not exist holds nothing
		}
		for _, e := range ents {
			if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
				key := underscoresToDashes(n)
				if k, ok := builtinKey(n); ok {
					key = underscoresToDashes(k)
				}
				names[key] = n
			}
		}
	}
	list := make([]string, 0, len(names))
	for _, n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	for _, n := range list {
		fmt.Fprintln(p.w, n)
	}
	return nil
}

// builtinFileName is the kernel's spec file name of built-in family k,
// which pyynl lists: the family name, except where the file spells it
// with underscores or names it otherwise (sunrpc_cache.yaml: sunrpc).
func builtinFileName(k string) string {
	switch k {
	case "sunrpc":
		return "sunrpc_cache" // see builtinFileFamily
	case "net-shaper", "drm-ras": // spelt with underscores
		return strings.ReplaceAll(k, "-", "_")
	}
	return k
}

// listKernelFamilies prints the generic netlink families of the running kernel,
// in id order, marking those with a spec built into ynl, then the built-in
// families the kernel lacks (their module is not loaded, or the kernel
// predates them): a table, or with --output-json one JSON list holding
// both, each entry with "builtin-spec" and "in-kernel".
func listKernelFamilies(ctx context.Context, p *printer) error {
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	fams, err := conn.Families(ctx)
	if err != nil {
		return err
	}
	sort.Slice(fams, func(i, j int) bool { return fams[i].ID < fams[j].ID })
	missing := builtinNotIn(fams)
	if p.json {
		list := make([]*dynamic.Map, 0, len(fams)+len(missing))
		for _, f := range fams {
			list = append(list, familyJSON(f))
		}
		for _, name := range missing {
			m := &dynamic.Map{}
			m.Set("name", name)
			m.Set("builtin-spec", true)
			m.Set("in-kernel", false)
			list = append(list, m)
		}
		return p.print(list)
	}
	for _, f := range fams {
		spec := "-"
		if hasBuiltin(f.Name) {
			spec = "built-in"
		}
		fmt.Fprintf(p.w, "%-20s id %-4d version %-2d ops %-3d spec %-8s groups: %s\n", f.Name, f.ID, f.Version, len(f.Ops), spec, groupText(f))
	}
	if len(missing) > 0 {
		fmt.Fprintf(p.w, "\nBuilt-in specs of families the running kernel lacks (load their module to use them):\n")
		for _, name := range missing {
			fmt.Fprintln(p.w, name)
		}
	}
	return nil
}

// builtinNotIn returns the built-in families absent from fams, sorted.
func builtinNotIn(fams []*genl.Family) []string {
	have := map[string]bool{}
	for _, f := range fams {
		have[underscoresToDashes(f.Name)] = true
	}
	var out []string
	for _, b := range builtin {
		if !have[underscoresToDashes(b.name)] && !b.raw {
			out = append(out, b.name)
		}
	}
	sort.Strings(out)
	return out
}

func groupText(f *genl.Family) string {
	if len(f.Groups) == 0 {
		return "-"
	}
	parts := make([]string, len(f.Groups))
	for i, g := range f.Groups {
		parts[i] = fmt.Sprintf("%s(%d)", g.Name, g.ID)
	}
	return strings.Join(parts, " ")
}

func familyJSON(f *genl.Family) *dynamic.Map {
	m := &dynamic.Map{}
	m.Set("name", f.Name)
	m.Set("builtin-spec", hasBuiltin(f.Name))
	m.Set("in-kernel", true)
	m.Set("id", f.ID)
	m.Set("version", f.Version)
	m.Set("hdrsize", f.HeaderSize)
	m.Set("maxattr", f.MaxAttr)
	ops := make([]*dynamic.Map, len(f.Ops))
	for i, op := range f.Ops {
		o := &dynamic.Map{}
		o.Set("id", op.ID)
		o.Set("flags", op.Flags.CtrlNames())
		ops[i] = o
	}
	m.Set("ops", ops)
	groups := make([]*dynamic.Map, len(f.Groups))
	for i, g := range f.Groups {
		o := &dynamic.Map{}
		o.Set("name", g.Name)
		o.Set("id", g.ID)
		groups[i] = o
	}
	m.Set("mcast-groups", groups)
	return m
}
