package rtroute

// The files named z*.go in this folder are generated from the kernel's
// rt-route.yaml family spec (netlink-raw), as found on YNL_SPEC_PATH. The spec
// used is Linux 7.2's; overlay.yaml adds the multicast group numbers the
// spec leaves out and the rta_cacheinfo members it lacks.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec rt-route -overlay overlay.yaml -package rtroute
