// Package readme holds the test that keeps README.md true: it runs every
// command README shows, or checks that .ci/run does.
package readme
