//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// DialRaw opens a classic netlink connection of protocol proto
// (ProtoRoute, ProtoNetfilter, or another NETLINK_* number), with extended
// ACKs and strict checking on. opts may be nil; its network namespace,
// receive buffer, NoStrict and OnWarning apply as for Dial.
func DialRaw(ctx context.Context, proto int, opts *DialOptions) (*RawConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var o DialOptions
	if opts != nil {
		o = *opts
	}
	nc, dial, cleanup, err := dialFirst(&o, proto, func(err error) error {
		return fmt.Errorf("genl: dial netlink protocol %d: %w", proto, err)
	})
	if err != nil {
		return nil, err
	}
	s, err := newSock(nc, &o)
	if err != nil {
		_ = nc.Close()
		cleanup()
		return nil, err
	}
	c := newConnPool(s, dial, o)
	c.cleanup = cleanup
	return &RawConn{c: c, proto: proto}, nil
}

// recvNow reads one datagram without waiting; ok is false when none is
// queued.
func (s *sock) recvNow() (b []byte, ok bool, err error) {
	if s.raw == nil {
		b, err := s.recvFake()
		return b, err == nil, err
	}
	if s.rbuf == nil {
		s.rbuf = make([]byte, s.bufSize())
	}
	for {
		n, err := s.recvfrom(s.rbuf, unix.MSG_PEEK|unix.MSG_TRUNC|unix.MSG_DONTWAIT)
		if errors.Is(err, unix.EAGAIN) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, err
		}
		if n > len(s.rbuf) {
			s.rbuf = make([]byte, nlmsgAlign(n))
			continue
		}
		if _, err := s.recvfrom(s.rbuf[:0], unix.MSG_TRUNC|unix.MSG_DONTWAIT); err != nil {
			return nil, false, err
		}
		return s.rbuf[:n], true, nil
	}
}
