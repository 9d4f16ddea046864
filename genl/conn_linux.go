//go:build linux

package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
	"unsafe"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Dial opens a generic netlink connection. opts may be nil.
func Dial(ctx context.Context, opts *DialOptions) (*Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var o DialOptions
	if opts != nil {
		o = *opts
	}
	nc, dial, cleanup, err := dialFirst(&o, genetlink.Protocol, func(err error) error {
		return fmt.Errorf("genl: dial: %w", err)
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
	return c, nil
}

// NewConn wraps an existing generic netlink connection (tests, fakes such
// as nltest). dial, if non-nil, opens further sockets like c for the pool
// and for subscriptions; without it the Conn has only c, requests wait for
// each other, and Subscribe fails. NewConn turns on extended ACKs and
// strict checking where the socket supports them. The Conn owns c: Close
// closes it.
//
// A socket without a descriptor (nltest) works too, with less detail: its
// netlink.Conn keeps only the message and offset of an extended ACK.
func NewConn(c *netlink.Conn, dial func() (*netlink.Conn, error)) (*Conn, error) {
	if c == nil {
		return nil, errors.New("genl: NewConn: nil *netlink.Conn")
	}
	s, err := newSock(c, &DialOptions{})
	if err != nil {
		return nil, err
	}
	return newConnPool(s, dial, DialOptions{}), nil
}

// newSock configures a freshly opened socket: extended and capped ACKs,
// strict checking (left off if the kernel refuses it), the receive buffer.
// Sockets without a descriptor (fakes) skip the socket options.
func newSock(nc *netlink.Conn, o *DialOptions) (*sock, error) {
	s := &sock{nl: nc, pid: nc.PID(), seq: rand.Uint32(), rsize: o.ReceiveSize, onRecv: o.OnReceive}
	s.seq0 = s.seq
	raw, err := nc.SyscallConn()
	if err != nil {
		s.fake = true
		return s, nil
	}
	s.raw = raw
	s.io.init()
	// Without extended ACKs errors lose their message and offset; kernels
	// before 4.12 lack it, so failing is not fatal. The same holds for
	// capped ACKs, which spare echoing the whole request back.
	_ = nc.SetOption(netlink.ExtendedAcknowledge, true)
	_ = nc.SetOption(netlink.CapAcknowledge, true)
	if !o.NoStrict {
		// Strict checking (4.20+) is a request, not a requirement.
		_ = nc.SetOption(netlink.GetStrictCheck, true)
	}
	if o.ReceiveBuffer > 0 {
		if err := nc.SetReadBuffer(o.ReceiveBuffer); err != nil {
			return nil, fmt.Errorf("genl: set receive buffer: %w", err)
		}
	}
	return s, nil
}

// send writes one request.
func (s *sock) send(b []byte) error {
	if s.raw == nil {
		m, _, err := splitMsg(b)
		if err != nil {
			return err
		}
		_, err = s.nl.Send(netlink.Message{
			Header: netlink.Header{Type: netlink.HeaderType(m.typ),
				Flags: netlink.HeaderFlags(m.flags), Sequence: m.seq, PID: m.pid},
			Data: m.data,
		})
		return err
	}
	s.io.buf = b
	err := s.raw.Write(s.io.writeFn)
	s.io.buf = nil
	if err == nil {
		err = s.io.err
	}
	if err != nil {
		return fmt.Errorf("genl: send: %w", err)
	}
	return nil
}

// recv reads one datagram into the reused receive buffer. It peeks at the
// datagram's size first, so one larger than the buffer grows the buffer
// instead of being truncated. Where the kernel bounds the datagrams to
// fit in recvBufSize, they are read at once instead, which halves the
// system calls:
//
//   - a generic netlink dump's: the kernel sizes them by the largest read
//     so far, capped at 32 KiB, and genl asks for no more (no
//     min_dump_alloc);
//   - the replies to a do of nlctrl (resolving a family, the command
//     line's getfamily): the kernel builds each in an skb of
//     NLMSG_DEFAULT_SIZE (under 8 KiB whatever the page size), and their
//     ACK is an nlmsgerr with at most the request and an extended ACK.
//
// Other families' do replies may be larger (ethtool's string sets, for
// one) and keep the peek.
func (s *sock) recv() ([]byte, error) {
	if s.raw == nil {
		return s.recvFake()
	}
	if s.rbuf == nil {
		s.rbuf = make([]byte, s.bufSize())
	}
	if (s.genlDump || s.ctrlDo) && !s.allNSID && len(s.rbuf) >= recvBufSize {
		n, err := s.recvfrom(s.rbuf, unix.MSG_TRUNC)
		if err != nil {
			return nil, err
		}
		if n > len(s.rbuf) {
			what := "dump"
			if !s.genlDump {
				what = "nlctrl reply"
			}
			return nil, fmt.Errorf("genl: receive: a %s datagram of %d bytes was cut to the %d-byte receive buffer", what, n, len(s.rbuf))
		}
		if s.onRecv != nil {
			s.onRecv(s.rbuf[:n])
		}
		return s.rbuf[:n], nil
	}
	for {
		n, err := s.recvfrom(s.rbuf, unix.MSG_PEEK|unix.MSG_TRUNC)
		if err != nil {
			return nil, err
		}
		if n > len(s.rbuf) {
			s.rbuf = make([]byte, nlmsgAlign(n))
			continue
		}
		if s.allNSID {
			// Read it again with its control message, which names the
			// namespace it came from.
			if err := s.recvNSID(s.rbuf[:n]); err != nil {
				return nil, err
			}
		} else if _, err := s.recvfrom(s.rbuf[:0], unix.MSG_TRUNC); err != nil {
			// The datagram is in rbuf already: consume it without copying.
			return nil, err
		}
		if s.onRecv != nil {
			s.onRecv(s.rbuf[:n])
		}
		return s.rbuf[:n], nil
	}
}

// discardPending reads and drops whatever is queued on the socket without
// waiting. Each read lets the kernel queue the next part of an abandoned
// dump, so it returns once that dump is finished too, and the next request
// neither trips over old replies nor gets EBUSY for a new dump.
func (s *sock) discardPending() {
	if s.raw == nil {
		return
	}
	s.pending = nil
	for range maxDiscard {
		if _, err := s.recvfrom(nil, unix.MSG_TRUNC|unix.MSG_DONTWAIT); err != nil {
			return // EAGAIN: empty
		}
	}
}

// maxDiscard bounds discardPending on a socket that keeps receiving.
const maxDiscard = 1 << 16

// listenAllNSID turns on NETLINK_LISTEN_ALL_NSID: the socket receives the
// multicasts of every network namespace that has an id in its own.
func (s *sock) listenAllNSID() error {
	if s.raw == nil {
		return errors.New("genl: NETLINK_LISTEN_ALL_NSID needs a real socket")
	}
	if err := s.nl.SetOption(netlink.ListenAllNSID, true); err != nil {
		return fmt.Errorf("genl: NETLINK_LISTEN_ALL_NSID: %w", err)
	}
	s.allNSID = true
	return nil
}

// recvNSID consumes the datagram peeked into b with recvmsg(2) and keeps
// the namespace id of its NETLINK_LISTEN_ALL_NSID control message.
func (s *sock) recvNSID(b []byte) error {
	oob := make([]byte, unix.CmsgSpace(4)*2)
	var oobn int
	var rerr error
	err := s.raw.Read(func(fd uintptr) bool {
		for {
			_, oobn, _, _, rerr = unix.Recvmsg(int(fd), b, oob, unix.MSG_DONTWAIT)
			switch rerr {
			case unix.EINTR:
				continue
			case unix.EAGAIN:
				return false
			}
			return true
		}
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return fmt.Errorf("genl: receive: %w", err)
	}
	s.nsid = None[int32]()
	cmsgs, err := unix.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return nil // no usable control message: the own namespace
	}
	for _, c := range cmsgs {
		if c.Header.Level == unix.SOL_NETLINK && c.Header.Type == unix.NETLINK_LISTEN_ALL_NSID && len(c.Data) >= 4 {
			if id := int32(binary.NativeEndian.Uint32(c.Data)); id >= 0 {
				s.nsid = Some(id)
			}
		}
	}
	return nil
}

// recvfrom calls recvfrom(2) through the runtime poller, so read deadlines
// apply.
func (s *sock) recvfrom(b []byte, flags int) (int, error) {
	s.io.buf, s.io.flags = b, flags
	err := s.raw.Read(s.io.readFn)
	s.io.buf = nil
	if err == nil {
		err = s.io.err
	}
	if err != nil {
		return 0, fmt.Errorf("genl: receive: %w", err)
	}
	return s.io.n, nil
}

// sockIO holds the arguments and results of the socket's system calls, and
// the callbacks handed to syscall.RawConn, made once per socket so that a
// request does not allocate closures.
type sockIO struct {
	buf     []byte
	flags   int
	n       int
	err     error
	readFn  func(fd uintptr) bool
	writeFn func(fd uintptr) bool
}

func (io *sockIO) init() {
	io.readFn = io.read
	io.writeFn = io.write
}

// read calls recvfrom(2) directly: unix.Recvfrom would allocate a source
// address the package has no use for.
func (io *sockIO) read(fd uintptr) bool {
	var p unsafe.Pointer
	if cap(io.buf) > 0 {
		p = unsafe.Pointer(unsafe.SliceData(io.buf))
	}
	for {
		// The socket is non-blocking anyway; MSG_DONTWAIT from the
		// caller means "do not wait for the poller either".
		r, _, e := unix.Syscall6(unix.SYS_RECVFROM, fd, uintptr(p), uintptr(len(io.buf)),
			uintptr(io.flags|unix.MSG_DONTWAIT), 0, 0)
		switch e {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			if io.flags&unix.MSG_DONTWAIT != 0 {
				io.n, io.err = 0, e // the caller asked not to wait
				return true
			}
			return false // wait until readable
		case 0:
			io.n, io.err = int(r), nil
		default:
			io.n, io.err = 0, e
		}
		return true
	}
}

func (io *sockIO) write(fd uintptr) bool {
	for {
		_, err := unix.Write(int(fd), io.buf)
		switch err {
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			return false
		}
		io.err = err
		return true
	}
}

// setReadDeadline sets the socket's read deadline; fakes have none.
func (s *sock) setReadDeadline(t time.Time) error {
	if s.raw == nil {
		return nil
	}
	return s.nl.SetReadDeadline(t)
}
