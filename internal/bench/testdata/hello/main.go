// Command hello is the floor of a Go program's start-up: a static binary
// that prints one line, for BenchmarkCLIStartup to set beside ynl and
// iproute2's genl.
package main

import "os"

func main() { os.Stdout.WriteString("hello\n") }
