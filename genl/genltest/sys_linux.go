package genltest

import (
	"errors"

	"golang.org/x/sys/unix"
)

// socketPair returns the two ends of a non-blocking AF_UNIX datagram pair,
// which keeps datagram boundaries like a netlink socket.
func socketPair() (int, int, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, 0, err
	}
	for _, fd := range fds {
		// Big dumps are big datagrams; root may exceed wmem_max.
		if unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUFFORCE, 4<<20) != nil {
			_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
		}
	}
	return fds[0], fds[1], nil
}

// recvDatagram receives one datagram without blocking; again reports that
// none is waiting.
func recvDatagram(fd int) (b []byte, again bool, err error) {
	for {
		n, _, err := unix.Recvfrom(fd, nil, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return nil, true, nil
		case err != nil:
			return nil, false, err
		}
		b = make([]byte, n)
		n, _, err = unix.Recvfrom(fd, b, unix.MSG_DONTWAIT)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		return b[:n], false, nil
	}
}

// writeDatagram sends b without blocking; again reports a full pair.
func writeDatagram(fd int, b []byte) (again bool, err error) {
	for {
		_, err := unix.Write(fd, b)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return true, nil
		}
		return false, err
	}
}

func closeFDs(fds ...int) error {
	var errs []error
	for _, fd := range fds {
		errs = append(errs, unix.Close(fd))
	}
	return errors.Join(errs...)
}
