// The command does one request and exits, or listens to one socket: the
// runtime's goroutine that re-reads the CPU limit of the cgroup every
// second to adjust GOMAXPROCS does nothing for it but start, and its
// start (a goroutine and a thread woken at init) is a measurable part of
// a command that lives a millisecond or two. GOMAXPROCS is still set from
// the cgroup's limit at start.

//go:debug updatemaxprocs=0

package main
