package devlink

// The files named z*.go in this folder are generated from the kernel's
// devlink.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 52ad1e7805d198424780c5088c7460490b535f1e.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec devlink -overlay overlay.yaml -package devlink
