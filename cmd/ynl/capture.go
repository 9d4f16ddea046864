package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"github.com/ynlgo/ynl/internal/lazyre"
)

// datagram is one captured netlink datagram.
type datagram struct {
	dir  string // "send", "recv" or "" when the capture does not say
	data []byte
	at   string // where it was in the capture, for errors
}

// readCapture splits a capture into datagrams: an nlmon pcap file
// (tcpdump -i nlmon0 -w), strace output (strace -X raw -e
// trace=sendmsg,recvmsg -s 65535, or without -X raw), or hex dumps as
// xxd -p prints them, one datagram per block of lines; blank lines end a
// block, and a line "send" or "recv" (or ">" / "<") before one gives its
// direction.
func readCapture(b []byte) ([]datagram, error) {
	if len(b) >= 4 {
		switch binary.LittleEndian.Uint32(b) {
		case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
			return readPcap(b)
		}
	}
	if straceCall.RE().Match(b) {
		return readStrace(b)
	}
	return readHex(b)
}

// readPcap reads a pcap file of link type NETLINK (253, what nlmon gives)
// or LINUX_SLL (113, a cooked capture of nlmon, whose packet type says
// the direction).
func readPcap(b []byte) ([]datagram, error) {
	if len(b) < 24 {
		return nil, fmt.Errorf("pcap: %d bytes, shorter than the file header", len(b))
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if m := binary.LittleEndian.Uint32(b); m == 0xd4c3b2a1 || m == 0x4d3cb2a1 {
		bo = binary.BigEndian
	}
	link := bo.Uint32(b[20:])
	if link != 253 && link != 113 {
		return nil, fmt.Errorf("pcap: link type %d, want NETLINK (253, nlmon) or LINUX_SLL (113)", link)
	}
	var out []datagram
	for off, n := 24, 1; off < len(b); n++ {
		if len(b)-off < 16 {
			return out, fmt.Errorf("pcap packet %d: truncated record header", n)
		}
		incl := int(bo.Uint32(b[off+8:]))
		off += 16
		if incl > len(b)-off {
			return out, fmt.Errorf("pcap packet %d: %d bytes recorded, %d left in the file", n, incl, len(b)-off)
		}
		p := b[off : off+incl]
		off += incl
		d := datagram{at: fmt.Sprintf("pcap packet %d", n)}
		if link == 113 {
			if len(p) < 16 {
				return out, fmt.Errorf("%s: shorter than its cooked header", d.at)
			}
			switch binary.BigEndian.Uint16(p) {
			case 0:
				d.dir = "recv"
			case 4:
				d.dir = "send"
			}
			p = p[16:]
		}
		d.data = p
		out = append(out, d)
	}
	return out, nil
}

// straceCall matches a traced netlink send or receive. strace -f pads the
// pid before a call to five columns ("812   write("), so a pid or a
// timestamp may be followed by several spaces.
var straceCall = &lazyre.Regexp{Expr: `(?m)^(?:\[pid +\d+\] )?(?:\d[\d:.]* +)*(sendmsg|recvmsg|sendto|recvfrom|write|read)\(`}

// straceBuf matches a buffer strace printed: iov_base="..." or the second
// argument of sendto/recvfrom/write/read.
var straceBuf = &lazyre.Regexp{Expr: `(?:iov_base=|^\w+\(\d+, )"((?:[^"\\]|\\.)*)"`}

// readStrace reads the buffers of traced sendmsg/recvmsg (and sendto,
// recvfrom, write, read) calls. A call that returned an error carries no
// datagram.
func readStrace(b []byte) ([]datagram, error) {
	var out []datagram
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 0; sc.Scan(); {
		line++
		text := sc.Text()
		m := straceCall.RE().FindStringSubmatchIndex(text)
		if m == nil || strings.Contains(text, "= -1 ") {
			continue
		}
		call := text[m[2]:m[3]]
		dir := "recv"
		if strings.HasPrefix(call, "send") || call == "write" {
			dir = "send"
		}
		data, ok, err := straceNetlink(text[m[2]:])
		if err != nil {
			return out, fmt.Errorf("strace line %d: %v", line, err)
		}
		if ok {
			if len(data) > 0 {
				out = append(out, datagram{dir: dir, data: data, at: fmt.Sprintf("strace line %d", line)})
			}
			continue
		}
		for _, bm := range straceBuf.RE().FindAllStringSubmatch(text[m[2]:], -1) {
			p, err := unescapeC(bm[1])
			if err != nil {
				return out, fmt.Errorf("strace line %d: %v", line, err)
			}
			data = append(data, p...)
		}
		if len(data) == 0 || ((call == "write" || call == "read") && !looksNetlink(data)) {
			continue // read(2) and write(2) on other descriptors (stdout)
		}
		out = append(out, datagram{dir: dir, data: data, at: fmt.Sprintf("strace line %d", line)})
	}
	return out, sc.Err()
}

// straceMsg matches a netlink message strace decoded on a netlink socket:
// its header's fields, then the payload as a string, a number (NLMSG_DONE)
// or an error structure (NLMSG_ERROR).
var straceMsg = &lazyre.Regexp{Expr: `\{nlmsg_len=(\d+), nlmsg_type=([^,]+), nlmsg_flags=([^,]+), nlmsg_seq=(\d+), nlmsg_pid=(\d+)\}, (?:"((?:[^"\\]|\\.)*)"|\{error=(-?\w+)|(-?\d+))`}

// straceNetlink rebuilds the messages strace printed decoded (it does so
// for datagrams read from netlink sockets, even with -X raw): the header
// from its fields, the payload from the string. An NLMSG_ERROR keeps only
// its error number. ok is false when the call shows no decoded message.
func straceNetlink(call string) (data []byte, ok bool, err error) {
	for _, m := range straceMsg.RE().FindAllStringSubmatch(call, -1) {
		ok = true
		typ, err1 := straceNumber(m[2], nlmsgNames)
		flags, err2 := straceNumber(m[3], nlmFlagNames)
		if err1 != nil || err2 != nil {
			return nil, true, fmt.Errorf("netlink header %s: run strace with -X raw for numbers", m[0])
		}
		seq, _ := strconv.ParseUint(m[4], 10, 32)
		pid, _ := strconv.ParseUint(m[5], 10, 32)
		var payload []byte
		switch {
		case m[7] != "":
			e, err := straceNumber(strings.TrimPrefix(m[7], "-"), errnoNames)
			if err != nil {
				return nil, true, fmt.Errorf("error %s: run strace with -X raw for numbers", m[7])
			}
			payload = binary.NativeEndian.AppendUint32(nil, uint32(-int32(e)))
			if !strings.HasPrefix(m[7], "-") {
				payload = binary.NativeEndian.AppendUint32(nil, uint32(e))
			}
			payload = append(payload, make([]byte, 16)...) // the request's header, not shown
		case m[8] != "":
			v, _ := strconv.ParseInt(m[8], 10, 32)
			payload = binary.NativeEndian.AppendUint32(nil, uint32(v))
		default:
			if payload, err = unescapeC(m[6]); err != nil {
				return nil, true, err
			}
		}
		h := make([]byte, 16, 16+len(payload)+3)
		binary.NativeEndian.PutUint32(h, uint32(16+len(payload)))
		binary.NativeEndian.PutUint16(h[4:], uint16(typ))
		binary.NativeEndian.PutUint16(h[6:], uint16(flags))
		binary.NativeEndian.PutUint32(h[8:], uint32(seq))
		binary.NativeEndian.PutUint32(h[12:], uint32(pid))
		msg := append(h, payload...)
		for len(msg)%4 != 0 {
			msg = append(msg, 0)
		}
		data = append(data, msg...)
	}
	return data, ok, nil
}

// The names strace prints for netlink header fields and errnos, as tables
// of constants: a map would be built at every start of the program.
var (
	nlmsgNames   = []nameValue{{"NLMSG_NOOP", 1}, {"NLMSG_ERROR", 2}, {"NLMSG_DONE", 3}, {"NLMSG_OVERRUN", 4}}
	nlmFlagNames = []nameValue{{"NLM_F_REQUEST", 1}, {"NLM_F_MULTI", 2}, {"NLM_F_ACK", 4}, {"NLM_F_ECHO", 8},
		{"NLM_F_DUMP_INTR", 0x10}, {"NLM_F_DUMP_FILTERED", 0x20}, {"NLM_F_ROOT", 0x100}, {"NLM_F_MATCH", 0x200},
		{"NLM_F_DUMP", 0x300}, {"NLM_F_CAPPED", 0x100}, {"NLM_F_ACK_TLVS", 0x200}}
	// errnoNames are the C names of the errnos strace may print by name
	// (ENODEV).
	errnoNames = []nameValue{
		{"EPERM", uint64(syscall.EPERM)}, {"ENOENT", uint64(syscall.ENOENT)}, {"ESRCH", uint64(syscall.ESRCH)},
		{"EINTR", uint64(syscall.EINTR)}, {"EIO", uint64(syscall.EIO)}, {"ENXIO", uint64(syscall.ENXIO)},
		{"E2BIG", uint64(syscall.E2BIG)}, {"EBADF", uint64(syscall.EBADF)}, {"EAGAIN", uint64(syscall.EAGAIN)},
		{"ENOMEM", uint64(syscall.ENOMEM)}, {"EACCES", uint64(syscall.EACCES)}, {"EFAULT", uint64(syscall.EFAULT)},
		{"EBUSY", uint64(syscall.EBUSY)}, {"EEXIST", uint64(syscall.EEXIST)}, {"ENODEV", uint64(syscall.ENODEV)},
		{"EINVAL", uint64(syscall.EINVAL)}, {"ENOSPC", uint64(syscall.ENOSPC)}, {"ERANGE", uint64(syscall.ERANGE)},
		{"EOPNOTSUPP", uint64(syscall.EOPNOTSUPP)}, {"EMSGSIZE", uint64(syscall.EMSGSIZE)},
		{"ENOBUFS", uint64(syscall.ENOBUFS)}, {"EADDRNOTAVAIL", uint64(syscall.EADDRNOTAVAIL)},
		{"ENOTSUP", uint64(syscall.ENOTSUP)}, {"ENETDOWN", uint64(syscall.ENETDOWN)},
		{"ENOTCONN", uint64(syscall.ENOTCONN)},
	}
)

// nameValue is a symbolic name and the number it stands for.
type nameValue struct {
	name  string
	value uint64
}

// lookupName returns the value of name in names.
func lookupName(names []nameValue, name string) (uint64, bool) {
	for _, nv := range names {
		if nv.name == name {
			return nv.value, true
		}
	}
	return 0, false
}

// straceNumber reads a number strace printed (decimal or 0x hex), or a
// '|'-joined list of the symbolic names in names.
func straceNumber(s string, names []nameValue) (uint64, error) {
	if v, err := strconv.ParseUint(s, 0, 64); err == nil {
		return v, nil
	}
	var v uint64
	for _, part := range strings.Split(s, "|") {
		n, ok := lookupName(names, strings.TrimSpace(part))
		if !ok {
			if x, err := strconv.ParseUint(strings.TrimSpace(part), 0, 64); err == nil {
				n, ok = x, true
			}
		}
		if !ok {
			return 0, fmt.Errorf("unknown name %q", part)
		}
		v |= n
	}
	return v, nil
}

// looksNetlink reports whether b starts with a plausible netlink header.
func looksNetlink(b []byte) bool {
	if len(b) < 16 {
		return false
	}
	n := int(binary.NativeEndian.Uint32(b))
	return n >= 16 && n <= len(b)
}

// unescapeC decodes the C string escapes strace prints (\x14, \0, \n, ...).
func unescapeC(s string) ([]byte, error) {
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 >= len(s) {
			return nil, fmt.Errorf("string ends in a backslash")
		}
		i++
		switch e := s[i]; e {
		case 'x':
			if i+2 >= len(s) {
				return nil, fmt.Errorf("short \\x escape")
			}
			v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad \\x escape %q", s[i-1:i+3])
			}
			out = append(out, byte(v))
			i += 2
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'v':
			out = append(out, '\v')
		case 'f':
			out = append(out, '\f')
		case '"', '\\', '\'':
			out = append(out, e)
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(s[i:j], 8, 8)
				out = append(out, byte(v))
				i = j - 1
				continue
			}
			return nil, fmt.Errorf("unknown escape \\%c", e)
		}
	}
	return out, nil
}

// readHex reads hex dumps: blocks of hex lines (spaces and an "0x"
// prefix allowed), separated by blank lines; "send"/"recv" (">"/"<") on a
// line of its own gives the next block's direction, "#" starts a comment.
func readHex(b []byte) ([]datagram, error) {
	var out []datagram
	var cur strings.Builder
	dir, start := "", 0
	flush := func() error {
		if cur.Len() == 0 {
			return nil
		}
		p, err := hex.DecodeString(cur.String())
		if err != nil {
			return fmt.Errorf("hex block at line %d: %v", start, err)
		}
		out = append(out, datagram{dir: dir, data: p, at: fmt.Sprintf("hex block at line %d", start)})
		cur.Reset()
		dir = ""
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		switch text {
		case "":
			if err := flush(); err != nil {
				return out, err
			}
			continue
		case "send", ">":
			if err := flush(); err != nil {
				return out, err
			}
			dir = "send"
			continue
		case "recv", "<":
			if err := flush(); err != nil {
				return out, err
			}
			dir = "recv"
			continue
		}
		if cur.Len() == 0 {
			start = line
		}
		text = strings.TrimPrefix(strings.TrimPrefix(text, "0x"), "0X")
		cur.WriteString(strings.Join(strings.Fields(text), ""))
	}
	if err := flush(); err != nil {
		return out, err
	}
	return out, sc.Err()
}
