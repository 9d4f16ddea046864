package binder

// The files named z*.go in this folder are generated from the kernel's
// binder.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 0f0575ad1265a94e87b302beb81a3efa76b82f0f.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec binder -package binder
