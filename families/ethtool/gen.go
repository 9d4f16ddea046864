package ethtool

// The files named z*.go in this folder are generated from the kernel's
// ethtool.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 5dd4d1b5d94bbbac193b5b2770c123b3af7d542b.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ethtool -overlay overlay.yaml -package ethtool -dump-nest header
