package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/internal/dynamic"
)

// listFamilies prints the generic netlink families of the running kernel,
// in id order: a table, or with --output-json a JSON list.
func listFamilies(ctx context.Context, p *printer) error {
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
	if p.json {
		list := make([]*dynamic.Map, len(fams))
		for i, f := range fams {
			list[i] = familyJSON(f)
		}
		return p.print(list)
	}
	for _, f := range fams {
		fmt.Fprintf(p.w, "%-20s id %-4d version %-2d ops %-3d groups: %s\n", f.Name, f.ID, f.Version, len(f.Ops), groupText(f))
	}
	return nil
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
	m.Set("id", f.ID)
	m.Set("version", f.Version)
	m.Set("hdrsize", f.HeaderSize)
	m.Set("maxattr", f.MaxAttr)
	ops := make([]*dynamic.Map, len(f.Ops))
	for i, op := range f.Ops {
		o := &dynamic.Map{}
		o.Set("id", op.ID)
		o.Set("flags", opFlagNames(op.Flags))
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

// opFlagNames names the capability bits as the nlctrl spec does.
func opFlagNames(fl genl.OpFlags) []string {
	names := []string{}
	for _, b := range []struct {
		bit  genl.OpFlags
		name string
	}{{genl.OpAdminPerm, "admin-perm"}, {genl.OpDo, "cmd-cap-do"}, {genl.OpDump, "cmd-cap-dump"},
		{genl.OpHasPolicy, "cmd-cap-haspol"}, {genl.OpUnsAdminPerm, "uns-admin-perm"}} {
		if fl&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	return names
}
