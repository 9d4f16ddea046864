package ovsdatapath

// The files named z*.go in this folder are generated from the kernel's
// ovs_datapath.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob f7b3671991e6cb5d0e868977b83cad43327cb98b.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ovs_datapath -overlay overlay.yaml -package ovsdatapath
