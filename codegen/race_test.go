//go:build race

package codegen

// raceEnabled is set when the tests run under the race detector, which
// slows go/types several times over.
const raceEnabled = true
