package handshake

// The files named z*.go in this folder are generated from the kernel's
// handshake.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob ffec12b467597df6e76659c14c36db26f4cbb142.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec handshake -package handshake
