package conntrack

// The files named z*.go in this folder are generated from the kernel's
// conntrack.yaml family spec (netlink-raw), as found on YNL_SPEC_PATH. The spec
// used is Linux 7.2's.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec conntrack -overlay overlay.yaml -package conntrack
