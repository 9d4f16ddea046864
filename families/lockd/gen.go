package lockd

// The files named z*.go in this folder are generated from the kernel's
// lockd.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 3dc4ac1a051bd63b4f0e058c3b17645b3e34235f.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec lockd -package lockd
