package nlctrl

// The files named z*.go in this folder are generated from the kernel's
// nlctrl.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 8b4472a6aa36a09ec9a4f21d924e42bc11aa0a47.
// overlay.yaml corrects the spec's numbering of the policy-attrs mask and
// pad attributes, which is swapped against <linux/netlink.h>.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec nlctrl -overlay overlay.yaml -package nlctrl
