// Package genl is the runtime for Linux generic netlink families: a
// connection that resolves families through nlctrl, sends requests, streams
// dumps, decodes kernel errors with their extended ACK detail, and receives
// multicast notifications. Generated family packages and the ynl command
// share it.
//
// Sockets come from github.com/mdlayher/netlink (and the protocol number
// from github.com/mdlayher/genetlink): opening, binding, entering network
// namespaces, socket options, group membership and deadlines are theirs.
// The package frames requests and reads replies itself, through the
// socket's descriptor and the runtime poller, to keep every extended ACK
// attribute, to reuse its buffers and to stay in step with the ACK of every
// request.
//
// A request names its family; the Conn resolves (and caches) the id:
//
//	c, err := genl.Dial(ctx, nil)
//	if err != nil {
//		return err
//	}
//	defer c.Close()
//	var e genl.Encoder
//	h := e.Nest(1) // ETHTOOL_A_LINKINFO_HEADER
//	e.String(2, "eth0") // ETHTOOL_A_HEADER_DEV_NAME
//	e.End(h)
//	msgs, err := c.Do(ctx, &genl.Request{
//		Family: "ethtool", Command: 2, // ETHTOOL_MSG_LINKINFO_GET
//		Attrs: e.Bytes(), OpName: "linkinfo-get",
//	})
//
// # Concurrency
//
// A Conn is safe for concurrent use. It keeps a small pool of netlink
// sockets: each Do takes a socket for its whole exchange, and each Dump holds
// one until its loop ends, so replies can never interleave. A request that
// finds no idle socket opens another one (surplus sockets are closed when
// they come back), so goroutines do not wait for each other, and a request
// issued from inside a dump loop runs while the dump's socket is still busy.
// A Conn made by NewConn without a dial func has only its one socket;
// requests on it take turns, and one issued inside its own dump loop waits
// until ctx is done.
//
// Every call takes a context.Context. Its deadline becomes the socket's read
// deadline, and its cancellation sets a deadline in the past, so a pending
// read returns at once with ctx's error; no goroutine waits on ctx. A socket
// abandoned in the middle of an exchange is closed rather than reused (a
// Conn's only socket is drained instead). Every reply is checked against the
// request's sequence number and the socket's port; replies to an earlier,
// abandoned request on the same socket are skipped.
//
// # Network namespaces
//
// Sockets open in the network namespace named by DialOptions.NetNS (a file
// descriptor) or DialOptions.NetNSPath (such as /run/netns/blue). Without
// either, the namespace is that of the thread calling Dial, pinned at Dial
// time: sockets the Conn opens later, from any thread, land in the same
// namespace.
//
// # Errors
//
// A kernel error is an *Error. It wraps the errno, so errors.Is(err,
// unix.ENODEV) works, and carries the extended ACK: the message, the
// offending attribute as an offset into Request.Attrs and as a path of names
// taken from Request.Names (".header.dev-name", or ".1.2" without names),
// the missing attribute, the policy the kernel quoted and its cookie. Its
// text follows the kernel's C ynl:
//
//	ethtool linkinfo-get: no such device: ... (bad attribute: .header.dev-name)
//
// A family the kernel does not know yields an error matching os.ErrNotExist;
// a command the kernel does not list for the family yields one matching
// errors.ErrUnsupported, before anything is sent. Warnings the kernel
// attaches to a successful request go to DialOptions.OnWarning.
//
// Families are cached per Conn. The cache is kept fresh by a background
// subscription to nlctrl's notify group, started by the first lookup and
// stopped by Close, and a request that fails with ENOENT because its family
// was re-registered under a new id is retried once.
//
// # Dumps
//
// Dump returns an iter.Seq2 that streams the replies; the receive buffer is
// reused, so Message.Data is valid only until the next iteration. Breaking
// out of the loop drains the rest of the dump. A dump the kernel flags as
// interrupted (NLM_F_DUMP_INTR) yields all its data and then an error
// matching ErrDumpInterrupted.
//
//	for m, err := range c.Dump(ctx, &genl.Request{Family: "ethtool", Command: 2}) {
//		if err != nil {
//			return err
//		}
//		use(m.Data)
//	}
//
// # Subscriptions
//
// Subscribe joins multicast groups by name (NETLINK_ADD_MEMBERSHIP) on a
// socket of its own. Receive returns one notification; All streams them. An
// overrun of the socket's receive buffer (notifications lost) is reported as
// an error matching ErrOverrun, and the subscription keeps going. Close
// leaves the groups.
//
// # Unicast messages
//
// Some families send unsolicited messages to one socket rather than to a
// group: nl80211 delivers the management frames a socket registered for
// only to that socket's port. Conn.OpenSocket returns a Socket of its own
// for such a family; requests sent with its Do register the port, and its
// Receive returns the messages that answer no request.
//
// # Classic netlink
//
// DialRaw opens a RawConn for a classic netlink protocol (ProtoRoute for
// rtnetlink, ProtoNetfilter for nfnetlink), the transport of the kernel's
// netlink-raw specs. Its messages have no genl header: their type is the
// op's value and they start with a fixed header (struct ifinfomsg,
// nfgenmsg, ...). It shares Conn's socket pool, extended ACKs, strict
// checking (so dumps are filtered by the header's fields), cancellation,
// errors and attribute codec. An error the kernel points into the fixed
// header names the field (Error.HeaderField, through RawRequest.Layout);
// one inside a sub-message names the attribute in the format its
// selector chose (NameTable.Sub). Request flags are typed: Create, Excl,
// Replace, Append, Echo. Subscribe joins numbered groups (RTNLGRP_LINK is
// 1) and delivers every message type, known or not. Batch sends an
// nfnetlink transaction (NFNL_MSG_BATCH_BEGIN, the requests, END) in one
// sendmsg and maps each ACK back to its request; the kernel applies all of
// it or none.
//
// # Other systems
//
// Netlink exists only on Linux. Elsewhere the package builds, and Dial,
// DialRaw and NewConn return ErrNotSupported.
package genl
