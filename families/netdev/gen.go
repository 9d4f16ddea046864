package netdev

// The files named z*.go in this folder are generated from the kernel's
// netdev.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 5f143da7458cfba382846a1a90a724821634a9a3.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec netdev -package netdev
