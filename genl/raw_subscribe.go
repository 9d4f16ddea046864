package genl

import (
	"context"
	"fmt"
	"iter"
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
	sub *subscription
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
	ids := make([]uint32, len(groups))
	for i, g := range groups {
		if g.ID == 0 {
			return nil, fmt.Errorf("genl: subscribe to %s: group %q has no number", family, g.Name)
		}
		ids[i] = g.ID
	}
	sub, err := r.c.joinGroups(family, ids, func(i int) string { return fmt.Sprintf("%s (%d)", groups[i].Name, ids[i]) })
	if err != nil {
		return nil, err
	}
	return &RawSubscription{sub: sub}, nil
}

// Receive blocks for the next message. Every message of a family type
// (NLMSG_MIN_TYPE and up) is returned, whether or not the caller knows
// its type. A socket overrun returns an error matching ErrOverrun and the
// subscription keeps going. The returned Data is owned by the caller.
func (sub *RawSubscription) Receive(ctx context.Context) (RawMessage, error) {
	m, nsid, err := sub.sub.receive(ctx, func(m nlMsg) bool {
		return m.typ >= nlmsgMinType // below are netlink's own control messages
	})
	if err != nil {
		return RawMessage{}, err
	}
	rm := rawMessage(m)
	rm.NSID = nsid
	return rm, nil
}

// ListenAllNSID makes the subscription receive the groups' messages from
// every network namespace that has an id in the subscriber's own, each
// with RawMessage.NSID set, as Subscription.ListenAllNSID does.
func (sub *RawSubscription) ListenAllNSID() error { return sub.sub.listenAllNSID() }

// nlmsgMinType is NLMSG_MIN_TYPE: types below are netlink's own.
const nlmsgMinType = 0x10

// All streams messages until ctx is done or the subscription is closed,
// which end the stream quietly. Overruns are yielded as errors matching
// ErrOverrun and the stream continues; any other error ends it.
func (sub *RawSubscription) All(ctx context.Context) iter.Seq2[RawMessage, error] {
	return all(ctx, sub.Receive)
}

// Close leaves the groups and closes the socket, which unblocks a pending
// Receive.
func (sub *RawSubscription) Close() error { return sub.sub.close() }
