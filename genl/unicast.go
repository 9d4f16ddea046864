package genl

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// Socket is one netlink socket of its own, outside the Conn's pool, for
// families that send unsolicited messages to the socket that asked for
// them rather than to a multicast group. nl80211 is the example: the
// management frames a socket registers for (register-frame) are delivered
// only to that socket's port id, and the registration ends when the socket
// closes. Requests sent with Do go out on this socket, so the kernel
// records its port id; messages that answer no request (sequence number 0,
// the kernel's own port) are queued and returned by Receive.
//
// Do and Receive may be called from several goroutines; they take turns on
// the socket, so a Receive blocked waiting for a message holds up a Do
// until it returns (give Receive a deadline when both run at once).
type Socket struct {
	family *Family
	conn   *Conn
	s      *sock

	mu     sync.Mutex // serializes Do and Receive
	queue  []Message  // unsolicited messages read while waiting for replies
	closed atomic.Bool
	once   sync.Once
	err    error
}

// OpenSocket opens a socket of its own for requests to family and for the
// unsolicited unicast messages the kernel sends back to it. The Conn must
// be able to open sockets (Dial, or NewConn with a dial func). Close the
// Socket when done; closing the Conn leaves it open.
func (c *Conn) OpenSocket(ctx context.Context, family string) (*Socket, error) {
	fam, err := c.Family(ctx, family)
	if err != nil {
		return nil, err
	}
	if c.dial == nil {
		return nil, errors.New("genl: open socket needs a Conn that can open sockets (NewConn without a dial func)")
	}
	s, err := c.dialSock()
	if err != nil {
		if err == ErrClosed {
			return nil, err
		}
		return nil, fmt.Errorf("genl: open socket for %s: %w", fam.Name, err)
	}
	if c.isClosed() { // Close ran meanwhile: a request after Close fails
		_ = s.close()
		return nil, ErrClosed
	}
	return &Socket{family: fam, conn: c, s: s}, nil
}

// Family returns the family the socket talks to, as resolved when it was
// opened.
func (u *Socket) Family() *Family { return u.family }

// PortID returns the socket's netlink port id, the address the kernel
// sends its unicast messages to.
func (u *Socket) PortID() uint32 { return u.s.pid }

// Do sends req on the socket with NLM_F_ACK and returns the replies after
// the ACK, like Conn.Do. req.Family must be the socket's family. Unsolicited
// messages that arrive meanwhile are kept for Receive.
func (u *Socket) Do(ctx context.Context, req *Request) ([]Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, errNilRequest
	}
	fam := u.family
	if req.Family != fam.Name {
		return nil, errors.New("genl: socket of family " + fam.Name + " cannot send a request of family " + strconv.Quote(req.Family))
	}
	if err := fam.checkOp(req, false); err != nil {
		return nil, err
	}
	if err := fam.checkHeader(req); err != nil {
		return nil, err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed.Load() {
		return nil, ErrClosed
	}
	s := u.s
	u.queuePending()
	s.watch(ctx)
	defer s.unwatch()
	flags := uint16(nlmFRequest|nlmFAck) | uint16(req.Flags)
	if err := s.send(s.frame(fam.ID, flags, req.Command, fam.version(req), req.Header, req.Attrs)); err != nil {
		return nil, u.reqFailure(ctx, req, err)
	}
	msgs, err := u.readReplies(req)
	var kerr *Error
	if err != nil && !errors.As(err, &kerr) {
		return nil, u.reqFailure(ctx, req, err)
	}
	return msgs, err
}

// readReplies collects the replies to the request just sent up to its ACK.
func (u *Socket) readReplies(req *Request) ([]Message, error) {
	var msgs []Message
	for {
		m, err := u.next()
		if err != nil {
			return nil, err
		}
		switch m.typ {
		case nlmsgError:
			a, err := parseAck(m, false)
			if err != nil {
				return nil, err
			}
			if a.errno != 0 {
				return nil, newError(u.family.Name, req, &a)
			}
			if a.warning() {
				u.conn.warn(newError(u.family.Name, req, &a))
			}
			return msgs, nil
		case nlmsgDone:
			continue
		}
		gm, err := genlMessage(u.family, m)
		if err != nil {
			return nil, err
		}
		gm.Data = append([]byte(nil), gm.Data...)
		msgs = append(msgs, gm)
	}
}

// next returns the next message answering the latest request, queueing
// unsolicited messages of the family on the way.
func (u *Socket) next() (nlMsg, error) {
	s := u.s
	for {
		m, err := u.read()
		if err != nil {
			return nlMsg{}, err
		}
		switch {
		case m.seq == s.seq && (m.pid == s.pid || s.fake), s.fake && m.seq == 0:
			// Fakes may answer with sequence 0; they send nothing
			// unsolicited to a socket.
			return m, nil
		case u.unsolicited(m):
			u.queue = append(u.queue, u.message(m))
		case m.seq == 0 || s.stale(m.seq):
			// Sent on the kernel's own initiative but not a message of
			// the family, or a reply to an abandoned request.
		default:
			return nlMsg{}, errors.New("genl: " + u.family.Name + " socket: message with sequence " +
				strconv.FormatUint(uint64(m.seq), 10) + " for port " + strconv.FormatUint(uint64(m.pid), 10) +
				", want sequence " + strconv.FormatUint(uint64(s.seq), 10))
		}
	}
}

// queuePending keeps the unsolicited messages of the latest datagram
// that were not read yet: framing a request drops them.
func (u *Socket) queuePending() {
	for len(u.s.pending) > 0 {
		m, rest, err := splitMsg(u.s.pending)
		if err != nil {
			break
		}
		u.s.pending = rest
		if u.unsolicited(m) {
			u.queue = append(u.queue, u.message(m))
		}
	}
	u.s.pending = nil
}

// read returns the next netlink message on the socket, skipping no-ops.
func (u *Socket) read() (nlMsg, error) {
	s := u.s
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
		if m.typ != nlmsgNoop {
			return m, nil
		}
	}
}

// unsolicited reports whether m is a message the kernel sent on its own:
// sequence number 0, the family's type and a genl header.
func (u *Socket) unsolicited(m nlMsg) bool {
	return m.seq == 0 && m.typ == u.family.ID && len(m.data) >= genlHdrLen
}

// message copies an unsolicited message out of the receive buffer.
func (u *Socket) message(m nlMsg) Message {
	return Message{
		Family:  u.family.Name,
		Command: m.data[0],
		Version: m.data[1],
		Flags:   flagsOf(m),
		Data:    append([]byte(nil), m.data[genlHdrLen:]...),
	}
}

// Receive returns the next unsolicited message the kernel sent to the
// socket, waiting for one until ctx is done. Messages of other types
// (stray ACKs, other families) are skipped. The returned Data is owned by
// the caller.
func (u *Socket) Receive(ctx context.Context) (Message, error) {
	if err := ctx.Err(); err != nil {
		return Message{}, err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.closed.Load() {
		return Message{}, ErrClosed
	}
	if len(u.queue) > 0 {
		m := u.queue[0]
		u.queue = u.queue[1:]
		return m, nil
	}
	u.s.watch(ctx)
	defer u.s.unwatch()
	for {
		m, err := u.read()
		if err != nil {
			return Message{}, u.failure(ctx, err)
		}
		if u.unsolicited(m) {
			return u.message(m), nil
		}
	}
}

// failure turns a socket error into the error to report.
func (u *Socket) failure(ctx context.Context, err error) error {
	if u.closed.Load() {
		return ErrClosed
	}
	return ctxErr(ctx, err)
}

// reqFailure is failure for an exchange of req: an error of the socket
// or of the protocol says which family and op it was for.
func (u *Socket) reqFailure(ctx context.Context, req *Request, err error) error {
	err = u.failure(ctx, err)
	if err == ErrClosed || err == ctx.Err() || err == context.DeadlineExceeded {
		return err
	}
	return &requestError{family: u.family.Name, op: opLabel(req), err: err}
}

// Close closes the socket, which ends whatever the kernel tied to it (for
// nl80211, the frame registrations) and unblocks a pending Receive.
func (u *Socket) Close() error {
	u.once.Do(func() {
		u.closed.Store(true)
		u.err = u.s.close()
	})
	return u.err
}
