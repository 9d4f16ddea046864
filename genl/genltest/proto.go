package genltest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// Request is one request as the fake kernel received it.
type Request struct {
	// Family is the name of the family addressed.
	Family string
	// Command and Version are the genl header's (0 on a classic netlink
	// kernel, which has no genl header).
	Command, Version uint8
	// Type is the netlink message type: the family id on a generic
	// netlink kernel, the op's request value on a classic one (NewRaw).
	Type uint16
	// Batch reports that the request came inside an nfnetlink batch
	// (between the family's RawFamily.BatchBegin and BatchEnd messages).
	Batch bool
	// Flags are the netlink header's flags (netlink.Request, Acknowledge,
	// Dump, Create, ...).
	Flags netlink.HeaderFlags
	// Dump reports whether the request is a dump (NLM_F_DUMP).
	Dump bool
	// Header is the family's fixed header (Family.HeaderSize bytes), and
	// Attrs the attributes after it. Both alias the request: copy to keep.
	Header, Attrs []byte
	// Sequence and PortID are the netlink header's.
	Sequence, PortID uint32
	// Kernel is the fake kernel serving the request, for handlers that
	// send notifications.
	Kernel *Kernel
}

// Reply is one message of a reply.
type Reply struct {
	// Command is the genl command; 0 means the request's command.
	Command uint8
	// Type is the netlink message type of a classic netlink reply or
	// notification (RTM_NEWLINK); 0 means the request's type. Generic
	// netlink replies ignore it: their type is the family id.
	Type uint16
	// Version is the genl version; 0 means the family's version.
	Version uint8
	// Flags are extra netlink header flags, e.g. netlink.DumpInterrupted.
	Flags netlink.HeaderFlags
	// Header is the family's fixed header, if it has one.
	Header []byte
	// Attrs are the attributes, e.g. from a genl.Encoder.
	Attrs []byte
	// Split ends the datagram after this message, so a dump arrives in
	// several reads. Do replies are one datagram each anyway.
	Split bool
}

// Error is a kernel error with extended-ACK detail, returned by a Handler.
type Error struct {
	// Errno is the error; 0 makes the Error a warning on a successful ACK.
	Errno syscall.Errno
	// Message is the extended ACK message (NLMSGERR_ATTR_MSG).
	Message string
	// Offset is the offending attribute's offset from the start of the
	// request's attributes, as genl.Walker.Offset reports it; the fake
	// kernel turns it into the kernel's offset from the netlink header.
	Offset genl.Opt[int]
	// AttrPath names the offending attribute by its types from the top
	// level of the request down its nests ({AttrLinkinfoHeader,
	// AttrHeaderDevName}), for handlers that know the attribute but not
	// its offset: the fake kernel finds it in the request and reports
	// its offset, so the client names it (bad attribute:
	// .header.dev-name). Offset, when set, wins; a path the request does
	// not hold reports no offset.
	AttrPath []uint16
	// HeaderOffset is the offending byte's offset inside the fixed
	// header (a field of struct ifinfomsg, say), for errors about the
	// header rather than an attribute: the client names the field
	// (ifinfomsg.ifi-index). Offset and AttrPath win.
	HeaderOffset genl.Opt[int]
	// MissingType is the type of a missing attribute (NLMSGERR_ATTR_MISS_TYPE).
	MissingType genl.Opt[uint16]
	// MissingNest is the offset, like Offset, of the nest lacking
	// MissingType (NLMSGERR_ATTR_MISS_NEST); unset for the top level.
	MissingNest genl.Opt[int]
	// Policy is the offending attribute's policy (NLMSGERR_ATTR_POLICY).
	Policy *genl.AttrPolicy
	// Cookie is NLMSGERR_ATTR_COOKIE.
	Cookie []byte
}

// Error describes e.
func (e *Error) Error() string {
	s := "genltest: kernel error " + e.Errno.Error()
	if e.Errno == 0 {
		s = "genltest: kernel warning"
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Errorf returns an *Error with errno and a formatted extended ACK message.
func Errorf(errno syscall.Errno, format string, args ...any) *Error {
	return &Error{Errno: errno, Message: fmt.Sprintf(format, args...)}
}

// asError turns a handler's error into an *Error.
func asError(err error) *Error {
	var e *Error
	var errno syscall.Errno
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &errno):
		return &Error{Errno: errno}
	}
	return &Error{Errno: syscall.EINVAL, Message: err.Error()}
}

// withPathOffset returns err with an *Error's AttrPath turned into its
// Offset in attrs (a copy; the handler's Error is left as it is).
func withPathOffset(err error, attrs []byte) error {
	var e *Error
	if !errors.As(err, &e) || len(e.AttrPath) == 0 || e.Offset.Valid {
		return err
	}
	c := *e
	if off, ok := pathOffset(attrs, e.AttrPath); ok {
		c.Offset = genl.Some(off)
	}
	return &c
}

// withHeaderOffset returns err with an *Error's HeaderOffset turned into
// its Offset (negative: the header precedes the attributes) for a fixed
// header of hs bytes.
func withHeaderOffset(err error, hs int) error {
	var e *Error
	if !errors.As(err, &e) || !e.HeaderOffset.Valid || e.Offset.Valid || len(e.AttrPath) > 0 {
		return err
	}
	c := *e
	c.Offset = genl.Some(e.HeaderOffset.Value - align4(hs))
	return &c
}

// pathOffset finds the attribute at path in attrs and returns its offset
// from the start of attrs.
func pathOffset(attrs []byte, path []uint16) (int, bool) {
	base := 0
	for i, t := range path {
		w := genl.NewWalker(attrs, nil)
		found := false
		for w.Next() {
			if w.Type() != t {
				continue
			}
			if i == len(path)-1 {
				return base + w.Offset(), true
			}
			base += w.Offset() + 4
			attrs, found = w.Data(), true
			break
		}
		if !found {
			return 0, false
		}
	}
	return 0, false
}

// Netlink protocol constants (linux/netlink.h).
const (
	nlmsgHdrLen  = 16
	genlHdrLen   = 4
	nlmsgNoop    = 1
	nlmsgError   = 2
	nlmsgDone    = 3
	nlmFRequest  = 0x1
	nlmFMulti    = 0x2
	nlmFAck      = 0x4
	nlmFDumpIntr = 0x10
	nlmFDump     = 0x300
	nlmFCapped   = 0x100
	nlmFAckTLVs  = 0x200

	nlmsgerrAttrMsg      = 1
	nlmsgerrAttrOffs     = 2
	nlmsgerrAttrCookie   = 3
	nlmsgerrAttrPolicy   = 4
	nlmsgerrAttrMissType = 5
	nlmsgerrAttrMissNest = 6
)

func align4(n int) int { return (n + 3) &^ 3 }

// appendMsg appends one netlink message, padded to 4 bytes.
func appendMsg(out []byte, typ, flags uint16, seq, port uint32, payload []byte) []byte {
	out = binary.NativeEndian.AppendUint32(out, uint32(nlmsgHdrLen+len(payload)))
	out = binary.NativeEndian.AppendUint16(out, typ)
	out = binary.NativeEndian.AppendUint16(out, flags)
	out = binary.NativeEndian.AppendUint32(out, seq)
	out = binary.NativeEndian.AppendUint32(out, port)
	out = append(out, payload...)
	return append(out, make([]byte, align4(len(out))-len(out))...)
}

// genlPayload builds a genl header, a fixed header (padded) and attributes.
func genlPayload(cmd, version uint8, hdr, attrs []byte) []byte {
	b := make([]byte, 0, genlHdrLen+align4(len(hdr))+len(attrs))
	b = append(b, cmd, version, 0, 0)
	b = append(b, hdr...)
	b = append(b, make([]byte, align4(len(hdr))-len(hdr))...)
	return append(b, attrs...)
}

// nlMsg is one received netlink message.
type nlMsg struct {
	typ, flags uint16
	seq, port  uint32
	raw        []byte // the whole message, header included
	data       []byte // after the netlink header
}

// splitMsgs splits a datagram into messages; a malformed tail is dropped,
// as the kernel does.
func splitMsgs(b []byte) []nlMsg {
	var out []nlMsg
	for len(b) >= nlmsgHdrLen {
		n := int(binary.NativeEndian.Uint32(b))
		if n < nlmsgHdrLen || n > len(b) {
			break
		}
		out = append(out, nlMsg{
			typ:   binary.NativeEndian.Uint16(b[4:]),
			flags: binary.NativeEndian.Uint16(b[6:]),
			seq:   binary.NativeEndian.Uint32(b[8:]),
			port:  binary.NativeEndian.Uint32(b[12:]),
			raw:   b[:n],
			data:  b[nlmsgHdrLen:n],
		})
		b = b[min(align4(n), len(b)):]
	}
	return out
}

// ackPayload builds the payload of an NLMSG_ERROR (or, with done, an
// NLMSG_DONE) answering req, and the flags it needs. base is the offset of
// the request's attributes from its netlink header, to turn e's offsets
// into the kernel's.
func ackPayload(req nlMsg, e *Error, base int, capped, done bool) ([]byte, uint16) {
	var errno int32
	if e != nil {
		errno = -int32(e.Errno)
	}
	b := binary.NativeEndian.AppendUint32(nil, uint32(errno))
	var flags uint16
	if !done {
		if capped || errno == 0 {
			b = append(b, req.raw[:nlmsgHdrLen]...)
			flags |= nlmFCapped
		} else {
			b = append(b, req.raw...)
			b = b[:align4(len(b))]
		}
	}
	if e == nil {
		return b, flags
	}
	enc := genl.NewEncoder(b)
	if e.Message != "" {
		enc.String(nlmsgerrAttrMsg, e.Message)
	}
	if off, ok := e.Offset.Get(); ok {
		enc.Uint32(nlmsgerrAttrOffs, uint32(base+off))
	}
	if e.Cookie != nil {
		enc.Binary(nlmsgerrAttrCookie, e.Cookie)
	}
	if e.Policy != nil {
		n := enc.Nest(nlmsgerrAttrPolicy)
		AppendAttrPolicy(enc, e.Policy)
		enc.End(n)
	}
	if t, ok := e.MissingType.Get(); ok {
		enc.Uint32(nlmsgerrAttrMissType, uint32(t))
	}
	if off, ok := e.MissingNest.Get(); ok {
		enc.Uint32(nlmsgerrAttrMissNest, uint32(base+off))
	}
	if enc.Len() > len(b) {
		flags |= nlmFAckTLVs
	}
	return enc.Bytes(), flags
}

// NL_POLICY_TYPE_ATTR_* (linux/netlink.h).
const (
	policyAttrType     = 1
	policyAttrMinS     = 2
	policyAttrMaxS     = 3
	policyAttrMinU     = 4
	policyAttrMaxU     = 5
	policyAttrMinLen   = 6
	policyAttrMaxLen   = 7
	policyAttrIdx      = 8
	policyAttrMaxType  = 9
	policyAttrBf32Mask = 10
	policyAttrMask     = 12
)

// AppendAttrPolicy encodes p as the kernel's NL_POLICY_TYPE_ATTR_*
// attributes (the contents of an NLMSGERR_ATTR_POLICY nest or of a policy
// dump entry), the inverse of genl.DecodeAttrPolicy.
func AppendAttrPolicy(e *genl.Encoder, p *genl.AttrPolicy) {
	e.Uint32(policyAttrType, uint32(p.Type))
	put64 := func(t uint16, v *uint64) {
		if v != nil {
			e.Uint64(t, *v)
		}
	}
	put32 := func(t uint16, v *uint32) {
		if v != nil {
			e.Uint32(t, *v)
		}
	}
	if p.MinValue != nil {
		e.Int64(policyAttrMinS, *p.MinValue)
	}
	if p.MaxValue != nil {
		e.Int64(policyAttrMaxS, *p.MaxValue)
	}
	put64(policyAttrMinU, p.MinUValue)
	put64(policyAttrMaxU, p.MaxUValue)
	put32(policyAttrMinLen, p.MinLength)
	put32(policyAttrMaxLen, p.MaxLength)
	put32(policyAttrIdx, p.PolicyIndex)
	put32(policyAttrMaxType, p.NestedMaxType)
	put32(policyAttrBf32Mask, p.Bitfield32Mask)
	put64(policyAttrMask, p.Mask)
}
