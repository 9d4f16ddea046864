package rtrule

// The files named z*.go in this folder are generated from the kernel's
// rt-rule.yaml family spec (netlink-raw), as found on YNL_SPEC_PATH. The spec
// used is Linux 7.2's; overlay.yaml corrects the size of rtgenmsg, which
// the spec pads.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec rt-rule -overlay overlay.yaml -package rtrule
