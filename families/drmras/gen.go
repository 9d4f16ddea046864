package drmras

// The files named z*.go in this folder are generated from the kernel's
// drm_ras.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob e113056f8c016c92b23b8e30c62a1f741b7d5879.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec drm_ras -package drmras
