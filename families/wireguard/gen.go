package wireguard

// The files named z*.go in this folder are generated from the kernel's
// wireguard.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 30479fc6bb697d5857d7191fac3fef6ce1d67d67.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec wireguard -package wireguard
