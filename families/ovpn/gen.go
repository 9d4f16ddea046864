package ovpn

// The files named z*.go in this folder are generated from the kernel's
// ovpn.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob ac50d1d7c00a63b9f2fbb3e93b8c8430e49cd001.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ovpn -package ovpn
