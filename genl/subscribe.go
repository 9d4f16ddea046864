package genl

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
)

// Subscription receives a family's multicast notifications on a socket of
// its own. Receive and All may be called from several goroutines; they take
// turns.
type Subscription struct {
	family *Family
	sub    *subscription
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
	sub, err := c.joinGroups(fam.Name, ids, func(i int) string { return strconv.FormatUint(uint64(ids[i]), 10) })
	if err != nil {
		return nil, err
	}
	return &Subscription{family: fam, sub: sub}, nil
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
	m, nsid, err := sub.sub.receive(ctx, func(m nlMsg) bool {
		return m.typ == sub.family.ID && len(m.data) >= genlHdrLen // a notification of the family
	})
	if err != nil {
		return Message{}, err
	}
	return Message{
		Family:  sub.family.Name,
		Command: m.data[0],
		Version: m.data[1],
		Flags:   flagsOf(m),
		Data:    m.data[genlHdrLen:],
		NSID:    nsid,
	}, nil
}

// ListenAllNSID makes the subscription receive the family's notifications
// from every network namespace that has an id in the subscriber's own
// (NETLINK_LISTEN_ALL_NSID; `ip netns set NAME ID` assigns one, and
// CAP_NET_BROADCAST is needed). Each such notification carries the id in
// Message.NSID; those of the own namespace carry none.
func (sub *Subscription) ListenAllNSID() error { return sub.sub.listenAllNSID() }

// All streams notifications until ctx is done or the subscription is
// closed, which end the stream quietly. Overruns are yielded as errors
// matching ErrOverrun and the stream continues; any other error is yielded
// and ends it.
func (sub *Subscription) All(ctx context.Context) iter.Seq2[Message, error] {
	return all(ctx, sub.Receive)
}

// Close leaves the groups and closes the subscription's socket, which
// unblocks a pending Receive.
func (sub *Subscription) Close() error { return sub.sub.close() }
