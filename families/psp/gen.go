package psp

// The files named z*.go in this folder are generated from the kernel's
// psp.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob e9c2ee7e28e02640e45bee4b5b87f7b0540f1926.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec psp -package psp
