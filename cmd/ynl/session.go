package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// session is a generic netlink family opened over a connection.
type session struct {
	fam  *dynamic.Family
	conn *genl.Conn
	sub  *dynamic.Subscription
}

func newSession(ctx context.Context, f *family.Family, o *options) (*session, error) {
	// One request and out: the family cache needs no watcher socket.
	opts := &genl.DialOptions{OnWarning: printWarning, ReceiveSize: o.smallRecv, NoWatch: true}
	if o.smallRecv > 0 {
		opts.OnReceive = printRecv
	}
	conn, err := genl.Dial(ctx, opts)
	if err != nil {
		return nil, err
	}
	fam, err := dynamic.Open(conn, f, &dynamic.Options{ProcessUnknown: o.unknown()})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &session{fam: fam, conn: conn}, nil
}

// printWarning shows an extended-ACK warning the kernel attached to a
// successful request, as the Python tool does.
func printWarning(e *genl.Error) {
	msg := e.Message
	if e.AttrPath != "" {
		msg += " (bad attribute: " + e.AttrPath + ")"
	}
	fmt.Fprintln(os.Stderr, "Netlink warning:", msg)
}

func (s *session) close() {
	if s.sub != nil {
		s.sub.Close()
	}
	s.conn.Close()
}

// send runs the prepared requests and prints the result: a do's replies
// (nothing, the reply or a list), a dump's list, or for --multi one list
// of every do's replies, all sent in one datagram as pyynl sends them.
func (s *session) send(ctx context.Context, p *printer, o *options, reqs []*prepared) error {
	if len(o.multi) > 0 {
		batch := make([]*genl.Request, len(reqs))
		for i, r := range reqs {
			batch[i] = r.req
		}
		replies, err := s.fam.DoBatch(ctx, batch)
		if err != nil {
			multiFailed(p, o, len(replies))
			return err
		}
		out := make([]any, len(replies))
		for i, r := range replies {
			out[i] = dynamic.ReplyValue(r)
		}
		return p.print(out)
	}
	if len(reqs) == 0 {
		return nil // --subscribe alone
	}
	r := reqs[0]
	if !r.dump {
		msgs, err := s.fam.DoRequest(ctx, r.req)
		if err != nil || (len(msgs) == 0 && !p.json) {
			// Without --output-json a do without reply prints nothing
			// (pyynl's pretty-printer prints None).
			return err
		}
		return p.print(dynamic.ReplyValue(msgs))
	}
	out := []*dynamic.Map{}
	intr := false
	for m, err := range s.fam.DumpRequest(ctx, r.req) {
		if errors.Is(err, genl.ErrDumpInterrupted) {
			fmt.Fprintln(os.Stderr, "ynl: warning:", err)
			intr = true
			continue
		}
		if err != nil {
			return err
		}
		out = append(out, m)
	}
	if err := p.print(out); err != nil {
		return err
	}
	if intr {
		// The dump was printed, but may be inconsistent: exit 1, as the
		// classic netlink path does.
		return &silentError{code: exitKernel}
	}
	return nil
}

// subscribe joins a multicast group, looked up in the running kernel's
// family as pyynl does: a group the spec lacks works too.
func (s *session) subscribe(ctx context.Context, group string, listenAll bool) error {
	kf, err := s.conn.Family(ctx, s.fam.Spec().Name)
	if err != nil {
		return err
	}
	if _, ok := kf.Group(group); !ok {
		var names []string
		for _, g := range kf.Groups {
			names = append(names, g.Name)
		}
		return usagef("family %s has no multicast group %q in the running kernel (groups: %s)", kf.Name, group, strings.Join(names, ", "))
	}
	sub, err := s.fam.Subscribe(ctx, group)
	if err != nil {
		return err
	}
	s.sub = sub
	if listenAll {
		return sub.ListenAllNSID()
	}
	return nil
}

// listen prints notifications as {"name": op, "msg": {...}} until the
// duration ends (0: until interrupted).
func (s *session) listen(ctx context.Context, p *printer, seconds float64) error {
	if seconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(seconds*float64(time.Second)))
		defer cancel()
	}
	for n, err := range s.sub.All(ctx) {
		switch {
		case errors.Is(err, genl.ErrOverrun):
			fmt.Fprintln(os.Stderr, "ynl: warning:", err)
			continue
		case err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)):
			// The duration ended or the user interrupted (the socket's
			// deadline may fire just before the context's timer).
			return nil
		case err != nil && n.Raw.Data == nil:
			return err
		case err != nil:
			fmt.Fprintln(os.Stderr, "ynl:", err)
			continue
		case n.Name == "":
			p.raw("Unexpected msg id while checking for ntf " + genlRepr(s.fam.Spec(), s.sub.Kernel().ID, n.Raw))
			continue
		}
		if err := p.print(n.Value()); err != nil {
			return err
		}
	}
	return nil
}
