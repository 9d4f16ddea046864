package rtlink

// The files named z*.go in this folder are generated from the kernel's
// rt-link.yaml family spec (netlink-raw), as found on YNL_SPEC_PATH. The spec
// used is Linux 7.2's; overlay.yaml corrects the layouts of rtnl_link_ifmap,
// ifla_vf_guid and ifla_vf_vlan_info, which the spec gets wrong.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec rt-link -overlay overlay.yaml -package rtlink
