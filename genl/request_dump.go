package genl

import (
	"context"
	"errors"
	"iter"
)

// Dump sends req with NLM_F_DUMP and streams the replies. Message.Data is
// valid only until the next iteration: the receive buffer is reused.
// Breaking out of the loop early reads and discards the rest of the dump,
// so the socket stays usable. When the kernel flags the dump as interrupted
// (NLM_F_DUMP_INTR), Dump yields all the data, then an error matching
// ErrDumpInterrupted. A kernel error is an *Error.
//
// The loop body may issue other requests on the same Conn: they run on
// other sockets of the pool.
func (c *Conn) Dump(ctx context.Context, req *Request) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(Message{}, err)
			return
		}
		if req == nil {
			yield(Message{}, errNilRequest)
			return
		}
		fam, err := c.Family(ctx, req.Family)
		if err != nil {
			yield(Message{}, resolveFailure(req, err))
			return
		}
		started, err := c.dump(ctx, fam, req, yield)
		if !started {
			if fam2, gone := c.retryFamily(ctx, fam, err); gone != nil {
				err = gone
			} else if fam2 != nil {
				_, err = c.dump(ctx, fam2, req, yield)
			}
		}
		if err != nil {
			yield(Message{}, err)
		}
	}
}

// errStopped tells dump's caller that the consumer broke out of the loop.
var errStopped = errors.New("genl: dump stopped by the caller")

// dump runs one dump exchange, yielding each reply. started reports whether
// anything was yielded. The returned error is for the caller to yield; it is
// nil when the consumer stopped the loop.
func (c *Conn) dump(ctx context.Context, fam *Family, req *Request, yield func(Message, error) bool) (started bool, err error) {
	if err := fam.checkOp(req, true); err != nil {
		return false, err
	}
	if err := fam.checkHeader(req); err != nil {
		return false, err
	}
	s, err := c.getSock(ctx)
	if err != nil {
		return false, c.reqFailure(ctx, fam, req, err)
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()

	flags := uint16(nlmFRequest|nlmFDump) | uint16(req.Flags)
	b := s.frame(fam.ID, flags, req.Command, fam.version(req), req.Header, req.Attrs)
	if err := s.send(b); err != nil {
		return false, c.reqFailure(ctx, fam, req, err)
	}
	c.sent.Add(1)
	s.dirty = true
	s.genlDump = true
	defer func() { s.genlDump = false }()
	started, err = c.readDump(ctx, s, fam, req, yield)
	var kerr *Error
	switch {
	case errors.Is(err, errStopped):
		// Drain the rest so the socket can serve the next request; a
		// failed drain leaves it dirty, and putSock discards it.
		if c.drain(s) == nil {
			s.dirty = false
		}
		return started, nil
	case err == nil || errors.As(err, &kerr) || errors.Is(err, ErrDumpInterrupted):
		s.dirty = false
		return started, err
	}
	return started, c.reqFailure(ctx, fam, req, err)
}

// readDump yields the replies of the dump just sent on s until its
// NLMSG_DONE, or until ctx is done.
func (c *Conn) readDump(ctx context.Context, s *sock, fam *Family, req *Request, yield func(Message, error) bool) (started bool, err error) {
	intr := false
	for {
		m, err := s.next(s.seq)
		if err != nil {
			return started, err
		}
		switch m.typ {
		case nlmsgError, nlmsgDone:
			a, err := parseAck(m, m.typ == nlmsgDone)
			if err != nil {
				return started, err
			}
			intr = intr || m.flags&nlmFDumpIntr != 0
			switch {
			case a.errno != 0:
				return started, newError(fam.Name, req, &a)
			case a.warning():
				c.warn(newError(fam.Name, req, &a))
			}
			if intr {
				return started, &dumpIntrError{family: fam.Name, op: opLabel(req)}
			}
			return started, nil
		case nlmsgOverrun:
			return started, errOverrunMsg
		}
		gm, err := genlMessage(fam, m)
		if err != nil {
			return started, err
		}
		intr = intr || m.flags&nlmFDumpIntr != 0
		// The loop body may have cancelled ctx while replies were
		// already buffered: stop here rather than at the next read.
		if err := ctx.Err(); err != nil {
			return started, err
		}
		started = true
		if !yield(gm, nil) {
			return started, errStopped
		}
	}
}

// drain reads and discards the rest of an abandoned dump on s.
func (c *Conn) drain(s *sock) error {
	for {
		m, err := s.next(s.seq)
		if err != nil {
			return err
		}
		if m.typ == nlmsgDone || m.typ == nlmsgError {
			return nil
		}
	}
}

// dumpIntrError wraps ErrDumpInterrupted with the family and op.
type dumpIntrError struct{ family, op string }

func (e *dumpIntrError) Error() string {
	return "genl: " + e.family + " " + e.op + ": " + ErrDumpInterrupted.Error()[len("genl: "):]
}

func (e *dumpIntrError) Unwrap() error { return ErrDumpInterrupted }
