package genl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mdlayher/netlink"
)

// ErrNotSupported is returned by every function that needs a netlink socket
// on an operating system other than Linux.
var ErrNotSupported = errors.New("genl: not supported on " + runtime.GOOS + "/" + runtime.GOARCH)

// ErrClosed is returned by requests on a Conn (or a Subscription, or a
// Socket) after Close, and by requests that Close overtook. It matches
// net.ErrClosed too, as the standard library's closed sockets do.
var ErrClosed error = closedError{}

type closedError struct{}

func (closedError) Error() string { return "genl: use of closed connection" }

// Is makes errors.Is(ErrClosed, net.ErrClosed) hold.
func (closedError) Is(target error) bool { return target == net.ErrClosed }

// maxIdleSockets bounds how many idle sockets a Conn keeps for reuse. More
// sockets are opened while requests overlap (a request inside a dump loop,
// concurrent goroutines); the surplus is closed when they finish.
const maxIdleSockets = 4

// DialOptions configures Dial. The zero value (or a nil pointer) dials in the
// calling thread's network namespace with the default receive buffer and
// strict checking on.
type DialOptions struct {
	// NetNS is a file descriptor of a network namespace to open sockets in;
	// 0 means the network namespace of the thread calling Dial. The caller
	// keeps the descriptor open until Close: the Conn opens further sockets
	// (subscriptions, concurrent requests) in it.
	NetNS int
	// NetNSPath names a network namespace by path, such as
	// /run/netns/blue; the Conn keeps it open until Close. It is used when
	// NetNS is 0.
	NetNSPath string
	// ReceiveBuffer sets SO_RCVBUF on every socket; 0 keeps the default.
	ReceiveBuffer int
	// NoStrict leaves NETLINK_GET_STRICT_CHK off. By default it is
	// requested, and silently left off when the kernel refuses it.
	NoStrict bool
	// NoWatch leaves the family cache without its watcher of nlctrl's
	// notifications, a socket and a goroutine of their own: for a
	// short-lived program (a CLI doing one request), which needs neither.
	// The cache then learns of a family that was unregistered only when a
	// request to it fails (the retry after ENOENT), not before.
	NoWatch bool
	// ReceiveSize is the size of the buffer each datagram is first read
	// into (a larger datagram still grows it, nothing is truncated). The
	// kernel sizes the datagrams of a dump after the reader's buffer, so a
	// small size (pyynl's --dbg-small-recv, 4000) gives dumps of many small
	// datagrams. 0 keeps the default (32 KiB; 8 KiB for subscriptions).
	ReceiveSize int
	// OnReceive, if set, is called with every datagram a socket of the
	// Conn reads (requests and subscriptions), before it is parsed, for
	// debugging. The slice is only valid during the call.
	OnReceive func(datagram []byte)
	// OnWarning is called with the extended-ACK warning the kernel attached
	// to a successful request (an *Error with Errno 0). It may be called
	// from several goroutines at once.
	OnWarning func(*Error)
}

// Conn is a generic netlink connection: a small pool of netlink sockets,
// a cache of resolved families and, once a family has been resolved, a
// watcher of nlctrl's notifications that keeps the cache fresh.
//
// A Conn is safe for concurrent use. Each request takes a socket of its own
// from the pool for its whole exchange (a dump holds one until the loop
// ends), so concurrent requests and requests issued from inside a dump loop
// proceed without waiting for each other; see the package documentation.
type Conn struct {
	opts    DialOptions
	dial    func() (*netlink.Conn, error) // nil: only the first socket exists
	cleanup func()                        // releases resources of Dial (netns fd)

	mu     sync.Mutex
	idle   []*sock
	all    map[*sock]struct{}
	wake   chan struct{} // signals an idle socket to waiters when dial is nil
	closed bool
	// dialing counts dials in flight: Close waits for them before it
	// releases the network namespace descriptor they enter.
	dialing sync.WaitGroup

	res    resolver
	isFake bool          // sockets without a descriptor (test fakes)
	sent   atomic.Uint64 // requests sent, for tests
}

// Request is one generic netlink request.
type Request struct {
	// Family is the family name, resolved (and cached) through nlctrl.
	Family string
	// Command is the genl command (op) id.
	Command uint8
	// Version is the genl header version; 0 sends the version the kernel
	// reports for the family.
	Version uint8
	// Flags holds extra NLM_F_* flags: netlink.Create, Excl, Replace,
	// Append. NLM_F_REQUEST, NLM_F_ACK and NLM_F_DUMP are set by Do and Dump.
	Flags netlink.HeaderFlags
	// Header is the family's fixed header (after the genl header, before the
	// attributes), or nil.
	Header []byte
	// Attrs holds the encoded attributes.
	Attrs []byte
	// OpName names the op in errors; "cmd N" is used when empty.
	OpName string
	// Names names the request's attributes in error paths; may be nil.
	Names AttrNamer
}

// Message is one reply or notification.
type Message struct {
	// Family is the family name.
	Family string
	// Command is the genl command of the message.
	Command uint8
	// Version is the genl header version of the message.
	Version uint8
	// Flags holds the netlink header flags (netlink.Multi,
	// netlink.DumpInterrupted, ...).
	Flags netlink.HeaderFlags
	// Data is everything after the genl header: the fixed header, if the
	// family has one, then the attributes.
	Data []byte
	// NSID is the id, in the subscriber's namespace, of the network
	// namespace a notification came from: set only on a subscription that
	// listens to all namespaces (ListenAllNSID) and for namespaces other
	// than its own.
	NSID Opt[int32]
}

// Close closes every socket of the Conn, which unblocks requests still
// waiting for replies, and stops the family watcher. Subscriptions have
// sockets of their own and stay open until their own Close.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	socks := make([]*sock, 0, len(c.all))
	for s := range c.all {
		socks = append(socks, s)
	}
	c.idle = nil
	c.mu.Unlock()

	c.res.stopWatch()
	var first error
	for _, s := range socks {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	// A dial in flight enters the namespace by its descriptor: closing
	// that under it would fail the dial ("setns: bad file descriptor"),
	// or enter whatever reused the number.
	c.dialing.Wait()
	if c.cleanup != nil {
		c.cleanup()
	}
	return first
}

// newConnPool sets up the shared parts of a Conn around its first socket.
func newConnPool(first *sock, dial func() (*netlink.Conn, error), opts DialOptions) *Conn {
	c := &Conn{
		opts: opts,
		dial: dial,
		all:  map[*sock]struct{}{first: {}},
		idle: []*sock{first},
		wake: make(chan struct{}, 1),

		isFake: first.fake,
	}
	c.res.init(c)
	return c
}

// getSock takes an idle socket, or opens a new one. Without a dial func it
// waits for the single socket until ctx is done.
func (c *Conn) getSock(ctx context.Context) (*sock, error) {
	for {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil, ErrClosed
		}
		if n := len(c.idle); n > 0 {
			s := c.idle[n-1]
			c.idle = c.idle[:n-1]
			c.mu.Unlock()
			return s, nil
		}
		canDial := c.dial != nil
		c.mu.Unlock()
		if canDial {
			return c.openSock()
		}
		select {
		case <-c.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// dialSock opens a socket with the Conn's dial func, unless the Conn is
// closed: a dial that Close overtakes returns ErrClosed, and Close waits
// for it to finish before releasing what it dials in.
func (c *Conn) dialSock() (*sock, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	c.dialing.Add(1)
	c.mu.Unlock()
	defer c.dialing.Done()
	nc, err := c.dial()
	if err != nil {
		if c.isClosed() {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("dial: %w", err)
	}
	s, err := newSock(nc, &c.opts)
	if err != nil {
		_ = nc.Close()
		return nil, err
	}
	return s, nil
}

func (c *Conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// openSock dials and configures one more socket for the pool.
func (c *Conn) openSock() (*sock, error) {
	s, err := c.dialSock()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		_ = s.close()
		return nil, ErrClosed
	}
	c.all[s] = struct{}{}
	return s, nil
}

// putSock returns s to the pool. A socket left in an unknown state (a
// request abandoned mid-way) is closed instead when another can be dialed;
// without a dial func it is drained and kept (replies that still arrive
// later are recognised by their sequence numbers and skipped).
func (c *Conn) putSock(s *sock) {
	if s.dirty && c.dial == nil {
		s.discardPending()
		s.dirty = false
	}
	c.mu.Lock()
	keep := !c.closed && len(c.idle) < maxIdleSockets && !s.dirty
	if keep {
		c.idle = append(c.idle, s)
	} else {
		delete(c.all, s)
	}
	c.mu.Unlock()
	if !keep {
		_ = s.close()
		return
	}
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// warn hands a warning to DialOptions.OnWarning.
func (c *Conn) warn(e *Error) {
	if c.opts.OnWarning != nil {
		c.opts.OnWarning(e)
	}
}

// fake reports whether the Conn runs over sockets without a descriptor
// (test fakes).
func (c *Conn) fake() bool { return c.isFake }

// failure turns an error of an exchange that did not complete into the
// error to report: ErrClosed after Close, ctx's error when ctx caused it.
func (c *Conn) failure(ctx context.Context, err error) error {
	if c.isClosed() {
		return ErrClosed
	}
	return ctxErr(ctx, err)
}

// reqFailure is failure for an exchange of req with fam: an error of the
// socket or of the protocol says which family and op it was for.
func (c *Conn) reqFailure(ctx context.Context, fam *Family, req *Request, err error) error {
	err = c.failure(ctx, err)
	if err == ErrClosed || err == ctx.Err() || err == context.DeadlineExceeded {
		return err
	}
	return &requestError{family: fam.Name, op: opLabel(req), err: err}
}

// requestError is a failure of one request's exchange that is not the
// kernel's answer: a socket or protocol error.
type requestError struct {
	family, op string
	err        error
}

func (e *requestError) Error() string {
	label := e.op
	if e.family != "" {
		label = e.family + " " + e.op
	}
	return "genl: " + label + ": " + strings.TrimPrefix(e.err.Error(), "genl: ")
}

func (e *requestError) Unwrap() error { return e.err }

// resolveFailure names req's family and op in a socket or protocol error
// of resolving the family (nlctrl's getfamily) for it.
func resolveFailure(req *Request, err error) error {
	var re *requestError
	if !errors.As(err, &re) || re.family == req.Family {
		return err
	}
	return &requestError{family: req.Family, op: opLabel(req) + " (resolving the family: " + re.family + " " + re.op + ")", err: re.err}
}
