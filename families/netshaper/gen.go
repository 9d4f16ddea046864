package netshaper

// The files named z*.go in this folder are generated from the kernel's
// net_shaper.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob de01f922040a5c1209be44b858c00a5c23fb4af9.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec net_shaper -package netshaper
