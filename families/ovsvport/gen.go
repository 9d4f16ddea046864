package ovsvport

// The files named z*.go in this folder are generated from the kernel's
// ovs_vport.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob fa975f8821b6c9283a9c4a8a2dc51452b14c89e5.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ovs_vport -overlay overlay.yaml -package ovsvport
