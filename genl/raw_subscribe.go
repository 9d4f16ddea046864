package genl

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"sync/atomic"
	"syscall"
)

// RawGroup is a multicast group of a classic netlink protocol: its
// number (RTNLGRP_LINK is 1, NFNLGRP_NFTABLES 7) and its spec name for
// errors.
type RawGroup struct {
	Name string
	ID   uint32
}

// RawSubscription receives the multicast messages of the groups it
// joined, on a socket of its own. Receive and All may be called from
// several goroutines; they take turns.
type RawSubscription struct {
	family string
	groups []RawGroup
	s      *sock

	mu     sync.Mutex
	closed atomic.Bool
	once   sync.Once
	err    error
}

// Subscribe joins groups (NETLINK_ADD_MEMBERSHIP, never the bind-time
// mask) on a new socket. family names the family in errors.
func (r *RawConn) Subscribe(ctx context.Context, family string, groups ...RawGroup) (*RawSubscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("genl: subscribe to %s: no groups given", family)
	}
	c := r.c
	if c.dial == nil {
		return nil, errors.New("genl: subscribe needs a connection that can open sockets")
	}
	s, err := c.dialSock()
	if err != nil {
		if err == ErrClosed {
			return nil, err
		}
		return nil, fmt.Errorf("genl: subscribe to %s: %w", family, err)
	}
	nc := s.nl
	s.notify = true
	for _, g := range groups {
		if g.ID == 0 {
			_ = s.close()
			return nil, fmt.Errorf("genl: subscribe to %s: group %q has no number", family, g.Name)
		}
		if err := nc.JoinGroup(g.ID); err != nil && !s.fake {
			_ = s.close()
			return nil, fmt.Errorf("genl: subscribe to %s: join group %s (%d): %w", family, g.Name, g.ID, err)
		}
	}
	if c.isClosed() { // Close ran meanwhile: a request after Close fails
		_ = s.close()
		return nil, ErrClosed
	}
	return &RawSubscription{family: family, groups: groups, s: s}, nil
}

// Receive blocks for the next message. Every message of a family type
// (NLMSG_MIN_TYPE and up) is returned, whether or not the caller knows
// its type. A socket overrun returns an error matching ErrOverrun and the
// subscription keeps going. The returned Data is owned by the caller.
func (sub *RawSubscription) Receive(ctx context.Context) (RawMessage, error) {
	if err := ctx.Err(); err != nil {
		return RawMessage{}, err
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed.Load() {
		return RawMessage{}, ErrClosed
	}
	s := sub.s
	s.watch(ctx)
	defer s.unwatch()
	for {
		if len(s.pending) == 0 {
			b, err := s.recv()
			if err != nil {
				return RawMessage{}, sub.recvErr(ctx, err)
			}
			s.pending = b
			continue
		}
		m, rest, err := splitMsg(s.pending)
		if err != nil {
			s.pending = nil
			return RawMessage{}, err
		}
		s.pending = rest
		if m.typ < nlmsgMinType {
			continue // netlink's own control messages
		}
		rm := rawMessage(m)
		rm.Data = append([]byte(nil), m.data...)
		rm.NSID = s.nsid
		return rm, nil
	}
}

// ListenAllNSID makes the subscription receive the groups' messages from
// every network namespace that has an id in the subscriber's own, each
// with RawMessage.NSID set, as Subscription.ListenAllNSID does.
func (sub *RawSubscription) ListenAllNSID() error {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.s.listenAllNSID()
}

// nlmsgMinType is NLMSG_MIN_TYPE: types below are netlink's own.
const nlmsgMinType = 0x10

func (sub *RawSubscription) recvErr(ctx context.Context, err error) error {
	switch {
	case sub.closed.Load():
		return ErrClosed
	case errors.Is(err, syscall.ENOBUFS):
		return fmt.Errorf("genl: %s subscription: %w", sub.family, ErrOverrun)
	}
	return ctxErr(ctx, err)
}

// All streams messages until ctx is done or the subscription is closed,
// which end the stream quietly. Overruns are yielded as errors matching
// ErrOverrun and the stream continues; any other error ends it.
func (sub *RawSubscription) All(ctx context.Context) iter.Seq2[RawMessage, error] {
	return func(yield func(RawMessage, error) bool) {
		for {
			m, err := sub.Receive(ctx)
			switch {
			case err == nil:
			case errors.Is(err, ErrClosed) || ctx.Err() != nil ||
				errors.Is(err, context.DeadlineExceeded):
				return
			case errors.Is(err, ErrOverrun):
			default:
				yield(RawMessage{}, err)
				return
			}
			if !yield(m, err) {
				return
			}
		}
	}
}

// Close leaves the groups and closes the socket, which unblocks a pending
// Receive.
func (sub *RawSubscription) Close() error {
	sub.once.Do(func() {
		sub.closed.Store(true)
		for _, g := range sub.groups {
			_ = sub.s.nl.LeaveGroup(g.ID)
		}
		sub.err = sub.s.close()
	})
	return sub.err
}
