package ethtool

// The files named z*.go in this folder are generated from the kernel's
// ethtool.yaml family spec, as found on YNL_SPEC_PATH. The spec used is the
// one of the netdev net-next tree as of Linux v7.0-rc3 (March 2026).
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ethtool -overlay overlay.yaml -package ethtool
