package kitchensink

// The z*.go files of this package are generated from the project's
// kitchen-sink spec, which has an attribute of every type; the tests here
// check the generated code on the wire. Regenerate with `go generate`.

//go:generate go run github.com/ynlgo/ynl/cmd/ynlgen -spec ../../testdata/codegen/kitchensink.yaml -package kitchensink
