package genltest

import (
	"iter"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

// socket is one netlink socket of the fake kernel: a netlink.Socket whose
// descriptor (one end of a datagram socket pair) genl.Conn reads and
// writes with system calls. The kernel answers requests as they are
// written and queues replies and notifications in memory; reads move them
// into the socket pair as it drains, so the pair never fills up.
type socket struct {
	k    *Kernel
	port uint32
	fd   int // the user's end
	peer int // the kernel's end

	// fdMu guards the descriptors: system calls hold it shared, Close
	// exclusively, so a descriptor is never used after it is closed (and
	// possibly reused for another file).
	fdMu     sync.RWMutex
	fdClosed bool

	mu       sync.Mutex
	queue    [][]byte // datagrams not yet in the socket pair
	groups   map[uint32]bool
	overrunP bool // the next read fails with ENOBUFS
	capped   bool // NETLINK_CAP_ACK
	deadline time.Time
	closed   bool

	wake chan struct{} // signalled when the queue, deadline or overrun changes
	done chan struct{} // closed by Close
}

func (k *Kernel) newSocket() (*socket, error) {
	fd, peer, err := socketPair()
	if err != nil {
		return nil, err
	}
	s := &socket{k: k, fd: fd, peer: peer, groups: map[uint32]bool{},
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	k.register(s)
	return s, nil
}

func (s *socket) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// enqueue queues datagrams for the user to read.
func (s *socket) enqueue(dgrams ...[]byte) {
	s.mu.Lock()
	if !s.closed {
		s.queue = append(s.queue, dgrams...)
	}
	s.mu.Unlock()
	s.signal()
}

func (s *socket) overrun() {
	s.mu.Lock()
	s.overrunP = true
	s.mu.Unlock()
	s.signal()
}

func (s *socket) member(group uint32) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.groups[group]
}

// leaveAll drops the socket's memberships of a removed family's groups.
func (s *socket) leaveAll(groups map[string]uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range groups {
		delete(s.groups, id)
	}
}

// ack builds the NLMSG_ERROR datagram answering m with e (nil: success).
func (s *socket) ack(m nlMsg, e *Error, base int) []byte {
	s.mu.Lock()
	capped := s.capped
	s.mu.Unlock()
	payload, flags := ackPayload(m, e, base, capped, false)
	return appendMsg(nil, nlmsgError, flags, m.seq, m.port, payload)
}

// beforeRead reports a pending overrun or an expired deadline, and moves
// queued datagrams into the socket pair.
func (s *socket) beforeRead() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return net.ErrClosed
	case s.overrunP:
		s.overrunP = false
		return syscall.ENOBUFS
	case !s.deadline.IsZero() && !time.Now().Before(s.deadline):
		return os.ErrDeadlineExceeded
	}
	for len(s.queue) > 0 {
		again, err := s.withFD(func() (bool, error) { return writeDatagram(s.peer, s.queue[0]) })
		if err != nil {
			return err
		}
		if again {
			break // the pair is full; the rest follows as it drains
		}
		s.queue = s.queue[1:]
	}
	return nil
}

// withFD runs f while the descriptors are open.
func (s *socket) withFD(f func() (bool, error)) (bool, error) {
	s.fdMu.RLock()
	defer s.fdMu.RUnlock()
	if s.fdClosed {
		return false, net.ErrClosed
	}
	return f()
}

// wait blocks until something changes, the deadline passes, or Close.
func (s *socket) wait() error {
	s.mu.Lock()
	dl := s.deadline
	s.mu.Unlock()
	var timeout <-chan time.Time
	if !dl.IsZero() {
		d := time.Until(dl)
		if d <= 0 {
			return os.ErrDeadlineExceeded
		}
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-s.wake:
		return nil
	case <-timeout:
		return os.ErrDeadlineExceeded
	case <-s.done:
		return net.ErrClosed
	}
}

// read calls f (a non-blocking receive on the user's end) until it
// succeeds, feeding queued datagrams and waiting in between.
func (s *socket) read(f func(fd uintptr) bool) error {
	for {
		if err := s.beforeRead(); err != nil {
			return err
		}
		ok, err := s.withFD(func() (bool, error) { return f(uintptr(s.fd)), nil })
		if err != nil || ok {
			return err
		}
		if err := s.wait(); err != nil {
			return err
		}
	}
}

// write calls f (a send on the user's end), then serves what it sent.
func (s *socket) write(f func(fd uintptr) bool) error {
	for {
		var sent [][]byte
		ok, err := s.withFD(func() (bool, error) {
			ok := f(uintptr(s.fd))
			var err error
			sent, err = drain(s.peer)
			return ok, err
		})
		if err != nil {
			return err
		}
		for _, d := range sent {
			s.k.serve(s, d)
		}
		if ok {
			return nil
		}
	}
}

// drain receives every datagram waiting on fd.
func drain(fd int) ([][]byte, error) {
	var out [][]byte
	for {
		b, again, err := recvDatagram(fd)
		if err != nil || again {
			return out, err
		}
		out = append(out, b)
	}
}

// rawConn is the syscall.RawConn genl.Conn uses for its system calls.
type rawConn struct{ s *socket }

func (r rawConn) Control(f func(fd uintptr)) error {
	_, err := r.s.withFD(func() (bool, error) { f(uintptr(r.s.fd)); return true, nil })
	return err
}

func (r rawConn) Read(f func(fd uintptr) bool) error  { return r.s.read(f) }
func (r rawConn) Write(f func(fd uintptr) bool) error { return r.s.write(f) }

// SyscallConn exposes the user's end of the socket pair.
func (s *socket) SyscallConn() (syscall.RawConn, error) { return rawConn{s}, nil }

// Close closes the socket and leaves its groups.
func (s *socket) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.queue = nil
	close(s.done)
	s.mu.Unlock()
	s.k.unregister(s)

	s.fdMu.Lock()
	defer s.fdMu.Unlock()
	s.fdClosed = true
	return closeFDs(s.fd, s.peer)
}

// Send serves one message, for users of netlink.Conn without genl.Conn.
func (s *socket) Send(m netlink.Message) error {
	return s.SendMessages([]netlink.Message{m})
}

// SendMessages serves messages sent as one datagram.
func (s *socket) SendMessages(ms []netlink.Message) error {
	var b []byte
	for _, m := range ms {
		m.Header.Length = uint32(nlmsgHdrLen + len(m.Data))
		mb, err := m.MarshalBinary()
		if err != nil {
			return err
		}
		b = append(b, mb...)
	}
	s.k.serve(s, b)
	return nil
}

// Receive reads one datagram's messages.
func (s *socket) Receive() ([]netlink.Message, error) {
	var dgram []byte
	var rerr error
	err := s.read(func(fd uintptr) bool {
		b, again, err := recvDatagram(int(fd))
		dgram, rerr = b, err
		return !again
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return nil, err
	}
	var out []netlink.Message
	for _, m := range splitMsgs(dgram) {
		var nm netlink.Message
		if err := nm.UnmarshalBinary(m.raw); err != nil {
			return nil, err
		}
		out = append(out, nm)
	}
	return out, nil
}

// ReceiveIter yields the messages of one datagram.
func (s *socket) ReceiveIter() iter.Seq2[netlink.Message, error] {
	return func(yield func(netlink.Message, error) bool) {
		ms, err := s.Receive()
		if err != nil {
			yield(netlink.Message{}, err)
			return
		}
		for _, m := range ms {
			if !yield(m, nil) {
				return
			}
		}
	}
}

// JoinGroup joins multicast group id (NETLINK_ADD_MEMBERSHIP).
func (s *socket) JoinGroup(id uint32) error {
	if !s.k.groupExists(id) {
		return syscall.EINVAL
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[id] = true
	return nil
}

// LeaveGroup leaves multicast group id.
func (s *socket) LeaveGroup(id uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.groups, id)
	return nil
}

// SetOption records NETLINK_CAP_ACK and accepts the other options.
func (s *socket) SetOption(o netlink.ConnOption, enable bool) error {
	if o == netlink.CapAcknowledge {
		s.mu.Lock()
		s.capped = enable
		s.mu.Unlock()
	}
	return nil
}

// SetDeadline sets the read deadline; writes never block.
func (s *socket) SetDeadline(t time.Time) error { return s.SetReadDeadline(t) }

// SetReadDeadline sets the read deadline, waking a blocked read.
func (s *socket) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.deadline = t
	s.mu.Unlock()
	s.signal()
	return nil
}

// SetWriteDeadline is accepted and ignored: writes never block.
func (s *socket) SetWriteDeadline(time.Time) error { return nil }

// SetReadBuffer is accepted and ignored: the queue is unbounded.
func (s *socket) SetReadBuffer(int) error { return nil }

// SetWriteBuffer is accepted and ignored.
func (s *socket) SetWriteBuffer(int) error { return nil }
