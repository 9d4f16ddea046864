package ovsflow

// The files named z*.go in this folder are generated from the kernel's
// ovs_flow.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 951837b72e1d280468272a85747a08db2d16170f.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ovs_flow -overlay overlay.yaml -package ovsflow
