package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"iter"
	"strconv"

	"github.com/mdlayher/netlink"
)

// Classic netlink protocol numbers (linux/netlink.h) of the netlink-raw
// families the kernel has specs for.
const (
	ProtoRoute     = 0  // NETLINK_ROUTE: rtnetlink (links, addresses, routes, tc)
	ProtoNetfilter = 12 // NETLINK_NETFILTER: nfnetlink (nftables, conntrack)
)

// RequestFlag is a flag a classic netlink request may carry to say what a
// "new" message does to an existing object. Generated raw clients take
// them as options of their methods:
//
//	err := c.Newaddr(ctx, req, genl.Create, genl.Excl)
type RequestFlag uint16

// The request flags with their kernel values (linux/netlink.h).
const (
	Replace RequestFlag = 0x100 // NLM_F_REPLACE: override an existing object
	Excl    RequestFlag = 0x200 // NLM_F_EXCL: fail if the object exists
	Create  RequestFlag = 0x400 // NLM_F_CREATE: create the object if it does not exist
	Append  RequestFlag = 0x800 // NLM_F_APPEND: add to the end of a list
	// Echo (NLM_F_ECHO) asks the kernel to send the notification of the
	// request back to the requester too. Some "get" ops answer only so:
	// tc's gettclass sends its reply as a notification.
	Echo RequestFlag = 0x8
)

// String names the flags as "create|excl".
func (f RequestFlag) String() string {
	var b []byte
	for _, n := range []struct {
		f    RequestFlag
		name string
	}{{Create, "create"}, {Excl, "excl"}, {Replace, "replace"}, {Append, "append"}, {Echo, "echo"}} {
		if f&n.f != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, n.name...)
			f &^= n.f
		}
	}
	if f != 0 || len(b) == 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = append(b, "0x"+strconv.FormatUint(uint64(f), 16)...)
	}
	return string(b)
}

// Flags combines request flags into netlink header flags.
func Flags(flags ...RequestFlag) netlink.HeaderFlags {
	var f netlink.HeaderFlags
	for _, x := range flags {
		f |= netlink.HeaderFlags(x)
	}
	return f
}

// RawConn is a classic netlink connection: a pool of sockets of one
// protocol (NETLINK_ROUTE, NETLINK_NETFILTER), whose message types are the
// families' op values and whose messages start with a fixed header (struct
// ifinfomsg, nfgenmsg, ...) instead of a genl header. It shares the
// socket handling, extended ACKs, strict checking, cancellation, the
// attribute codec and the error type with Conn; Subscribe joins the
// protocol's numbered groups and Batch sends nfnetlink transactions.
//
// A RawConn is safe for concurrent use, like Conn.
type RawConn struct {
	c     *Conn
	proto int
}

// RawRequest is one classic netlink request.
type RawRequest struct {
	// Family names the family in errors ("rt-link").
	Family string
	// Type is the netlink message type: the op's request value (RTM_NEWLINK
	// is 16).
	Type uint16
	// Flags holds extra NLM_F_* flags (Flags(Create, Excl)); NLM_F_REQUEST,
	// NLM_F_ACK and NLM_F_DUMP are set by Do, Dump and Batch.
	Flags netlink.HeaderFlags
	// Header is the fixed header, sent first (padded to 4 bytes).
	Header []byte
	// Attrs holds the encoded attributes that follow the header.
	Attrs []byte
	// OpName names the op in errors; "type N" is used when empty.
	OpName string
	// Names names the request's attributes in error paths; may be nil.
	Names AttrNamer
	// Layout names the fields of Header in error paths; may be nil.
	Layout *HeaderLayout
}

// RawMessage is one reply or notification of a classic netlink family.
type RawMessage struct {
	// Type is the netlink message type (RTM_NEWLINK, ...).
	Type uint16
	// Flags holds the netlink header flags (netlink.Multi,
	// netlink.DumpInterrupted, ...).
	Flags netlink.HeaderFlags
	// Seq and PID are the header's sequence number and port id; a
	// notification the kernel sent on its own has PID 0.
	Seq, PID uint32
	// Data is everything after the netlink header: the fixed header, then
	// the attributes.
	Data []byte
	// NSID is the id of the network namespace a notification came from,
	// as in Message.NSID (RawSubscription.ListenAllNSID).
	NSID Opt[int32]
}

// HeaderLayout describes a fixed header, so that an error the kernel
// reports inside it names the field.
type HeaderLayout struct {
	// Name is the header's struct name ("ifaddrmsg").
	Name string
	// Fields lists its members in order.
	Fields []HeaderField
}

// HeaderField is one member of a fixed header.
type HeaderField struct {
	Name         string
	Offset, Size int
}

// FieldAt names the member holding byte off of the header:
// "ifaddrmsg.ifa-index", or "ifaddrmsg+N" between members.
func (l *HeaderLayout) FieldAt(off int) string {
	if l == nil {
		return "+" + strconv.Itoa(off)
	}
	for _, f := range l.Fields {
		if off >= f.Offset && off < f.Offset+f.Size {
			return l.Name + "." + f.Name
		}
	}
	return l.Name + "+" + strconv.Itoa(off)
}

// Protocol returns the netlink protocol number of the connection.
func (r *RawConn) Protocol() int { return r.proto }

// Close closes every socket of the connection. Subscriptions stay open
// until their own Close.
func (r *RawConn) Close() error { return r.c.Close() }

// Do sends req with NLM_F_ACK and returns the replies that came before the
// ACK (often none: most classic netlink ops only acknowledge). The
// returned Data is owned by the caller. A kernel error is an *Error whose
// AttrPath or HeaderField names what the kernel pointed at.
func (r *RawConn) Do(ctx context.Context, req *RawRequest) ([]RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, errNilRawRequest
	}
	c := r.c
	s, err := c.getSock(ctx)
	if err != nil {
		return nil, c.rawFailure(ctx, req, err)
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()
	flags := uint16(nlmFRequest|nlmFAck) | uint16(req.Flags)
	if err := s.send(s.frameRaw(req.Type, flags, req.Header, req.Attrs)); err != nil {
		return nil, c.rawFailure(ctx, req, err)
	}
	c.sent.Add(1)
	s.dirty = true
	msgs, err := r.readReplies(s, req)
	var kerr *Error
	if err == nil || errors.As(err, &kerr) {
		s.dirty = false
	}
	if err != nil && kerr == nil {
		return nil, c.rawFailure(ctx, req, err)
	}
	return msgs, err
}

var errNilRawRequest = errors.New("genl: nil *RawRequest")

// readReplies collects the replies to the request just sent on s up to its
// ACK.
func (r *RawConn) readReplies(s *sock, req *RawRequest) ([]RawMessage, error) {
	var msgs []RawMessage
	for {
		m, err := s.next(s.seq)
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
				return nil, newRawError(req, &a)
			}
			if a.warning() {
				r.c.warn(newRawError(req, &a))
			}
			return msgs, nil
		case nlmsgDone:
			continue
		case nlmsgOverrun:
			return nil, errOverrunMsg
		}
		rm := rawMessage(m)
		rm.Data = append([]byte(nil), m.data...)
		msgs = append(msgs, rm)
	}
}

func rawMessage(m nlMsg) RawMessage {
	return RawMessage{Type: m.typ, Flags: flagsOf(m), Seq: m.seq, PID: m.pid, Data: m.data}
}

// Dump sends req with NLM_F_DUMP and streams the replies. Message.Data is
// valid only until the next iteration. Breaking out of the loop reads and
// discards the rest, so the socket stays usable. When the kernel flags the
// dump as interrupted (NLM_F_DUMP_INTR), Dump yields all the data, then an
// error matching ErrDumpInterrupted. With strict checking (on unless
// DialOptions.NoStrict) the kernel filters dumps by the fixed header's
// fields (ifa_index, rtm_table, ...) and rejects fields it cannot filter
// by; without it, the filters are ignored.
func (r *RawConn) Dump(ctx context.Context, req *RawRequest) iter.Seq2[RawMessage, error] {
	return func(yield func(RawMessage, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(RawMessage{}, err)
			return
		}
		if req == nil {
			yield(RawMessage{}, errNilRawRequest)
			return
		}
		if err := r.dump(ctx, req, yield); err != nil {
			yield(RawMessage{}, err)
		}
	}
}

// dump runs one dump exchange; the returned error is for the caller to
// yield (nil when the consumer stopped the loop).
func (r *RawConn) dump(ctx context.Context, req *RawRequest, yield func(RawMessage, error) bool) error {
	c := r.c
	s, err := c.getSock(ctx)
	if err != nil {
		return c.rawFailure(ctx, req, err)
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()
	flags := uint16(nlmFRequest|nlmFDump) | uint16(req.Flags)
	if err := s.send(s.frameRaw(req.Type, flags, req.Header, req.Attrs)); err != nil {
		return c.rawFailure(ctx, req, err)
	}
	c.sent.Add(1)
	s.dirty = true
	err = r.readDump(ctx, s, req, yield)
	var kerr *Error
	switch {
	case errors.Is(err, errStopped):
		if c.drain(s) == nil {
			s.dirty = false
		}
		return nil
	case err == nil || errors.As(err, &kerr) || errors.Is(err, ErrDumpInterrupted):
		s.dirty = false
		return err
	}
	return c.rawFailure(ctx, req, err)
}

// readDump yields the replies of the dump just sent on s until its
// NLMSG_DONE.
func (r *RawConn) readDump(ctx context.Context, s *sock, req *RawRequest, yield func(RawMessage, error) bool) error {
	intr := false
	for {
		m, err := s.next(s.seq)
		if err != nil {
			return err
		}
		intr = intr || m.flags&nlmFDumpIntr != 0
		switch m.typ {
		case nlmsgError, nlmsgDone:
			a, err := parseAck(m, m.typ == nlmsgDone)
			if err != nil {
				return err
			}
			switch {
			case a.errno != 0:
				return newRawError(req, &a)
			case a.warning():
				r.c.warn(newRawError(req, &a))
			}
			if intr {
				return &dumpIntrError{family: req.Family, op: rawOpLabel(req)}
			}
			return nil
		case nlmsgOverrun:
			return errOverrunMsg
		case nlmsgNoop:
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !yield(rawMessage(m), nil) {
			return errStopped
		}
	}
}

// frameRaw builds a classic netlink request (no genl header) in the reused
// send buffer and assigns it the next sequence number.
func (s *sock) frameRaw(typ, flags uint16, hdr, attrs []byte) []byte {
	s.seq++
	s.wbuf = appendRawMsg(s.wbuf[:0], typ, flags, s.seq, s.pid, hdr, attrs)
	s.pending = nil
	s.fakeDump = flags&nlmFDump != 0
	return s.wbuf
}

// appendRawMsg appends one classic netlink message to b.
func appendRawMsg(b []byte, typ, flags uint16, seq, pid uint32, hdr, attrs []byte) []byte {
	n := nlmsgHdrLen + nlmsgAlign(len(hdr)) + len(attrs)
	start := len(b)
	b = append(b, make([]byte, nlmsgAlign(n))...)
	m := b[start:]
	putNlmsghdr(m, uint32(n), typ, flags, seq, pid)
	copy(m[nlmsgHdrLen:], hdr)
	copy(m[nlmsgHdrLen+nlmsgAlign(len(hdr)):], attrs)
	return b
}

// rawOpLabel names a raw request's op for errors.
func rawOpLabel(req *RawRequest) string {
	if req.OpName != "" {
		return req.OpName
	}
	return "type " + strconv.Itoa(int(req.Type))
}

// rawFailure is failure for an exchange of req: an error of the socket or
// of the protocol says which family and op it was for.
func (c *Conn) rawFailure(ctx context.Context, req *RawRequest, err error) error {
	err = c.failure(ctx, err)
	if err == ErrClosed || err == ctx.Err() || err == context.DeadlineExceeded {
		return err
	}
	return &requestError{family: req.Family, op: rawOpLabel(req), err: err}
}

// rawLabel is "family op" for error messages.
func rawLabel(req *RawRequest) string {
	if req.Family == "" {
		return rawOpLabel(req)
	}
	return req.Family + " " + rawOpLabel(req)
}

// newRawError builds the *Error of an ACK of req: the kernel's offsets
// count from the request's nlmsghdr, which here is followed directly by
// the fixed header, so an offset inside the header names its field and
// one past it names the attribute path.
func newRawError(req *RawRequest, a *ackInfo) *Error {
	// newError counts offsets past a genl header; shift ours by one.
	b := *a
	if b.offs >= 0 {
		b.offs += genlHdrLen
	}
	if b.missNest >= 0 {
		b.missNest += genlHdrLen
	}
	e := newError(req.Family, &Request{OpName: rawOpLabel(req), Header: req.Header, Attrs: req.Attrs, Names: req.Names}, &b)
	if e.Family == "" {
		e.Family = "netlink"
	}
	if a.offs >= nlmsgHdrLen && a.offs < nlmsgHdrLen+len(req.Header) {
		e.HeaderField = req.Layout.FieldAt(a.offs - nlmsgHdrLen)
	}
	return e
}

// putNlmsghdr writes a netlink message header at the start of b.
func putNlmsghdr(b []byte, n uint32, typ, flags uint16, seq, pid uint32) {
	binary.NativeEndian.PutUint32(b[0:4], n)
	binary.NativeEndian.PutUint16(b[4:6], typ)
	binary.NativeEndian.PutUint16(b[6:8], flags)
	binary.NativeEndian.PutUint32(b[8:12], seq)
	binary.NativeEndian.PutUint32(b[12:16], pid)
}

// NewRawConn wraps an existing classic netlink connection of protocol
// proto (tests, fake kernels such as genltest's NewRaw). dial, if
// non-nil, opens further sockets like c for the pool and for
// subscriptions; without it requests wait for each other and Subscribe
// fails. As NewConn, it turns on extended ACKs and strict checking where
// the socket supports them, and the RawConn owns c.
func NewRawConn(c *netlink.Conn, dial func() (*netlink.Conn, error), proto int) (*RawConn, error) {
	gc, err := NewConn(c, dial)
	if err != nil {
		return nil, err
	}
	return &RawConn{c: gc, proto: proto}, nil
}
