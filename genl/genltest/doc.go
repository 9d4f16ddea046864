// Package genltest is a fake generic netlink kernel for unit tests of
// family clients. It serves requests through a real *genl.Conn, so
// generated clients and hand-written code run unchanged:
//
//	k := genltest.New()
//	k.AddFamily(genltest.Family{
//		Name: "demo", Version: 1, Groups: []string{"events"},
//		Ops: map[uint8]genltest.Handler{
//			1: func(req genltest.Request) ([]genltest.Reply, error) {
//				var e genl.Encoder
//				e.String(1, "hello")
//				return []genltest.Reply{{Attrs: e.Bytes()}}, nil
//			},
//		},
//	})
//	conn := k.Conn(t) // closed when the test ends
//	msgs, err := conn.Do(ctx, &genl.Request{Family: "demo", Command: 1})
//
// The fake kernel answers nlctrl's CTRL_CMD_GETFAMILY (by name, by id, and
// as a dump) for the families it holds, so genl.Conn's resolver works as
// against Linux, and it announces added and removed families on nlctrl's
// "notify" group. Handlers see each request's command, flags, version,
// fixed header and attribute bytes, and answer with replies or an error.
//
// # Typed fakes
//
// ynlgen generates, beside each family package, a typed fake built on
// this kernel (ethtool's is ethtooltest): a handler setter per do and dump
// that receives the decoded request and returns typed replies, a Notify
// method per notification, and HandleRaw for handlers like the above. Ops
// routes their requests; an *Error's AttrPath names the offending
// attribute by its ids instead of an offset.
//
// # Replies
//
// A do request gets each Reply as its own datagram, then an ACK. A dump
// gets its replies flagged NLM_F_MULTI, packed into one datagram unless a
// Reply sets Split, then NLMSG_DONE. A Reply with netlink.DumpInterrupted
// in Flags marks the dump interrupted (NLMSG_DONE carries the flag too).
//
// # Errors
//
// A handler's error becomes the kernel's error ACK: a syscall.Errno as
// is, an *Error with extended-ACK detail (message, offending attribute,
// missing attribute, quoted policy, cookie), anything else EINVAL with the
// error's text as the message. An *Error with Errno 0 is a warning on a
// successful ACK. A dump whose handler returns replies and an error ends
// with an NLMSG_DONE carrying the error, as Linux does for a dump that
// fails midway.
//
// # Notifications
//
// Notify sends a message to a family's multicast group; genl
// subscriptions receive it. Overrun makes the next read of every
// subscriber of a group fail with ENOBUFS, as a socket that lost
// notifications does.
//
// # Classic netlink
//
// NewRaw makes a kernel of a classic netlink protocol (NETLINK_ROUTE,
// NETLINK_NETFILTER) instead: AddRawFamily registers a family's request
// types, fixed header sizes and numbered groups, NewRawConn connects a
// genl.RawConn, and NotifyRaw multicasts. Replies carry their message
// type (Reply.Type), errors may point into the fixed header
// (Error.HeaderOffset), and nfnetlink batches are served request by
// request with RawFamily.BatchDone told whether the batch commits.
//
// # How it works
//
// Each socket of a Conn is one end of an AF_UNIX datagram socket pair
// exposed through netlink.Conn, with the descriptor available to
// genl.Conn's system calls: requests and replies cross a real socket, with
// real datagram boundaries, read deadlines and cancellation. The fake
// kernel answers a request while it is being sent, on the sender's
// goroutine, and queues the replies in memory, feeding them to the socket
// one datagram at a time as they are read.
package genltest
