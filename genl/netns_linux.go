//go:build linux

package genl

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// pinNetNS picks the network namespace every socket of a Conn opens in, and
// returns its descriptor (0: the process's own) and a func releasing it.
//
// Without NetNS or NetNSPath the namespace is the calling thread's at Dial
// time. When that differs from the process's namespace (a goroutine locked to
// a thread that entered another namespace), it is pinned by descriptor, so
// sockets opened later from other threads land in the same namespace.
func pinNetNS(o *DialOptions) (fd int, cleanup func(), err error) {
	nop := func() {}
	switch {
	case o.NetNS != 0:
		return o.NetNS, nop, nil
	case o.NetNSPath != "":
		fd, err := unix.Open(o.NetNSPath, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return 0, nop, fmt.Errorf("genl: open network namespace %s: %w", o.NetNSPath, err)
		}
		return fd, func() { _ = unix.Close(fd) }, nil
	}
	var self, thread unix.Stat_t
	if unix.Stat("/proc/self/ns/net", &self) != nil ||
		unix.Stat(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()), &thread) != nil ||
		(self.Dev == thread.Dev && self.Ino == thread.Ino) {
		return 0, nop, nil
	}
	fd, err = unix.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return 0, nop, fmt.Errorf("genl: open the thread's network namespace: %w", err)
	}
	return fd, func() { _ = unix.Close(fd) }, nil
}
