package genl

import (
	"encoding/binary"
	"errors"
	"strconv"
	"syscall"
)

// Netlink message constants (linux/netlink.h, linux/genetlink.h), repeated
// so the package builds on every OS.
const (
	nlmsgHdrLen  = 16
	genlHdrLen   = 4
	nlmsgNoop    = 0x1
	nlmsgError   = 0x2
	nlmsgDone    = 0x3
	nlmsgOverrun = 0x4

	nlmFRequest  = 0x1
	nlmFMulti    = 0x2
	nlmFAck      = 0x4
	nlmFDumpIntr = 0x10
	nlmFDump     = 0x300
	nlmFCapped   = 0x100 // in an ACK: the request was not echoed in full
	nlmFAckTLVs  = 0x200 // in an ACK: extended ACK attributes follow

	nlmsgerrAttrMsg      = 1
	nlmsgerrAttrOffs     = 2
	nlmsgerrAttrCookie   = 3
	nlmsgerrAttrPolicy   = 4
	nlmsgerrAttrMissType = 5
	nlmsgerrAttrMissNest = 6
)

// nlmsgAlign rounds n up to NLMSG_ALIGNTO (4).
func nlmsgAlign(n int) int { return (n + 3) &^ 3 }

var errShortMsg = errors.New("genl: malformed netlink message: truncated header")

// nlMsg is one netlink message; data aliases the receive buffer.
type nlMsg struct {
	typ   uint16
	flags uint16
	seq   uint32
	pid   uint32
	data  []byte // after the nlmsghdr
}

// splitMsg cuts the first netlink message off b.
func splitMsg(b []byte) (nlMsg, []byte, error) {
	if len(b) < nlmsgHdrLen {
		return nlMsg{}, nil, errShortMsg
	}
	n := int(binary.NativeEndian.Uint32(b[0:4]))
	if n < nlmsgHdrLen || n > len(b) {
		return nlMsg{}, nil, errors.New("genl: malformed netlink message: length " +
			strconv.Itoa(n) + " with " + strconv.Itoa(len(b)) + " bytes left")
	}
	m := nlMsg{
		typ:   binary.NativeEndian.Uint16(b[4:6]),
		flags: binary.NativeEndian.Uint16(b[6:8]),
		seq:   binary.NativeEndian.Uint32(b[8:12]),
		pid:   binary.NativeEndian.Uint32(b[12:16]),
		data:  b[nlmsgHdrLen:n:n],
	}
	return m, b[min(nlmsgAlign(n), len(b)):], nil
}

// ackInfo is a parsed NLMSG_ERROR or NLMSG_DONE payload.
type ackInfo struct {
	errno    syscall.Errno
	msg      string
	offs     int // from the start of the request's nlmsghdr; -1 if none
	missType int
	missNest int // from the start of the request's nlmsghdr; -1 if none
	policy   []byte
	cookie   []byte
}

// warning reports whether a successful ACK carries something worth telling.
func (a *ackInfo) warning() bool { return a.errno == 0 && a.msg != "" }

// parseAck decodes an NLMSG_ERROR (done false) or NLMSG_DONE (done true)
// payload with its extended ACK attributes.
func parseAck(m nlMsg, done bool) (ackInfo, error) {
	a := ackInfo{offs: -1, missType: -1, missNest: -1}
	if len(m.data) < 4 {
		if done {
			return a, nil // a bare NLMSG_DONE
		}
		return a, errors.New("genl: malformed ACK: " + strconv.Itoa(len(m.data)) + " bytes")
	}
	switch code := int32(binary.NativeEndian.Uint32(m.data)); {
	case code < 0:
		a.errno = syscall.Errno(-code)
	}
	// A positive code is success: netlink_rcv_skb acknowledges with what
	// the family's doit returned, and some return a non-negative value
	// (mac80211_hwsim's new-radio, the new radio's index; seen live in
	// the VM lab's TestLiveSurvey).
	if m.flags&nlmFAckTLVs == 0 {
		return a, nil
	}
	off := 4
	if !done {
		// The ACK echoes the request's nlmsghdr, and its payload too
		// unless NLM_F_CAPPED says it was left out.
		if len(m.data) < 4+nlmsgHdrLen {
			return a, errors.New("genl: malformed ACK: no echoed request header")
		}
		off += nlmsgHdrLen
		if m.flags&nlmFCapped == 0 {
			off = 4 + nlmsgAlign(int(binary.NativeEndian.Uint32(m.data[4:8])))
		}
	}
	if off > len(m.data) {
		return a, errors.New("genl: malformed ACK: echoed request longer than the ACK")
	}
	return a, a.parseTLVs(m.data[off:])
}

// parseTLVs reads the NLMSGERR_ATTR_* attributes.
func (a *ackInfo) parseTLVs(b []byte) error {
	w := NewWalker(b, nil)
	for w.Next() {
		switch w.Type() {
		case nlmsgerrAttrMsg:
			a.msg = w.String()
		case nlmsgerrAttrOffs:
			a.offs = int(w.Uint32())
		case nlmsgerrAttrCookie:
			a.cookie = append([]byte(nil), w.Bytes()...)
		case nlmsgerrAttrPolicy:
			a.policy = append([]byte(nil), w.Bytes()...)
		case nlmsgerrAttrMissType:
			a.missType = int(w.Uint32())
		case nlmsgerrAttrMissNest:
			a.missNest = int(w.Uint32())
		}
	}
	if err := w.Err(); err != nil {
		return errors.New("genl: malformed extended ACK: " + err.Error())
	}
	return nil
}

// newError builds the *Error for an ACK of req, turning the kernel's
// offsets (from the start of the request's nlmsghdr) into offsets into
// req.Attrs and rendering them as attribute paths.
func newError(family string, req *Request, a *ackInfo) *Error {
	e := &Error{
		Family:      family,
		Op:          opLabel(req),
		Errno:       a.errno,
		Message:     a.msg,
		Offset:      -1,
		MissingType: a.missType,
		MissingNest: -1,
		Cookie:      a.cookie,
	}
	if a.policy != nil {
		// A policy that does not decode is left out rather than masking
		// the kernel's error with a decoding one.
		e.Policy, _ = DecodeAttrPolicy(a.policy)
	}
	base := nlmsgHdrLen + genlHdrLen + nlmsgAlign(len(req.Header))
	if a.offs >= 0 {
		e.Offset = a.offs - base
		if e.Offset >= 0 {
			e.AttrPath, _ = attrPath(req.Attrs, e.Offset, req.Names)
		}
	}
	if a.missType >= 0 {
		names := req.Names
		if a.missNest >= 0 {
			e.MissingNest = a.missNest - base
			e.MissingPath, names = attrPath(req.Attrs, e.MissingNest, req.Names)
		}
		e.MissingPath += "." + attrLabel(names, uint16(a.missType))
	}
	return e
}

// attrPath renders the attribute at offset off of attrs as a path of names
// (".header.dev-name"), or of type numbers where names is nil or does not
// know one (".1.2"), descending into nests. It also returns the namer of the
// attribute's nested space, if any. An offset inside a payload it cannot
// descend into ends the path with "+N", N bytes into that payload.
func attrPath(attrs []byte, off int, names AttrNamer) (string, AttrNamer) {
	var path []byte
	for {
		w := NewWalker(attrs, nil)
		found := false
		for w.Next() {
			start := w.Offset()
			end := start + nlaHeaderLen + len(w.Data())
			if off < start || off >= end {
				continue
			}
			found = true
			var nested AttrNamer
			path = append(path, '.')
			path = append(path, attrLabel(names, w.Type())...)
			if names != nil {
				_, nested = names.AttrName(w.Type())
			}
			// A sub-message's format, and the fixed header it may start
			// with, follow from a sibling attribute.
			skip := 0
			if sn, ok := names.(SubMessageNamer); ok {
				if n, hdr, ok := sn.SubMessage(w.Type(), attrs); ok {
					nested, skip = n, nlaAlign(hdr)
				}
			}
			rel := off - start - nlaHeaderLen
			switch {
			case rel == -nlaHeaderLen:
				return string(path), nested
			case rel < 0: // inside the attribute header
				return string(path), nil
			case rel < skip: // inside the sub-message's fixed header
				return string(path) + "+" + strconv.Itoa(rel), nil
			case nested != nil || w.Nested():
				attrs, off, names = w.Data()[skip:], rel-skip, nested
			default:
				return string(path) + "+" + strconv.Itoa(rel), nil
			}
			break
		}
		if !found {
			return string(path), nil
		}
	}
}

// attrLabel names typ through names, or by its number.
func attrLabel(names AttrNamer, typ uint16) string {
	if names != nil {
		if name, _ := names.AttrName(typ); name != "" {
			return name
		}
	}
	return strconv.Itoa(int(typ))
}
