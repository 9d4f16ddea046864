package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
)

// Subscription receives a family's multicast notifications on a socket of
// its own. Receive and All may be called from several goroutines; they take
// turns.
type Subscription struct {
	family *Family
	groups []uint32
	s      *sock

	mu     sync.Mutex // serializes receivers
	closed atomic.Bool
	once   sync.Once
	err    error
}

// Subscribe joins the family's multicast groups, by name, on a new socket
// (NETLINK_ADD_MEMBERSHIP, never the bind-time mask). The Conn must be able
// to open sockets (Dial, or NewConn with a dial func).
func (c *Conn) Subscribe(ctx context.Context, family string, groups ...string) (*Subscription, error) {
	if len(groups) == 0 {
		return nil, fmt.Errorf("genl: subscribe to %s: no groups given", family)
	}
	fam, err := c.Family(ctx, family)
	if err != nil {
		return nil, err
	}
	ids := make([]uint32, 0, len(groups))
	for _, name := range groups {
		g, ok := fam.Group(name)
		if !ok {
			return nil, fmt.Errorf("genl: family %s has no multicast group %q (groups: %s)",
				fam.Name, name, groupNames(fam))
		}
		ids = append(ids, g.ID)
	}
	return c.subscribe(fam, ids)
}

// subscribe opens a socket and joins the groups ids of fam.
func (c *Conn) subscribe(fam *Family, ids []uint32) (*Subscription, error) {
	if c.dial == nil {
		return nil, errors.New("genl: subscribe needs a Conn that can open sockets (NewConn without a dial func)")
	}
	s, err := c.dialSock()
	if err != nil {
		if err == ErrClosed {
			return nil, err
		}
		return nil, fmt.Errorf("genl: subscribe to %s: %w", fam.Name, err)
	}
	nc := s.nl
	s.notify = true
	for _, id := range ids {
		// Fakes (nltest) cannot join groups; they serve notifications
		// to any socket that reads.
		if err := nc.JoinGroup(id); err != nil && !s.fake {
			_ = s.close()
			return nil, fmt.Errorf("genl: subscribe to %s: join group %d: %w", fam.Name, id, err)
		}
	}
	if c.isClosed() { // Close ran meanwhile: a request after Close fails
		_ = s.close()
		return nil, ErrClosed
	}
	return &Subscription{family: fam, groups: ids, s: s}, nil
}

func groupNames(f *Family) string {
	if len(f.Groups) == 0 {
		return "none"
	}
	names := make([]string, len(f.Groups))
	for i, g := range f.Groups {
		names[i] = g.Name
	}
	return strings.Join(names, ", ")
}

// Family returns the family the subscription listens to, as resolved when
// it was made.
func (sub *Subscription) Family() *Family { return sub.family }

// Receive blocks for the next notification of the family. A socket overrun
// (ENOBUFS: notifications were lost) returns an error matching ErrOverrun;
// the subscription keeps going after it. ctx's cancellation or deadline
// returns ctx's error promptly; after Close, Receive returns ErrClosed. The
// returned Data is owned by the caller.
func (sub *Subscription) Receive(ctx context.Context) (Message, error) {
	if err := ctx.Err(); err != nil {
		return Message{}, err
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed.Load() {
		return Message{}, ErrClosed
	}
	s := sub.s
	s.watch(ctx)
	defer s.unwatch()
	for {
		if len(s.pending) == 0 {
			b, err := s.recv()
			if err != nil {
				return Message{}, sub.recvErr(ctx, err)
			}
			s.pending = b
			continue
		}
		m, rest, err := splitMsg(s.pending)
		if err != nil {
			s.pending = nil
			return Message{}, err
		}
		s.pending = rest
		if m.typ != sub.family.ID || len(m.data) < genlHdrLen {
			continue // not a notification of the family
		}
		return Message{
			Family:  sub.family.Name,
			Command: m.data[0],
			Version: m.data[1],
			Flags:   flagsOf(m),
			Data:    append([]byte(nil), m.data[genlHdrLen:]...),
			NSID:    s.nsid,
		}, nil
	}
}

// ListenAllNSID makes the subscription receive the family's notifications
// from every network namespace that has an id in the subscriber's own
// (NETLINK_LISTEN_ALL_NSID; `ip netns set NAME ID` assigns one, and
// CAP_NET_BROADCAST is needed). Each such notification carries the id in
// Message.NSID; those of the own namespace carry none.
func (sub *Subscription) ListenAllNSID() error {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.s.listenAllNSID()
}

// recvErr classifies a receive error of the subscription.
func (sub *Subscription) recvErr(ctx context.Context, err error) error {
	switch {
	case sub.closed.Load():
		return ErrClosed
	case errors.Is(err, syscall.ENOBUFS):
		return fmt.Errorf("genl: %s subscription: %w", sub.family.Name, ErrOverrun)
	}
	return ctxErr(ctx, err)
}

// All streams notifications until ctx is done or the subscription is
// closed, which end the stream quietly. Overruns are yielded as errors
// matching ErrOverrun and the stream continues; any other error is yielded
// and ends it.
func (sub *Subscription) All(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for {
			m, err := sub.Receive(ctx)
			switch {
			case err == nil:
			case errors.Is(err, ErrClosed) || ctx.Err() != nil ||
				errors.Is(err, context.DeadlineExceeded): // the socket's deadline may fire first
				return
			case errors.Is(err, ErrOverrun):
			default:
				yield(Message{}, err)
				return
			}
			if !yield(m, err) {
				return
			}
		}
	}
}

// Close leaves the groups and closes the subscription's socket, which
// unblocks a pending Receive.
func (sub *Subscription) Close() error {
	sub.once.Do(func() {
		sub.closed.Store(true)
		for _, id := range sub.groups {
			_ = sub.s.nl.LeaveGroup(id)
		}
		sub.err = sub.s.close()
	})
	return sub.err
}
