package main

import (
	"context"

	"github.com/ynlgo/ynl/family"
)

// runRaw runs a do or dump of a netlink-raw family (rt-link, ...).
func runRaw(ctx context.Context, o *options, p *printer, f *family.Family, req map[string]any) error {
	return usagef("family %s uses %s; only --list-ops, --list-msgs, --list-attrs and --validate work for it", f.Name, f.Protocol)
}
