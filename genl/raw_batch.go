package genl

import (
	"context"
	"errors"
	"strconv"
)

// BatchResult is what the kernel answered to one request of a batch.
type BatchResult struct {
	// Msgs holds the replies the request produced before its ACK (owned
	// by the caller).
	Msgs []RawMessage
	// Err is the kernel's error for the request (an *Error), or nil.
	Err error
}

// BatchError reports the first request of a batch the kernel refused.
// nfnetlink applies a batch all or nothing, so none of its requests took
// effect. errors.As and errors.Is see the request's *Error through it.
type BatchError struct {
	// Index is the position of the refused request in the batch.
	Index int
	// Op names its op.
	Op string
	// Err is the kernel's error.
	Err error
}

func (e *BatchError) Error() string {
	return "batch request " + strconv.Itoa(e.Index) + " (" + e.Op + ") failed, nothing was applied: " + e.Err.Error()
}

// Unwrap returns the request's error.
func (e *BatchError) Unwrap() error { return e.Err }

// Batch sends a transaction in one sendmsg: begin, then every request of
// reqs with NLM_F_ACK, then end (nfnetlink's NFNL_MSG_BATCH_BEGIN and
// NFNL_MSG_BATCH_END with their nfgenmsg headers). The kernel applies the
// requests atomically: all of them, or, when any fails, none. Batch maps
// each ACK or error back to its request by sequence number and returns one
// result per request; when a request failed it also returns a *BatchError
// naming the first one.
func (r *RawConn) Batch(ctx context.Context, begin *RawRequest, reqs []*RawRequest, end *RawRequest) ([]BatchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if begin == nil || end == nil {
		return nil, errors.New("genl: batch without a begin or end message")
	}
	for _, q := range reqs {
		if q == nil {
			return nil, errNilRawRequest
		}
	}
	c := r.c
	s, err := c.getSock(ctx)
	if err != nil {
		return nil, err
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()

	first := s.seq + 1
	b := s.wbuf[:0]
	b = appendRawMsg(b, begin.Type, nlmFRequest|uint16(begin.Flags), first, s.pid, begin.Header, begin.Attrs)
	for i, q := range reqs {
		b = appendRawMsg(b, q.Type, nlmFRequest|nlmFAck|uint16(q.Flags), first+1+uint32(i), s.pid, q.Header, q.Attrs)
	}
	last := first + 1 + uint32(len(reqs))
	b = appendRawMsg(b, end.Type, nlmFRequest|uint16(end.Flags), last, s.pid, end.Header, end.Attrs)
	s.wbuf, s.seq, s.pending, s.fakeDump = b, last, nil, false
	if err := s.send(b); err != nil {
		return nil, c.failure(ctx, err)
	}
	c.sent.Add(1)
	s.dirty = true
	res, err := r.readBatch(s, first, begin, reqs, end)
	if err != nil {
		var kerr *Error
		if !errors.As(err, &kerr) {
			return nil, c.failure(ctx, err)
		}
	}
	s.dirty = false
	if err == nil {
		for i, q := range reqs {
			if res[i].Err != nil {
				err = &BatchError{Index: i, Op: rawOpLabel(q), Err: res[i].Err}
				break
			}
		}
	}
	return res, err
}

// readBatch reads the answers of the batch just sent on s, whose begin
// message had sequence number first. nfnetlink handles a batch within the
// sendmsg call, so once one answer is in, the rest are queued already:
// reading stops when every request is answered or nothing more is queued.
func (r *RawConn) readBatch(s *sock, first uint32, begin *RawRequest, reqs []*RawRequest, end *RawRequest) ([]BatchResult, error) {
	res := make([]BatchResult, len(reqs))
	acked := make([]bool, len(reqs))
	answered := 0
	waited := false
	for answered < len(reqs) {
		if len(s.pending) == 0 {
			var b []byte
			var err error
			if !waited {
				b, err = s.recv()
				waited = true
			} else {
				var ok bool
				b, ok, err = s.recvNow()
				if err == nil && !ok {
					r.unanswered(res, acked, reqs)
					return res, nil
				}
			}
			if err != nil {
				return nil, err
			}
			s.pending = b
			continue
		}
		m, rest, err := splitMsg(s.pending)
		if err != nil {
			s.pending = nil
			return nil, err
		}
		s.pending = rest
		if m.typ == nlmsgNoop || m.pid != s.pid && !s.fake {
			continue
		}
		i := int(m.seq - first - 1)
		switch {
		case m.seq == first || m.seq == first+1+uint32(len(reqs)):
			// The begin or end message itself was refused (an unknown
			// subsystem, a malformed batch): nothing ran.
			q := begin
			if m.seq != first {
				q = end
			}
			if m.typ == nlmsgError {
				a, err := parseAck(m, false)
				if err != nil {
					return nil, err
				}
				if a.errno != 0 {
					return nil, newRawError(q, &a)
				}
			}
			continue
		case m.seq <= first || i >= len(reqs):
			continue // a reply to an earlier, abandoned request
		}
		switch m.typ {
		case nlmsgError:
			a, err := parseAck(m, false)
			if err != nil {
				return nil, err
			}
			if a.errno != 0 {
				res[i].Err = newRawError(reqs[i], &a)
			} else if a.warning() {
				r.c.warn(newRawError(reqs[i], &a))
			}
			if !acked[i] {
				acked[i] = true
				answered++
			}
		case nlmsgDone:
		default:
			rm := rawMessage(m)
			rm.Data = append([]byte(nil), m.data...)
			res[i].Msgs = append(res[i].Msgs, rm)
		}
	}
	return res, nil
}

// unanswered marks the requests the kernel sent nothing for.
func (r *RawConn) unanswered(res []BatchResult, acked []bool, reqs []*RawRequest) {
	for i := range res {
		if !acked[i] {
			res[i].Err = errors.New("genl: " + rawLabel(reqs[i]) + ": no answer from the kernel for this batch request")
		}
	}
}
