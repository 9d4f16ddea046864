package nlctrl

// The files named z*.go in this folder are generated from the kernel's
// nlctrl.yaml family spec, as found on YNL_SPEC_PATH. The spec used is the
// one of the netdev net-next tree as of Linux v7.0-rc3 (March 2026).
// overlay.yaml corrects the spec's numbering of the policy-attrs mask and
// pad attributes, which is swapped against <linux/netlink.h>.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec nlctrl -overlay overlay.yaml -package nlctrl
