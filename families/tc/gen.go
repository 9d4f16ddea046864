package tc

// The files named z*.go in this folder are generated from the kernel's
// tc.yaml family spec (netlink-raw), as found on YNL_SPEC_PATH. The spec
// used is Linux 7.2's; overlay.yaml corrects the layouts of tc_ratespec,
// tc_u32_sel, tc_pedit_sel, tc_stats and gnet_stats_basic, which the spec
// gets wrong.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec tc -overlay overlay.yaml -package tc
