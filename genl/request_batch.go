package genl

import (
	"context"
	"errors"
)

// DoBatch sends every request of reqs in one datagram (one sendmsg, as
// pyynl's do_multi and nftables' batches do), each with NLM_F_ACK, and
// returns the replies of each, in order. The kernel runs the requests one
// after another and does not stop at a failure, but DoBatch stops reading
// at the first error: it returns the replies of the requests before the
// failing one (so the length of the result is the failing request's index)
// and the error, an *Error for a kernel error. Requests may be of different
// families; each is checked as Do checks it before anything is sent.
//
// A batch is not atomic unless the family makes it so: requests that
// succeeded before a failing one stay done.
func (c *Conn) DoBatch(ctx context.Context, reqs []*Request) ([][]Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fams := make([]*Family, len(reqs))
	for i, req := range reqs {
		if req == nil {
			return nil, errNilRequest
		}
		fam, err := c.Family(ctx, req.Family)
		if err != nil {
			return nil, err
		}
		if err := fam.checkOp(req, false); err != nil {
			return nil, err
		}
		if err := fam.checkHeader(req); err != nil {
			return nil, err
		}
		fams[i] = fam
	}
	if len(reqs) == 0 {
		return nil, nil
	}
	s, err := c.getSock(ctx)
	if err != nil {
		return nil, err
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()

	var batch []byte
	first := s.seq + 1
	for i, req := range reqs {
		flags := uint16(nlmFRequest|nlmFAck) | uint16(req.Flags)
		batch = append(batch, s.frame(fams[i].ID, flags, req.Command, fams[i].version(req), req.Header, req.Attrs)...)
	}
	if err := s.send(batch); err != nil {
		return nil, c.failure(ctx, err)
	}
	c.sent.Add(uint64(len(reqs)))
	s.dirty = true
	out := make([][]Message, 0, len(reqs))
	for i, req := range reqs {
		msgs, err := c.readRepliesSeq(s, fams[i], req, first+uint32(i))
		var kerr *Error
		if err != nil && !errors.As(err, &kerr) {
			return out, c.failure(ctx, err)
		}
		if err != nil {
			// The replies to the rest are still queued: s stays dirty
			// unless this was the last request.
			s.dirty = i < len(reqs)-1
			return out, err
		}
		out = append(out, msgs)
	}
	s.dirty = false
	return out, nil
}
