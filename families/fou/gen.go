package fou

// The files named z*.go in this folder are generated from the kernel's
// fou.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 331f1b342b3adbcbbae6af1261624fda3ea5f9ff.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec fou -package fou
