package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// The Python tool prints messages it cannot decode, and --dbg-small-recv
// prints every message received, as its classes' repr(); these render the
// same text so scripts reading either tool's output see the same lines.

// nlRepr is repr(NlMsg): the netlink header fields.
func nlRepr(length uint32, payload int, flags, typ uint16) string {
	return fmt.Sprintf("nl_len = %d (%d) nl_flags = 0x%x nl_type = %d", length, payload, flags, typ)
}

// genlRepr is repr(GenlMsg) of a notification: the netlink header, the genl
// header and each attribute after the fixed header of the op replying with
// that command (none when the spec has no such op).
func genlRepr(spec *family.Family, id uint16, m genl.Message) string {
	var b strings.Builder
	total := 16 + 4 + len(m.Data)
	b.WriteString(nlRepr(uint32(total), total-16, uint16(m.Flags), id))
	fmt.Fprintf(&b, "\tgenl_cmd = %d genl_ver = %d\n", m.Command, m.Version)
	data := m.Data
	for _, op := range spec.Operations.List {
		if op.ReplyValue == int(m.Command) && op.FixedHeader != nil {
			data = data[min(op.FixedHeader.Size, len(data)):]
			break
		}
	}
	w := genl.NewWalker(data, nil)
	for w.Next() {
		fmt.Fprintf(&b, "\t\t[type:%d len:%d] %s\n", w.Type(), len(w.Data())+4, pyBytes(w.Data()))
	}
	return b.String()
}

// pyBytes is Python's repr of a bytes value: b'...' with printable ASCII
// as is and everything else escaped.
func pyBytes(p []byte) string {
	quote := byte('\'')
	if strings.IndexByte(string(p), '\'') >= 0 && strings.IndexByte(string(p), '"') < 0 {
		quote = '"'
	}
	var b strings.Builder
	b.WriteByte('b')
	b.WriteByte(quote)
	for _, c := range p {
		switch {
		case c == quote || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(quote)
	return b.String()
}

// printRecv is --dbg-small-recv's report of a datagram, on stderr as the
// Python tool prints it.
func printRecv(d []byte) {
	var lines []string
	for off := 0; off+16 <= len(d); {
		n := int(binary.NativeEndian.Uint32(d[off:]))
		if n < 16 || off+n > len(d) {
			break
		}
		lines = append(lines, "   "+nlRepr(uint32(n), n-16, binary.NativeEndian.Uint16(d[off+6:]), binary.NativeEndian.Uint16(d[off+4:])))
		off += (n + 3) &^ 3
	}
	fmt.Fprintln(os.Stderr, "Recv: read "+strconv.Itoa(len(d))+" bytes, "+strconv.Itoa(len(lines))+" messages")
	for _, l := range lines {
		fmt.Fprintln(os.Stderr, l)
	}
}
