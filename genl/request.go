package genl

import (
	"context"
	"errors"
	"strconv"
	"syscall"

	"github.com/mdlayher/netlink"
)

// Do sends req with NLM_F_ACK and returns the reply messages (usually 0 or
// 1) after the ACK: it reads up to the ACK whether the command replies or
// not, so the socket stays in step. The returned Data is owned by the
// caller.
//
// Do resolves req.Family (cached) and fails with an error matching
// errors.ErrUnsupported, before sending anything, when the kernel does not
// list the command for the family. A kernel error is an *Error. ctx's
// cancellation or deadline unblocks a pending read and returns ctx's error.
func (c *Conn) Do(ctx context.Context, req *Request) ([]Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if req == nil {
		return nil, errNilRequest
	}
	fam, err := c.Family(ctx, req.Family)
	if err != nil {
		return nil, resolveFailure(req, err)
	}
	msgs, err := c.do(ctx, fam, req)
	if fam2, gone := c.retryFamily(ctx, fam, err); gone != nil {
		return nil, gone
	} else if fam2 != nil {
		msgs, err = c.do(ctx, fam2, req)
	}
	return msgs, err
}

var errNilRequest = errors.New("genl: nil *Request")

// do runs one Do exchange against a resolved family.
func (c *Conn) do(ctx context.Context, fam *Family, req *Request) ([]Message, error) {
	if err := fam.checkOp(req, false); err != nil {
		return nil, err
	}
	if err := fam.checkHeader(req); err != nil {
		return nil, err
	}
	s, err := c.getSock(ctx)
	if err != nil {
		return nil, c.reqFailure(ctx, fam, req, err)
	}
	defer c.putSock(s)
	s.watch(ctx)
	defer s.unwatch()

	flags := uint16(nlmFRequest|nlmFAck) | uint16(req.Flags)
	b := s.frame(fam.ID, flags, req.Command, fam.version(req), req.Header, req.Attrs)
	if err := s.send(b); err != nil {
		return nil, c.reqFailure(ctx, fam, req, err)
	}
	c.sent.Add(1)
	s.dirty = true
	s.ctrlDo = fam.Name == ctrlFamily.Name
	msgs, err := c.readReplies(s, fam, req)
	s.ctrlDo = false
	var kerr *Error
	if err == nil || errors.As(err, &kerr) {
		s.dirty = false // the ACK was read: the socket is in step
	}
	if err != nil && kerr == nil {
		return nil, c.reqFailure(ctx, fam, req, err)
	}
	return msgs, err
}

// readReplies collects the replies to the request just sent on s up to its
// ACK.
func (c *Conn) readReplies(s *sock, fam *Family, req *Request) ([]Message, error) {
	return c.readRepliesSeq(s, fam, req, s.seq)
}

// readRepliesSeq collects the replies to request seq on s up to its ACK.
func (c *Conn) readRepliesSeq(s *sock, fam *Family, req *Request, seq uint32) ([]Message, error) {
	var msgs []Message
	for {
		m, err := s.next(seq)
		if err != nil {
			return nil, err
		}
		switch m.typ {
		case nlmsgError:
			a, err := parseAck(m, false)
			if err != nil {
				return nil, err
			}
			if a.errno != 0 {
				return nil, newError(fam.Name, req, &a)
			}
			if a.warning() {
				c.warn(newError(fam.Name, req, &a))
			}
			return msgs, nil
		case nlmsgDone:
			// The end of a multi-part reply; the ACK follows.
			continue
		case nlmsgOverrun:
			return nil, errOverrunMsg
		}
		gm, err := genlMessage(fam, m)
		if err != nil {
			return nil, err
		}
		gm.Data = append([]byte(nil), gm.Data...)
		msgs = append(msgs, gm)
	}
}

// errOverrunMsg is an NLMSG_OVERRUN among a request's replies; the caller
// names the family and op.
var errOverrunMsg = errors.New("genl: NLMSG_OVERRUN: messages lost")

// genlMessage decodes the genl header of a reply of fam. Its errors leave
// naming the family and op to the caller.
func genlMessage(fam *Family, m nlMsg) (Message, error) {
	if m.typ != fam.ID {
		return Message{}, errors.New("genl: reply of message type " +
			itoa(int(m.typ)) + ", want family id " + itoa(int(fam.ID)))
	}
	if len(m.data) < genlHdrLen {
		return Message{}, errors.New("genl: reply too short for a genl header")
	}
	return Message{
		Family:  fam.Name,
		Command: m.data[0],
		Version: m.data[1],
		Flags:   flagsOf(m),
		Data:    m.data[genlHdrLen:],
	}, nil
}

// retryFamily decides whether a request that failed with ENOENT should be
// retried once: the family may have been removed and registered again under
// a new id since it was cached. It returns the re-resolved family to retry
// with, or the error saying the family is gone, or neither.
func (c *Conn) retryFamily(ctx context.Context, fam *Family, err error) (*Family, error) {
	if !errors.Is(err, syscall.ENOENT) || fam.ID == ctrlFamilyID || ctx.Err() != nil {
		return nil, nil
	}
	c.res.forget(fam.Name, fam.ID)
	fam2, ferr := c.Family(ctx, fam.Name)
	var nf *notFoundError
	switch {
	case errors.As(ferr, &nf):
		return nil, ferr
	case ferr != nil || fam2.ID == fam.ID:
		return nil, nil
	}
	return fam2, nil
}

// checkOp fails with an error matching errors.ErrUnsupported when the
// kernel does not list req's command for the family, or lists it without
// the needed do/dump capability.
func (f *Family) checkOp(req *Request, dump bool) error {
	op, ok := f.Op(req.Command)
	if ok {
		need := OpDo
		if dump {
			need = OpDump
		}
		// Kernels that report neither capability bit are trusted.
		if op.Flags&(OpDo|OpDump) == 0 || op.Flags&need != 0 {
			return nil
		}
	}
	return &unsupportedOpError{family: f.Name, cmd: req.Command, op: req.OpName, dump: dump && ok}
}

// checkHeader fails when req's fixed header is not the size the kernel
// reports for the family: the kernel would read the attributes from the
// wrong offset.
func (f *Family) checkHeader(req *Request) error {
	if len(req.Header) == int(f.HeaderSize) {
		return nil
	}
	return errors.New("genl: " + f.Name + " " + opLabel(req) + ": fixed header of " +
		itoa(len(req.Header)) + " bytes, the kernel expects " + itoa(int(f.HeaderSize)))
}

// version is the genl header version to send.
func (f *Family) version(req *Request) uint8 {
	if req.Version != 0 {
		return req.Version
	}
	return f.Version
}

func itoa(n int) string { return strconv.Itoa(n) }

// flagsOf returns a message's netlink header flags.
func flagsOf(m nlMsg) netlink.HeaderFlags { return netlink.HeaderFlags(m.flags) }
