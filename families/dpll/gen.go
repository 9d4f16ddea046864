package dpll

// The files named z*.go in this folder are generated from the kernel's
// dpll.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 2bf83f6732ab0dfa62a1fc7d1e6d0d5b6c41302f.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec dpll -package dpll
