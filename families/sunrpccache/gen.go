package sunrpccache

// The files named z*.go in this folder are generated from the kernel's
// sunrpc_cache.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob f22ff22b9418fa0c0de2198199eba01e4c7ba34d.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec sunrpc_cache -package sunrpccache
