package mptcppm

// The files named z*.go in this folder are generated from the kernel's
// mptcp_pm.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 39f3facc38e55daa7ebc6b074dfb00071b6e566b.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec mptcp_pm -package mptcppm
