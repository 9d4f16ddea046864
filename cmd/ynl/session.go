package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// session is a generic netlink connection for one family.
type session struct {
	f    *family.Family
	conn *genl.Conn
	sub  *genl.Subscription
	opts dynamic.Options
}

func newSession(ctx context.Context, f *family.Family, o *options) (*session, error) {
	conn, err := genl.Dial(ctx, &genl.DialOptions{OnWarning: printWarning})
	if err != nil {
		return nil, err
	}
	unknown := o.family != "" // the Python tool's default for installed specs
	if o.processUnknown != nil {
		unknown = *o.processUnknown
	}
	return &session{f: f, conn: conn, opts: dynamic.Options{ProcessUnknown: unknown}}, nil
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

// send runs one prepared do or dump and prints the result.
func (s *session) send(ctx context.Context, p *printer, r *prepared, flags netlink.HeaderFlags) error {
	req := &genl.Request{
		Family: s.f.Name, Command: uint8(r.op.RequestValue), Flags: flags,
		Header: r.hdr, Attrs: r.attrs, OpName: r.op.Name, Names: dynamic.NewNamer(r.op.AttrSet),
	}
	if r.mode == "do" {
		return s.do(ctx, p, r.op, req)
	}
	return s.dump(ctx, p, r.op, req)
}

func (s *session) do(ctx context.Context, p *printer, op *family.Op, req *genl.Request) error {
	msgs, err := s.conn.Do(ctx, req)
	if err != nil {
		return err
	}
	var out []*dynamic.Map
	for _, m := range msgs {
		v, err := s.decode(op, m.Data)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	if len(out) == 0 && !p.json {
		return nil
	}
	return p.print(replyValue(out))
}

func (s *session) dump(ctx context.Context, p *printer, op *family.Op, req *genl.Request) error {
	out := []*dynamic.Map{}
	for m, err := range s.conn.Dump(ctx, req) {
		if err != nil {
			if errors.Is(err, genl.ErrDumpInterrupted) {
				fmt.Fprintln(os.Stderr, "ynl: warning:", err)
				continue
			}
			return err
		}
		v, err := s.decode(op, m.Data)
		if err != nil {
			return err
		}
		out = append(out, v)
	}
	return p.print(out)
}

// decode decodes a reply or notification body of op.
func (s *session) decode(op *family.Op, data []byte) (*dynamic.Map, error) {
	m, err := dynamic.DecodeMessage(op.FixedHeader, op.AttrSet, data, s.opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", s.f.Name, op.Name, err)
	}
	return m, nil
}

// subscribe joins a multicast group of the family.
func (s *session) subscribe(ctx context.Context, group string) error {
	if s.f.McastGroup(group) == nil {
		return usagef("family %s has no multicast group %q (groups: %s)", s.f.Name, group, groupNames(s.f))
	}
	sub, err := s.conn.Subscribe(ctx, s.f.Name, group)
	if err != nil {
		return err
	}
	s.sub = sub
	return nil
}

func groupNames(f *family.Family) string {
	var names []string
	for _, g := range f.MulticastGroups {
		names = append(names, g.Name)
	}
	if len(names) == 0 {
		return "none"
	}
	return fmt.Sprint(names)
}

// listen prints notifications as {"name": op, "msg": {...}} until the
// duration ends (0: until interrupted).
func (s *session) listen(ctx context.Context, p *printer, seconds float64) error {
	if seconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(seconds*float64(time.Second)))
		defer cancel()
	}
	for m, err := range s.sub.All(ctx) {
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				// The duration ended or the user interrupted (the socket's
				// deadline may fire just before the context's timer).
				return nil
			}
			if errors.Is(err, genl.ErrOverrun) {
				fmt.Fprintln(os.Stderr, "ynl: warning:", err)
				continue
			}
			return err
		}
		if err := s.printNotification(p, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *session) printNotification(p *printer, m genl.Message) error {
	op := notificationOp(s.f, int(m.Command))
	if op == nil {
		fmt.Fprintf(os.Stderr, "ynl: notification with unknown command %d skipped\n", m.Command)
		return nil
	}
	v, err := s.decode(op, m.Data)
	if err != nil {
		return err
	}
	msg := &dynamic.Map{}
	msg.Set("name", op.Name)
	msg.Set("msg", v)
	return p.print(msg)
}
