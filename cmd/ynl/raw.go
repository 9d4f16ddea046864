package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// rawSession is a classic netlink connection (netlink-raw specs: rt-link,
// nftables, ...) over genl.RawConn: strict checking on, so dumps are
// filtered by the fixed header's fields as the kernel's Python tool does.
type rawSession struct {
	f    *family.Family
	conn *genl.RawConn
	sub  *genl.RawSubscription
	opts dynamic.Options
}

// runRaw runs --subscribe, --do, --dump and --multi of a netlink-raw
// family. --multi of a family with batch-begin and batch-end ops
// (nftables) is one atomic batch.
func runRaw(ctx context.Context, o *options, p *printer, f *family.Family, reqs []*prepared) error {
	conn, err := genl.DialRaw(ctx, f.ProtoNum, &genl.DialOptions{OnWarning: printWarning})
	if err != nil {
		return err
	}
	defer conn.Close()
	s := &rawSession{f: f, conn: conn, opts: dynamic.Options{ProcessUnknown: o.unknown()}}
	if o.subscribe != "" {
		g := f.McastGroup(o.subscribe)
		if g == nil {
			return usagef("family %s has no multicast group %q (groups: %s)", f.Name, o.subscribe, groupNames(f))
		}
		if s.sub, err = conn.Subscribe(ctx, f.Name, genl.RawGroup{Name: g.Name, ID: uint32(g.Value)}); err != nil {
			return err
		}
		defer s.sub.Close()
		if o.listenAllNSID {
			if err := s.sub.ListenAllNSID(); err != nil {
				return err
			}
		}
	}
	if begin, end := batchOps(f); len(o.multi) > 0 && begin != nil {
		if err := s.batch(ctx, p, begin, end, reqs); err != nil {
			return err
		}
	} else if err := s.sendEach(ctx, p, o, reqs); err != nil {
		return err
	}
	if o.subscribe != "" {
		return s.listen(ctx, p, o.duration)
	}
	return nil
}

// sendEach runs the requests one after another and prints the results:
// --multi's replies as one list, as pyynl does.
func (s *rawSession) sendEach(ctx context.Context, p *printer, o *options, reqs []*prepared) error {
	var multi []any
	intr := false
	for i, r := range reqs {
		v, err := s.send(ctx, r)
		if errors.Is(err, genl.ErrDumpInterrupted) {
			fmt.Fprintln(os.Stderr, "ynl: warning:", err)
			intr, err = true, nil
		}
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
	if intr {
		// The dump was printed, but may be inconsistent.
		return &silentError{code: exitKernel}
	}
	return nil
}

func (s *rawSession) request(r *prepared) *genl.RawRequest {
	return &genl.RawRequest{
		Family: s.f.Name, Type: uint16(r.op.RequestValue), Flags: r.req.Flags,
		Header: r.req.Header, Attrs: r.req.Attrs, OpName: r.op.Name, Names: r.req.Names,
		Layout: headerLayout(r.op.FixedHeader),
	}
}

// headerLayout describes a fixed header for error paths.
func headerLayout(d *family.Definition) *genl.HeaderLayout {
	if d == nil {
		return nil
	}
	l := &genl.HeaderLayout{Name: d.Name}
	for _, m := range d.Members {
		if m.Type != "pad" {
			l.Fields = append(l.Fields, genl.HeaderField{Name: m.Name, Offset: m.Offset, Size: m.Size})
		}
	}
	return l
}

// send runs one prepared do or dump and returns what pyynl returns for
// it: a dump's list, a do's reply (nil for none, a list for several). A
// dump the kernel flagged as interrupted returns its list with an error
// matching genl.ErrDumpInterrupted.
func (s *rawSession) send(ctx context.Context, r *prepared) (any, error) {
	req := s.request(r)
	if !r.dump {
		msgs, err := s.conn.Do(ctx, req)
		if err != nil {
			return nil, err
		}
		return s.replies(r.op, msgs)
	}
	out := []*dynamic.Map{}
	var intr error
	for m, err := range s.conn.Dump(ctx, req) {
		if errors.Is(err, genl.ErrDumpInterrupted) {
			intr = err
			continue
		}
		if err != nil {
			return nil, err
		}
		v, err := s.decode(r.op, m.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, intr
}

// replies decodes a do's replies into pyynl's shape.
func (s *rawSession) replies(op *family.Op, msgs []genl.RawMessage) (any, error) {
	var out []*dynamic.Map
	for _, m := range msgs {
		v, err := s.decode(op, m.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return dynamic.ReplyValue(out), nil
}

// batchOps returns a family's batch-begin and batch-end ops (nftables),
// or nils.
func batchOps(f *family.Family) (begin, end *family.Op) {
	begin, end = f.Operations.Op("batch-begin"), f.Operations.Op("batch-end")
	if begin == nil || end == nil || begin.RequestValue == 0 || end.RequestValue == 0 {
		return nil, nil
	}
	return begin, end
}

// batch sends the --multi dos as one nfnetlink transaction and prints
// their replies as one list. The begin and end messages' res-id names the
// subsystem of the batch's ops (the high byte of their message type).
func (s *rawSession) batch(ctx context.Context, p *printer, begin, end *family.Op, reqs []*prepared) error {
	rr := make([]*genl.RawRequest, len(reqs))
	for i, r := range reqs {
		if r.dump {
			return usagef("--multi op %s: a batch holds dos only", r.op.Name)
		}
		rr[i] = s.request(r)
	}
	hdr := func(op *family.Op) []byte {
		if op.FixedHeader == nil {
			return nil
		}
		b := make([]byte, op.FixedHeader.Size)
		for _, m := range op.FixedHeader.Members {
			if m.Name == "res-id" && m.Size == 2 && len(rr) > 0 {
				sub := rr[0].Type >> 8
				if m.ByteOrder == family.BigEndian {
					b[m.Offset], b[m.Offset+1] = byte(sub>>8), byte(sub)
				} else {
					b[m.Offset], b[m.Offset+1] = byte(sub), byte(sub>>8)
				}
			}
		}
		return b
	}
	b := &genl.RawRequest{Family: s.f.Name, Type: uint16(begin.RequestValue), OpName: begin.Name, Header: hdr(begin)}
	e := &genl.RawRequest{Family: s.f.Name, Type: uint16(end.RequestValue), OpName: end.Name, Header: hdr(end)}
	res, err := s.conn.Batch(ctx, b, rr, e)
	var be *genl.BatchError
	if errors.As(err, &be) {
		fmt.Fprintf(p.errw(), "ynl: --multi batch op #%d (%s) failed: the batch of %d was not applied\n", be.Index+1, be.Op, len(rr))
		return be.Err
	}
	if err != nil {
		return err
	}
	out := make([]any, len(res))
	for i, r := range res {
		if out[i], err = s.replies(reqs[i].op, r.Msgs); err != nil {
			return err
		}
	}
	return p.print(out)
}

func (s *rawSession) decode(op *family.Op, data []byte) (*dynamic.Map, error) {
	v, err := dynamic.DecodeMessage(op.FixedHeader, op.AttrSet, data, s.opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", s.f.Name, op.Name, err)
	}
	return v, nil
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

// listen prints notifications until the duration ends (0: until
// interrupted).
func (s *rawSession) listen(ctx context.Context, p *printer, seconds float64) error {
	if seconds > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(seconds*float64(time.Second)))
		defer cancel()
	}
	for m, err := range s.sub.All(ctx) {
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				return nil
			}
			if errors.Is(err, genl.ErrOverrun) {
				fmt.Fprintln(p.errw(), "ynl: warning: notifications lost (socket overrun)")
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

// printNotification prints {"name": op, "msg": {...}}; a message type
// the spec lacks is printed as pyynl prints it, not dropped.
func (s *rawSession) printNotification(p *printer, m genl.RawMessage) error {
	op := rawMessageOp(s.f, int(m.Type))
	if op == nil {
		p.raw("Unexpected msg id while checking for ntf " + nlRepr(uint32(16+len(m.Data)), len(m.Data), uint16(m.Flags), m.Type))
		return nil
	}
	v, err := s.decode(op, m.Data)
	if err != nil {
		return err
	}
	return p.print(dynamic.NotificationValue(op.Name, v, m.NSID))
}

// rawMessageOp finds the op whose layout a classic netlink message of
// type typ has, and whose name it prints under: the op replying with that
// type, as pyynl names it (an RTM_NEWLINK notification is "getlink"); else,
// as the kernel multicasts some changes with the type of the request that
// makes them (RTM_DELLINK) and specs list those only as requests, the op
// sent with it (pyynl stops with a KeyError there).
func rawMessageOp(f *family.Family, typ int) *family.Op {
	if op := dynamic.MessageOp(f, typ); op != nil {
		return op
	}
	for _, op := range f.Operations.List {
		if op.RequestValue == typ && op.AttrSet != nil {
			return op
		}
	}
	return nil
}
