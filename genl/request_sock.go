package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
)

// Initial receive buffer sizes, allocated on the first read; a larger
// datagram grows the buffer. The kernel sizes dump datagrams to at most
// 32 KiB; notifications are usually small.
const (
	recvBufSize   = 32 << 10
	notifyBufSize = 8 << 10
)

func (s *sock) bufSize() int {
	if s.rsize > 0 {
		return s.rsize
	}
	if s.notify {
		return notifyBufSize
	}
	return recvBufSize
}

// sock is one netlink socket of a Conn's pool (or of a Subscription). Only
// one goroutine uses a sock at a time: the pool hands it out whole.
type sock struct {
	nl  *netlink.Conn
	raw syscall.RawConn // nil for sockets without a descriptor (test fakes)
	pid uint32

	seq  uint32 // sequence number of the latest request
	seq0 uint32 // sequence number before the first request

	rbuf    []byte // receive buffer, reused for every datagram
	pending []byte // unread messages of the latest datagram
	wbuf    []byte // send buffer, reused for every request
	io      sockIO // system call state (Linux)

	// dirty marks a socket whose latest exchange was abandoned mid-way
	// (cancellation, early return): replies may still arrive for it.
	dirty bool
	// fake is set for sockets without a descriptor; see recvFake.
	fake     bool
	fakeDump bool // the latest request on a fake socket was a dump
	notify   bool // a subscription's socket: it sends no requests
	// genlDump is set while the socket reads a generic netlink dump,
	// whose datagrams the kernel keeps within 32 KiB (see recv).
	genlDump bool
	// ctrlDo is set while the socket reads the replies to a do of
	// nlctrl, which the kernel keeps within a page or two (see recv).
	ctrlDo bool
	rsize  int // DialOptions.ReceiveSize
	onRecv func([]byte)
	// allNSID is set once NETLINK_LISTEN_ALL_NSID is on: datagrams are
	// read with recvmsg, and nsid holds the namespace id the kernel put
	// in the control message of the latest one (unset for the socket's
	// own namespace).
	allNSID bool
	nsid    Opt[int32]

	closeOnce sync.Once
	closeErr  error

	// Cancellation state of the current exchange; see watch.
	fired   chan struct{}
	stop    func() bool
	timeout bool // a read deadline is set
}

func (s *sock) close() error {
	s.closeOnce.Do(func() { s.closeErr = s.nl.Close() })
	return s.closeErr
}

// frame builds a genl request in the reused send buffer and assigns it the
// next sequence number.
func (s *sock) frame(typ uint16, flags uint16, cmd, ver uint8, hdr, attrs []byte) []byte {
	n := nlmsgHdrLen + genlHdrLen + nlmsgAlign(len(hdr)) + len(attrs)
	if cap(s.wbuf) < n {
		s.wbuf = make([]byte, n, max(n, 1024))
	}
	b := s.wbuf[:n]
	s.seq++
	binary.NativeEndian.PutUint32(b[0:4], uint32(n))
	binary.NativeEndian.PutUint16(b[4:6], typ)
	binary.NativeEndian.PutUint16(b[6:8], flags)
	binary.NativeEndian.PutUint32(b[8:12], s.seq)
	binary.NativeEndian.PutUint32(b[12:16], s.pid)
	b[16], b[17], b[18], b[19] = cmd, ver, 0, 0
	p := nlmsgHdrLen + genlHdrLen
	p += copy(b[p:], hdr)
	for ; p < nlmsgHdrLen+genlHdrLen+nlmsgAlign(len(hdr)); p++ {
		b[p] = 0
	}
	copy(b[p:], attrs)
	s.pending = nil
	s.fakeDump = flags&nlmFDump != 0
	return b
}

// next returns the next message answering request seq, reading datagrams
// as needed. Replies to earlier, abandoned requests on this socket are
// skipped; anything else not addressed to this request is an error. The
// message aliases the receive buffer until the next call.
func (s *sock) next(seq uint32) (nlMsg, error) {
	for {
		if len(s.pending) == 0 {
			b, err := s.recv()
			if err != nil {
				return nlMsg{}, err
			}
			s.pending = b
			continue
		}
		m, rest, err := splitMsg(s.pending)
		if err != nil {
			s.pending = nil
			return nlMsg{}, err
		}
		s.pending = rest
		if m.typ == nlmsgNoop {
			continue
		}
		if m.pid != s.pid && !(s.fake && m.pid == 0) {
			return nlMsg{}, errors.New("genl: reply for port " + strconv.FormatUint(uint64(m.pid), 10) +
				", want port " + strconv.FormatUint(uint64(s.pid), 10))
		}
		if m.seq == seq || (s.fake && m.seq == 0) {
			return m, nil
		}
		if s.stale(m.seq) {
			continue
		}
		return nlMsg{}, errors.New("genl: reply with sequence " + strconv.FormatUint(uint64(m.seq), 10) +
			", want " + strconv.FormatUint(uint64(seq), 10))
	}
}

// stale reports whether seq belongs to an earlier request on this socket.
func (s *sock) stale(seq uint32) bool {
	back := s.seq - seq
	return back > 0 && back < s.seq-s.seq0
}

// watch arranges for ctx's deadline or cancellation to unblock a pending
// read on s: the read deadline is set to ctx's deadline, and to a time in
// the past once ctx is done. unwatch undoes it.
func (s *sock) watch(ctx context.Context) {
	if d, ok := ctx.Deadline(); ok {
		_ = s.setReadDeadline(d)
		s.timeout = true
	}
	if ctx.Done() == nil {
		return
	}
	fired := make(chan struct{})
	s.fired = fired
	s.stop = context.AfterFunc(ctx, func() {
		_ = s.setReadDeadline(time.Unix(1, 0))
		close(fired)
	})
}

// unwatch removes what watch set up, waiting for a running cancellation
// callback so it cannot set a deadline on the socket's next exchange.
func (s *sock) unwatch() {
	if s.stop != nil {
		if !s.stop() {
			<-s.fired
			s.timeout = true
		}
		s.stop, s.fired = nil, nil
	}
	if s.timeout {
		_ = s.setReadDeadline(time.Time{})
		s.timeout = false
	}
}

// ctxErr turns a read error caused by ctx into ctx's error.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
			return context.DeadlineExceeded
		}
	}
	return err
}

// recvFake reads a batch through netlink.Conn.Receive for sockets without a
// descriptor (nltest fakes), and re-frames it as one datagram so the rest of
// the package parses fakes and the kernel alike. netlink.Conn turns an
// error ACK into an *netlink.OpError and swallows NLMSG_DONE, so both are
// rebuilt here; a batch without a final ACK (or DONE, for a dump) gets one,
// since fakes often omit it.
func (s *sock) recvFake() ([]byte, error) {
	msgs, err := s.nl.Receive()
	var out []byte
	var oe *netlink.OpError
	if err != nil {
		var errno syscall.Errno
		// An error ACK comes back as an OpError holding a bare errno; a
		// subscription socket gets no ACKs, only socket errors.
		if s.notify || !errors.As(err, &oe) || !errors.As(oe.Err, &errno) || oe.Op != "receive" {
			return nil, err
		}
		return appendFakeAck(out, s, oe.Sequence, errno, oe.Message, oe.Offset), nil
	}
	terminal := false
	for _, m := range msgs {
		h := m.Header
		out = appendFakeMsg(out, uint16(h.Type), uint16(h.Flags), h.Sequence, h.PID, m.Data)
		terminal = terminal || m.Header.Type == netlink.Error
	}
	if !terminal && s.fakeDump {
		out = appendFakeMsg(out, nlmsgDone, nlmFMulti, s.seq, s.pid, make([]byte, 4))
	} else if !terminal && !s.notify {
		out = appendFakeAck(out, s, s.seq, 0, "", 0)
	}
	return out, nil
}

func appendFakeAck(out []byte, s *sock, seq uint32, errno syscall.Errno, msg string, offs int) []byte {
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	data = append(data, make([]byte, nlmsgHdrLen)...) // echoed header, capped
	flags := uint16(nlmFCapped)
	if msg != "" || offs != 0 {
		flags |= nlmFAckTLVs
		e := NewEncoder(data)
		if msg != "" {
			e.String(nlmsgerrAttrMsg, msg)
		}
		if offs != 0 {
			e.Uint32(nlmsgerrAttrOffs, uint32(offs))
		}
		data = e.Bytes()
	}
	return appendFakeMsg(out, nlmsgError, flags, seq, s.pid, data)
}

func appendFakeMsg(out []byte, typ, flags uint16, seq, pid uint32, data []byte) []byte {
	out = binary.NativeEndian.AppendUint32(out, uint32(nlmsgHdrLen+len(data)))
	out = binary.NativeEndian.AppendUint16(out, typ)
	out = binary.NativeEndian.AppendUint16(out, flags)
	out = binary.NativeEndian.AppendUint32(out, seq)
	out = binary.NativeEndian.AppendUint32(out, pid)
	out = append(out, data...)
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	return out
}
