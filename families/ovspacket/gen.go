package ovspacket

// The files named z*.go in this folder are generated from the kernel's
// ovs_packet.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob e4c5f24b3b01eb895ecda7ad6bfff86aa1271652.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ovs_packet -package ovspacket
