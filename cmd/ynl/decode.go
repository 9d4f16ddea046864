package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Netlink's own message types.
const (
	nlmsgError = 2
	nlmsgDone  = 3
	nlmFReq    = 0x1
	genlHdr    = 4
	nlmsgHdr   = 16
)

// runDecode is `ynl decode`: it reads a capture (a file, or stdin) and
// prints each netlink message of the family in it as JSON, with its
// direction, type and header fields, the op it belongs to and its
// attributes, decoded as a live request prints them. Messages that cannot
// be decoded are reported on stderr, and the exit status is then 1.
func runDecode(ctx context.Context, o *options, p *printer, f *family.Family) error {
	var in []byte
	var err error
	if o.decodeFile == "" || o.decodeFile == "-" {
		in, err = io.ReadAll(os.Stdin)
	} else {
		in, err = os.ReadFile(o.decodeFile)
	}
	if err != nil {
		return usagef("decode: %v", err)
	}
	grams, err := readCapture(in)
	if err != nil {
		return usagef("decode: %v", err)
	}
	d := &decoder{f: f, opts: dynamic.Options{ProcessUnknown: o.unknown()}}
	if d.id, err = familyID(ctx, f, o.ids); err != nil {
		return err
	}
	if d.id >= 0 && f.Name != "nlctrl" {
		// Captures hold the family's resolution through nlctrl too.
		ctrl, err := lookupBuiltin("nlctrl").load()
		if err != nil {
			return err
		}
		d.ctrl = &decoder{f: ctrl, id: 0x10, opts: d.opts}
	}
	failed := 0
	for _, g := range grams {
		for i, off := 1, 0; off < len(g.data); i++ {
			v, n, err := d.message(g, g.data[off:])
			if err != nil {
				fmt.Fprintf(p.errw(), "ynl: decode %s, message %d: %v\n", g.at, i, err)
				failed++
			}
			if v != nil {
				if err := p.print(v); err != nil {
					return err
				}
			}
			if n <= 0 {
				break
			}
			off += n
		}
	}
	if failed > 0 {
		return &silentError{code: exitKernel}
	}
	return nil
}

// familyID is the message type a generic netlink family's messages carry:
// given by --id NAME=ID, else asked of the running kernel. Classic netlink
// families have none (-1): their types are the ops'.
func familyID(ctx context.Context, f *family.Family, ids []string) (int, error) {
	if !f.Protocol.IsGenetlink() {
		return -1, nil
	}
	for _, kv := range ids {
		name, v, ok := strings.Cut(kv, "=")
		if !ok {
			return 0, usagef("--id %q: want NAME=ID", kv)
		}
		id, err := strconv.ParseUint(v, 0, 16)
		if err != nil {
			return 0, usagef("--id %q: %v", kv, err)
		}
		if underscoresToDashes(name) == underscoresToDashes(f.Name) {
			return int(id), nil
		}
	}
	if f.Name == "nlctrl" {
		return 0x10, nil // GENL_ID_CTRL
	}
	conn, err := genl.Dial(ctx, &genl.DialOptions{NoWatch: true})
	if err == nil {
		defer conn.Close()
		var fam *genl.Family
		if fam, err = conn.Family(ctx, f.Name); err == nil {
			return int(fam.ID), nil
		}
	}
	return 0, fmt.Errorf("decode: the id of family %s: %v (give it with --id %s=ID)", f.Name, err, f.Name)
}

type decoder struct {
	f    *family.Family
	id   int
	opts dynamic.Options
	ctrl *decoder // nlctrl's messages (family resolution), when f is not nlctrl
}

// message decodes the netlink message at the start of b and returns it as
// a value to print and its aligned length (0: stop at this datagram's
// end).
func (d *decoder) message(g datagram, b []byte) (*dynamic.Map, int, error) {
	if len(b) < nlmsgHdr {
		return nil, 0, fmt.Errorf("%d bytes left, shorter than a netlink header", len(b))
	}
	n := int(binary.NativeEndian.Uint32(b))
	typ := binary.NativeEndian.Uint16(b[4:])
	flags := binary.NativeEndian.Uint16(b[6:])
	if n < nlmsgHdr || n > len(b) {
		return nil, 0, fmt.Errorf("nlmsg_len %d does not fit the %d bytes left", n, len(b))
	}
	m := &dynamic.Map{}
	if g.dir != "" {
		m.Set("direction", g.dir)
	}
	m.Set("type", uint64(typ))
	m.Set("flags", uint64(flags))
	m.Set("seq", uint64(binary.NativeEndian.Uint32(b[8:])))
	m.Set("pid", uint64(binary.NativeEndian.Uint32(b[12:])))
	next := (n + 3) &^ 3
	body := b[nlmsgHdr:n]
	switch {
	case typ == nlmsgError:
		return m, next, errorInfo(m, body)
	case typ == nlmsgDone:
		m.Set("done", true)
		return m, next, nil
	case typ < 0x10:
		m.Set("control", true)
		return m, next, nil
	}
	err := d.body(m, int(typ), flags&nlmFReq != 0, body)
	return m, next, err
}

// body decodes a family message: the op by the genl command (or, for
// classic netlink, the message type), a request by its request id, any
// other message as a reply or notification.
func (d *decoder) body(m *dynamic.Map, typ int, request bool, body []byte) error {
	cmd := typ
	if d.ctrl != nil && typ == d.ctrl.id {
		return d.ctrl.body(m, typ, request, body)
	}
	if d.id >= 0 {
		if typ != d.id {
			m.Set("family-id", uint64(typ))
			return fmt.Errorf("message type %d is not family %s (id %d)", typ, d.f.Name, d.id)
		}
		if len(body) < genlHdr {
			return fmt.Errorf("%d bytes, shorter than a genl header", len(body))
		}
		cmd, body = int(body[0]), body[genlHdr:]
		m.Set("cmd", uint64(cmd))
	}
	m.Set("family", d.f.Name)
	op := dynamic.MessageOp(d.f, cmd)
	if request || op == nil {
		op = requestOp(d.f, cmd, op)
	}
	if op == nil {
		return fmt.Errorf("family %s has no message with id %d", d.f.Name, cmd)
	}
	v, err := dynamic.DecodeMessage(op.FixedHeader, op.AttrSet, body, d.opts)
	m.Set("name", op.Name)
	if err != nil {
		return fmt.Errorf("%s %s: %w", d.f.Name, op.Name, err)
	}
	m.Set("msg", v)
	return nil
}

// requestOp finds the op sent with request id cmd, else keeps fallback.
func requestOp(f *family.Family, cmd int, fallback *family.Op) *family.Op {
	for _, op := range f.Operations.List {
		if op.RequestValue == cmd && (op.Do != nil || op.Dump != nil || op.AttrSet != nil) {
			return op
		}
	}
	return fallback
}

// errorInfo fills in an NLMSG_ERROR: the error number (0 is an ACK) and
// the extended ACK's message.
func errorInfo(m *dynamic.Map, body []byte) error {
	if len(body) < 4 {
		return fmt.Errorf("NLMSG_ERROR of %d bytes", len(body))
	}
	errno := -int32(binary.NativeEndian.Uint32(body))
	if errno == 0 {
		m.Set("ack", true)
	} else {
		m.Set("error", int64(errno))
		m.Set("strerror", strerror(&genl.Error{Errno: syscall.Errno(errno)}))
	}
	return nil
}
