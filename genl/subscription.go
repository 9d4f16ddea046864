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

// subscription is the socket and state that Subscription (generic
// netlink) and RawSubscription (classic netlink) share: they differ only
// in which messages they keep and how they hand them out.
type subscription struct {
	family string // for errors
	groups []uint32
	s      *sock

	mu     sync.Mutex // serializes receivers
	closed atomic.Bool
	once   sync.Once
	err    error
}

// joinGroups opens a socket and joins the groups ids of family
// (NETLINK_ADD_MEMBERSHIP, never the bind-time mask); name(i) names
// ids[i] in errors.
func (c *Conn) joinGroups(family string, ids []uint32, name func(int) string) (*subscription, error) {
	if c.dial == nil {
		return nil, errors.New("genl: subscribe needs a Conn that can open sockets (NewConn without a dial func)")
	}
	s, err := c.dialSock()
	if err != nil {
		if err == ErrClosed {
			return nil, err
		}
		return nil, fmt.Errorf("genl: subscribe to %s: %w", family, err)
	}
	s.notify = true
	for i, id := range ids {
		// Fakes (nltest) cannot join groups; they serve notifications
		// to any socket that reads.
		if err := s.nl.JoinGroup(id); err != nil && !s.fake {
			_ = s.close()
			return nil, fmt.Errorf("genl: subscribe to %s: join group %s: %w", family, name(i), err)
		}
	}
	if c.isClosed() { // Close ran meanwhile: a request after Close fails
		_ = s.close()
		return nil, ErrClosed
	}
	return &subscription{family: family, groups: ids, s: s}, nil
}

// receive blocks for the next message that keep accepts and returns it
// with its data copied (the caller owns it) and the namespace id it came
// from.
func (sub *subscription) receive(ctx context.Context, keep func(nlMsg) bool) (nlMsg, Opt[int32], error) {
	if err := ctx.Err(); err != nil {
		return nlMsg{}, Opt[int32]{}, err
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed.Load() {
		return nlMsg{}, Opt[int32]{}, ErrClosed
	}
	s := sub.s
	s.watch(ctx)
	defer s.unwatch()
	for {
		if len(s.pending) == 0 {
			b, err := s.recv()
			if err != nil {
				return nlMsg{}, Opt[int32]{}, sub.recvErr(ctx, err)
			}
			s.pending = b
			continue
		}
		m, rest, err := splitMsg(s.pending)
		if err != nil {
			s.pending = nil
			return nlMsg{}, Opt[int32]{}, err
		}
		s.pending = rest
		if !keep(m) {
			continue
		}
		m.data = append([]byte(nil), m.data...)
		return m, s.nsid, nil
	}
}

// recvErr classifies a receive error of the subscription.
func (sub *subscription) recvErr(ctx context.Context, err error) error {
	switch {
	case sub.closed.Load():
		return ErrClosed
	case errors.Is(err, syscall.ENOBUFS):
		return fmt.Errorf("genl: %s subscription: %w", sub.family, ErrOverrun)
	}
	return ctxErr(ctx, err)
}

func (sub *subscription) listenAllNSID() error {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.s.listenAllNSID()
}

func (sub *subscription) close() error {
	sub.once.Do(func() {
		sub.closed.Store(true)
		for _, id := range sub.groups {
			_ = sub.s.nl.LeaveGroup(id)
		}
		sub.err = sub.s.close()
	})
	return sub.err
}

// all streams what receive returns until ctx is done or the subscription
// is closed, which end the stream quietly. Overruns are yielded as errors
// matching ErrOverrun and the stream continues; any other error is
// yielded and ends it.
func all[M any](ctx context.Context, receive func(context.Context) (M, error)) iter.Seq2[M, error] {
	return func(yield func(M, error) bool) {
		for {
			m, err := receive(ctx)
			switch {
			case err == nil:
			case errors.Is(err, ErrClosed) || ctx.Err() != nil ||
				errors.Is(err, context.DeadlineExceeded): // the socket's deadline may fire first
				return
			case errors.Is(err, ErrOverrun):
			default:
				var zero M
				yield(zero, err)
				return
			}
			if !yield(m, err) {
				return
			}
		}
	}
}
