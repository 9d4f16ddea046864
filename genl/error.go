package genl

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"
	"syscall"
)

// Error is a kernel error or warning for a request, with extended ACK
// detail. errors.Is(err, unix.ENODEV) matches its Errno.
type Error struct {
	// Family is the family name, e.g. "ethtool".
	Family string
	// Op is the op name if known (Request.OpName), else "cmd N".
	Op string
	// Errno is the kernel's error number; 0 for a warning on a successful
	// ACK.
	Errno syscall.Errno
	// Message is the kernel's extended ACK message (NLMSGERR_ATTR_MSG).
	Message string
	// Offset is the offending byte (NLMSGERR_ATTR_OFFS) relative to the
	// start of the request's attributes; -1 if the kernel gave none. It is
	// negative too when the kernel pointed into the headers.
	Offset int
	// AttrPath names the attribute at Offset: ".header.dev-name" with
	// Request.Names, ".1.2" without; "" if no offset. A "+N" suffix says the
	// offset is N bytes into the attribute's payload.
	AttrPath string
	// MissingType is the type of a missing attribute
	// (NLMSGERR_ATTR_MISS_TYPE), -1 if none.
	MissingType int
	// MissingNest is the offset of the nest that lacks the attribute
	// (NLMSGERR_ATTR_MISS_NEST), relative to the start of the request's
	// attributes like Offset; -1 if none (the attribute is missing at the
	// top level).
	MissingNest int
	// MissingPath names the missing attribute, ".header.dev-index", named
	// when possible; "" if nothing is missing.
	MissingPath string
	// HeaderField names the field of a classic netlink request's fixed
	// header the kernel pointed at ("ifaddrmsg.ifa-prefixlen"), or "".
	HeaderField string
	// Policy is the policy of the offending attribute the kernel quoted
	// (NLMSGERR_ATTR_POLICY), decoded; nil if none, or if it did not decode.
	Policy *AttrPolicy
	// Cookie is the kernel's NLMSGERR_ATTR_COOKIE, or nil.
	Cookie []byte
}

// Error renders the error the way the kernel's C ynl does:
// "ethtool linkinfo-get: no such device: <message> (bad attribute: .header.dev-name)".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Family != "" {
		b.WriteString(e.Family)
		b.WriteByte(' ')
	} else {
		b.WriteString("genl ")
	}
	b.WriteString(e.Op)
	b.WriteString(": ")
	if e.Errno != 0 {
		b.WriteString(e.Errno.Error())
	} else {
		b.WriteString("warning")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	switch {
	case e.HeaderField != "":
		b.WriteString(" (bad header field: " + e.HeaderField + ")")
	case e.AttrPath != "":
		b.WriteString(" (bad attribute: " + e.AttrPath + ")")
	case e.Offset >= 0:
		b.WriteString(" (bad attribute at offset " + strconv.Itoa(e.Offset) + ")")
	}
	if e.MissingPath != "" {
		b.WriteString(" (missing attribute: " + e.MissingPath + ")")
	}
	return b.String()
}

// Unwrap returns Errno, so errors.Is(err, unix.ENODEV) works; nil for a
// warning.
func (e *Error) Unwrap() error {
	if e.Errno == 0 {
		return nil
	}
	return e.Errno
}

// ErrDumpInterrupted reports that the kernel flagged a dump as interrupted
// (NLM_F_DUMP_INTR): the data changed while it was being dumped, so the
// messages already yielded may be inconsistent. Dump yields it after all the
// data; retry the dump for a consistent view.
var ErrDumpInterrupted = errors.New("genl: dump interrupted (NLM_F_DUMP_INTR): data may be inconsistent, retry the dump")

// ErrOverrun reports that a subscription's socket overran (ENOBUFS):
// notifications were lost. errors.Is(err, unix.ENOBUFS) matches it too. The
// subscription keeps going after it.
var ErrOverrun error = overrunError{}

type overrunError struct{}

func (overrunError) Error() string {
	return "genl: notifications lost: socket receive buffer overrun (ENOBUFS)"
}

// Is makes ErrOverrun match ENOBUFS.
func (overrunError) Is(target error) bool { return target == syscall.ENOBUFS }

// opLabel names a request's op for errors.
func opLabel(req *Request) string {
	if req.OpName != "" {
		return req.OpName
	}
	return "cmd " + strconv.Itoa(int(req.Command))
}

// unsupportedOpError is returned before sending an op the kernel does not
// list for the family.
type unsupportedOpError struct {
	family string
	cmd    uint8
	op     string
	dump   bool
}

func (e *unsupportedOpError) Error() string {
	what := "command "
	if e.dump {
		what = "dump of command "
	}
	s := "genl: " + e.family + ": kernel does not support " + what + strconv.Itoa(int(e.cmd))
	if e.op != "" {
		s += " (op " + strconv.Quote(e.op) + ")"
	}
	return s
}

// Is makes the error match errors.ErrUnsupported.
func (e *unsupportedOpError) Is(target error) bool { return target == errors.ErrUnsupported }

// notFoundError reports a family the kernel does not know.
type notFoundError struct {
	name string
	id   uint16
	err  error // the kernel's error, if any
}

func (e *notFoundError) Error() string {
	if e.name == "" {
		return "genl: family id " + strconv.Itoa(int(e.id)) + " not found"
	}
	return "genl: family " + strconv.Quote(e.name) + " not found (is its kernel module loaded?)"
}

// Is makes the error match os.ErrNotExist (fs.ErrNotExist).
func (e *notFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// Unwrap returns the kernel's error.
func (e *notFoundError) Unwrap() error { return e.err }
