package team

// The files named z*.go in this folder are generated from the kernel's
// team.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 83a275b44c825f9ba6f6660813d25b8efc20267b.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec team -overlay overlay.yaml -package team
