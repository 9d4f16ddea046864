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
// that thread directly; the namespace the socket landed in is then asked
// of the socket itself (SIOCGSKNS), which needs no locked thread. Locking
// the thread costs a short-lived program a thread of its own: the first
// LockOSThread of a process starts the runtime's template thread. Where
// the socket cannot tell (SIOCGSKNS needs CAP_NET_ADMIN over the
// namespace), the thread stays locked from reading its namespace to
// opening the socket. Entering the namespace instead (what
// netlink.Config.NetNS does) would take a thread made for it and thrown
// away after.
func dialFirst(o *DialOptions, proto int, wrap func(error) error) (*netlink.Conn, func() (*netlink.Conn, error), func(), error) {
	if o.NetNS == 0 && o.NetNSPath == "" && !forceThreadPin {
		nc, err := netlink.Dial(proto, nil)
		if err != nil {
			return nil, nil, nil, wrap(err)
		}
		if nsfd, err := socketNetNS(nc); err == nil {
			return nc, dialInNetNS(proto, nsfd, true), func() { _ = unix.Close(nsfd) }, nil
		}
		_ = nc.Close()
	}
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
	dial := dialInNetNS(proto, nsfd, pinned)
	if !pinned {
		if nc, err = dial(); err != nil {
			cleanup()
			return nil, nil, nil, wrap(err)
		}
	}
	return nc, dial, cleanup, nil
}

// forceThreadPin makes dialFirst take the locked-thread path, as it does
// without CAP_NET_ADMIN, for the tests (which run as root).
var forceThreadPin bool

// dialInNetNS returns the func opening a socket in the namespace of nsfd
// (0: the calling thread's). pinned says nsfd is the namespace the Conn's
// caller was in, not one it asked for.
func dialInNetNS(proto, nsfd int, pinned bool) func() (*netlink.Conn, error) {
	return func() (*netlink.Conn, error) {
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
}

// socketNetNS returns a descriptor of the network namespace socket nc is
// in (SIOCGSKNS, which takes CAP_NET_ADMIN over that namespace).
func socketNetNS(nc *netlink.Conn) (int, error) {
	rc, err := nc.SyscallConn()
	if err != nil {
		return 0, err
	}
	fd := -1
	var ierr error
	if err := rc.Control(func(s uintptr) {
		fd, ierr = unix.IoctlRetInt(int(s), unix.SIOCGSKNS)
	}); err != nil {
		return 0, err
	}
	if ierr != nil {
		return 0, ierr
	}
	return fd, nil
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
