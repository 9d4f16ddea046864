package nl80211

// The files named z*.go in this folder are generated from the kernel's
// nl80211.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 802097128bdaede58d67a862298ccd752261761d.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec nl80211 -overlay overlay.yaml -package nl80211
