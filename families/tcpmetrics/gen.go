package tcpmetrics

// The files named z*.go in this folder are generated from the kernel's
// tcp_metrics.yaml family spec, as found on YNL_SPEC_PATH. The spec used is
// the one of Linux 7.2.13 as Debian ships it (package linux-source-7.2,
// version 7.2.13-1), git blob 13144aeed31a52c3fa885e39975e82f715dc830a.
// Regenerate with `go generate` after pointing YNL_SPEC_PATH at the specs.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec tcp_metrics -package tcpmetrics
