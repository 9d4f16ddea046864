//go:build linux

package genl

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// dialFirst opens the first socket of a Conn of netlink protocol proto and
// returns the func that opens the others, and the func releasing the
// namespace descriptor (see pinNetNS). A failed dial's error goes through
// wrap.
//
// The first socket of a Conn in the calling thread's namespace opens on
// that thread directly, which stays locked from reading its namespace to
// opening the socket: entering the namespace instead (what
// netlink.Config.NetNS does) takes a thread made for it and thrown away
// after, a large part of a short-lived program's start-up.
func dialFirst(o *DialOptions, proto int, wrap func(error) error) (*netlink.Conn, func() (*netlink.Conn, error), func(), error) {
	runtime.LockOSThread()
	nsfd, cleanup, pinned, err := pinNetNS(o)
	var nc *netlink.Conn
	if err != nil {
		runtime.UnlockOSThread()
		return nil, nil, nil, err
	}
	if pinned {
		nc, err = netlink.Dial(proto, nil)
	}
	runtime.UnlockOSThread()
	if err != nil {
		cleanup()
		return nil, nil, nil, wrap(err)
	}
	dial := func() (*netlink.Conn, error) {
		c, err := netlink.Dial(proto, &netlink.Config{NetNS: nsfd})
		if pinned && errors.Is(err, unix.EPERM) {
			// Entering a namespace, even the current one, takes
			// CAP_SYS_ADMIN. Without it the caller cannot have
			// switched namespaces either, so every thread is in the
			// same one.
			return netlink.Dial(proto, nil)
		}
		return c, err
	}
	if !pinned {
		if nc, err = dial(); err != nil {
			cleanup()
			return nil, nil, nil, wrap(err)
		}
	}
	return nc, dial, cleanup, nil
}

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
