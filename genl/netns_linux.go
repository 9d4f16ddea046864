//go:build linux

package genl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// pinNetNS picks the network namespace every socket of a Conn opens in, and
// returns its descriptor (0: the calling thread's), a func releasing it,
// and whether the descriptor pins the calling thread's namespace.
//
// Without NetNS or NetNSPath the namespace is the calling thread's at Dial
// time, pinned by descriptor: a goroutine locked to a thread that entered
// another namespace may dial, and sockets the Conn opens later, from other
// threads, must land in the same namespace.
func pinNetNS(o *DialOptions) (fd int, cleanup func(), pinned bool, err error) {
	nop := func() {}
	switch {
	case o.NetNS != 0:
		return o.NetNS, nop, false, nil
	case o.NetNSPath != "":
		fd, err := unix.Open(o.NetNSPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return 0, nop, false, fmt.Errorf("genl: open network namespace %s: %w", o.NetNSPath, err)
		}
		return fd, func() { _ = unix.Close(fd) }, false, nil
	}
	fd, err = unix.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		// No procfs or no namespaces: every thread is in the same one.
		return 0, nop, false, nil
	}
	return fd, func() { _ = unix.Close(fd) }, true, nil
}
