package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// nlmsgHdrLen is the size of struct nlmsghdr; types below nlmsgMinType
// (NLMSG_MIN_TYPE) are netlink's own control messages.
const (
	nlmsgHdrLen  = 16
	nlmsgMinType = 0x10
)

// rawSession is a classic netlink socket (netlink-raw specs: rt-link, ...).
type rawSession struct {
	f    *family.Family
	conn *netlink.Conn
	opts dynamic.Options
}

// runRaw runs --subscribe, --do and --dump of a netlink-raw family over a
// plain netlink socket of the spec's protocol number.
func runRaw(ctx context.Context, o *options, p *printer, f *family.Family, reqs []*prepared) error {
	conn, err := netlink.Dial(f.ProtoNum, nil)
	if err != nil {
		return fmt.Errorf("netlink protocol %d: %w", f.ProtoNum, err)
	}
	defer conn.Close()
	_ = conn.SetOption(netlink.ExtendedAcknowledge, true)
	s := &rawSession{f: f, conn: conn, opts: dynamic.Options{ProcessUnknown: o.unknown()}}
	if o.subscribe != "" {
		g := f.McastGroup(o.subscribe)
		if g == nil {
			return usagef("family %s has no multicast group %q (groups: %s)", f.Name, o.subscribe, groupNames(f))
		}
		if err := conn.JoinGroup(uint32(g.Value)); err != nil {
			return fmt.Errorf("join group %s: %w", g.Name, err)
		}
	}
	var multi []any
	for i, r := range reqs {
		v, err := s.send(r)
		if err != nil {
			multiFailed(p, o, i)
			return err
		}
		switch {
		case len(o.multi) > 0:
			multi = append(multi, v)
		case v != nil || p.json || r.dump:
			if err := p.print(v); err != nil {
				return err
			}
		}
	}
	if len(o.multi) > 0 {
		if err := p.print(multi); err != nil {
			return err
		}
	}
	if o.subscribe != "" {
		return s.listen(ctx, p, o.duration)
	}
	return nil
}

// send runs one prepared do or dump and returns what pyynl returns for
// it: a dump's list, a do's reply (nil for none, a list for several).
func (s *rawSession) send(r *prepared) (any, error) {
	op, hdr, attrs, extra := r.op, r.req.Header, r.req.Attrs, r.req.Flags
	flags := netlink.Request | netlink.Acknowledge
	if r.dump {
		flags = netlink.Request | netlink.Dump
	}
	data := append(append(hdr, make([]byte, (4-len(hdr)%4)%4)...), attrs...)
	msgs, err := s.conn.Execute(netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(op.RequestValue), Flags: flags | extra},
		Data:   data,
	})
	if err != nil {
		return nil, s.kernelError(op, len(data)-len(attrs), attrs, err)
	}
	if !r.dump {
		if msgs, err = s.awaitAck(msgs); err != nil {
			return nil, s.kernelError(op, len(data)-len(attrs), attrs, err)
		}
	}
	out := []*dynamic.Map{}
	for _, m := range msgs {
		if m.Header.Type < nlmsgMinType {
			continue // the ACK (NLMSG_ERROR with error 0) or NLMSG_DONE
		}
		v, err := dynamic.DecodeMessage(op.FixedHeader, op.AttrSet, m.Data, s.opts)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", s.f.Name, op.Name, err)
		}
		out = append(out, v)
	}
	if r.dump {
		return out, nil
	}
	return dynamic.ReplyValue(out), nil
}

// awaitAck reads on until the ACK of a do has arrived. Execute returns
// after the first datagram, and when the reply and the ACK come in two, the
// ACK stays queued and the next request on the socket (--multi) would read
// it as its own answer and fail with a sequence mismatch.
func (s *rawSession) awaitAck(msgs []netlink.Message) ([]netlink.Message, error) {
	_ = s.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer s.conn.SetReadDeadline(time.Time{})
	for !hasAck(msgs) {
		more, err := s.conn.Receive()
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, more...)
	}
	return msgs, nil
}

func hasAck(msgs []netlink.Message) bool {
	for _, m := range msgs {
		if m.Header.Type == netlink.Error {
			return true
		}
	}
	return false
}

// kernelError turns a netlink.OpError into a *genl.Error with the
// offending attribute named, so it prints like a generic netlink error.
func (s *rawSession) kernelError(op *family.Op, attrStart int, attrs []byte, err error) error {
	var oe *netlink.OpError
	var errno syscall.Errno
	if !errors.As(err, &oe) || !errors.As(err, &errno) {
		return err
	}
	ge := &genl.Error{Family: s.f.Name, Op: op.Name, Errno: errno, Message: oe.Message,
		Offset: -1, MissingType: -1, MissingNest: -1}
	if oe.Offset > 0 {
		ge.Offset = oe.Offset - nlmsgHdrLen - attrStart
		ge.AttrPath = attrPathAt(attrs, ge.Offset, dynamic.NewNamer(op.AttrSet))
	}
	return ge
}

// attrPathAt names the attribute that starts at (or contains) offset off
// of attrs: ".linkinfo.kind", with numbers where no name is known.
func attrPathAt(attrs []byte, off int, names genl.AttrNamer) string {
	path := ""
	for pos := 0; pos+4 <= len(attrs); {
		l := int(binary.NativeEndian.Uint16(attrs[pos:]))
		typ := binary.NativeEndian.Uint16(attrs[pos+2:]) & 0x3fff
		if l < 4 || pos+l > len(attrs) {
			break
		}
		if off >= pos && off < pos+l {
			name, nested := "", genl.AttrNamer(nil)
			if names != nil {
				name, nested = names.AttrName(typ)
			}
			if name == "" {
				name = itoa(int(typ))
			}
			path += "." + name
			if off == pos || nested == nil {
				return path
			}
			attrs, off, pos, names = attrs[pos+4:pos+l], off-pos-4, 0, nested
			continue
		}
		pos += (l + 3) &^ 3
	}
	return path
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

// listen prints notifications until the duration ends.
func (s *rawSession) listen(ctx context.Context, p *printer, seconds float64) error {
	var end time.Time
	if seconds > 0 {
		end = time.Now().Add(time.Duration(seconds * float64(time.Second)))
	}
	for ctx.Err() == nil && (end.IsZero() || time.Now().Before(end)) {
		deadline := time.Now().Add(200 * time.Millisecond) // wake to notice ctx
		if !end.IsZero() && end.Before(deadline) {
			deadline = end
		}
		_ = s.conn.SetReadDeadline(deadline)
		msgs, err := s.conn.Receive()
		if err != nil {
			if errors.Is(err, syscall.EAGAIN) || errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
				continue
			}
			if errors.Is(err, syscall.ENOBUFS) {
				fmt.Fprintln(p.errw(), "ynl: warning: notifications lost (socket overrun)")
				continue
			}
			return err
		}
		for _, m := range msgs {
			if err := s.printNotification(p, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.As(err, &te) && te.Timeout()
}

func (s *rawSession) printNotification(p *printer, m netlink.Message) error {
	op := dynamic.MessageOp(s.f, int(m.Header.Type))
	if op == nil {
		p.raw("Unexpected msg id while checking for ntf " + nlRepr(m.Header.Length, len(m.Data), uint16(m.Header.Flags), uint16(m.Header.Type)))
		return nil
	}
	v, err := dynamic.DecodeMessage(op.FixedHeader, op.AttrSet, m.Data, s.opts)
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.f.Name, op.Name, err)
	}
	msg := &dynamic.Map{}
	msg.Set("name", op.Name)
	msg.Set("msg", v)
	return p.print(msg)
}
