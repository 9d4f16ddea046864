package genltest

import (
	"syscall"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// serve answers the messages of one request datagram sent by s.
func (k *Kernel) serve(s *socket, datagram []byte) {
	if k.raw != nil {
		k.serveRaw(s, datagram)
		return
	}
	for _, m := range splitMsgs(datagram) {
		if m.flags&nlmFRequest == 0 || m.typ < ctrlID {
			continue // control messages (NOOP, DONE, ...) and non-requests
		}
		k.serveMsg(s, m)
	}
}

// serveMsg answers one request.
func (k *Kernel) serveMsg(s *socket, m nlMsg) {
	k.mu.Lock()
	fam := k.byID[m.typ]
	k.mu.Unlock()
	if fam == nil {
		s.enqueue(s.ack(m, &Error{Errno: syscall.ENOENT}, 0))
		return
	}
	hdrEnd := genlHdrLen + align4(int(fam.HeaderSize))
	if len(m.data) < genlHdrLen+int(fam.HeaderSize) {
		s.enqueue(s.ack(m, &Error{Errno: syscall.EINVAL, Message: "message shorter than the genl and family headers"}, 0))
		return
	}
	req := Request{
		Family:   fam.Name,
		Command:  m.data[0],
		Version:  m.data[1],
		Type:     m.typ,
		Flags:    netlink.HeaderFlags(m.flags),
		Dump:     m.flags&nlmFDump == nlmFDump,
		Header:   m.data[genlHdrLen : genlHdrLen+int(fam.HeaderSize)],
		Attrs:    m.data[min(hdrEnd, len(m.data)):],
		Sequence: m.seq,
		PortID:   m.port,
		Kernel:   k,
	}
	h := k.handler(fam, req)
	if h == nil {
		s.enqueue(s.ack(m, &Error{Errno: syscall.EOPNOTSUPP}, 0))
		return
	}
	replies, err := h(req)
	err = withPathOffset(err, req.Attrs)
	err = withHeaderOffset(err, int(fam.HeaderSize))
	base := nlmsgHdrLen + hdrEnd
	mk := func(out []byte, r Reply, flags uint16) []byte { return replyMsg(out, fam, m, r, flags) }
	if req.Dump {
		s.enqueue(dumpDatagrams(s, m, replies, err, base, mk)...)
		return
	}
	s.enqueue(doDatagrams(s, m, replies, err, base, mk)...)
}

// handler finds the handler for req: nlctrl's own, or the family's op.
func (k *Kernel) handler(fam *family, req Request) Handler {
	if fam.ID == ctrlID {
		return k.ctrlHandler(req)
	}
	h := fam.Ops[req.Command]
	if h == nil {
		return nil
	}
	if flags, ok := fam.OpFlags[req.Command]; ok {
		need := genl.OpDo
		if req.Dump {
			need = genl.OpDump
		}
		if flags&need == 0 {
			return nil
		}
	}
	return h
}

// doDatagrams answers a do request: each reply in its own datagram, then
// the ACK (if asked for, or on error). An error drops the replies, as the
// kernel sends nothing but the error then.
// mk appends one reply message.
func doDatagrams(s *socket, m nlMsg, replies []Reply, err error, base int, mk func([]byte, Reply, uint16) []byte) [][]byte {
	var out [][]byte
	var e *Error
	if err != nil {
		e = asError(err)
	}
	if e == nil || e.Errno == 0 {
		for _, r := range replies {
			out = append(out, mk(nil, r, 0))
		}
	} else {
		return [][]byte{s.ack(m, e, base)}
	}
	if m.flags&nlmFAck != 0 || e != nil {
		out = append(out, s.ack(m, e, base))
	}
	return out
}

// dumpDatagrams answers a dump: the replies flagged NLM_F_MULTI, packed
// into datagrams split where a Reply asks, then NLMSG_DONE. An error
// without replies fails the dump's start (NLMSG_ERROR); after replies it
// ends the dump in NLMSG_DONE.
func dumpDatagrams(s *socket, m nlMsg, replies []Reply, err error, base int, mk func([]byte, Reply, uint16) []byte) [][]byte {
	var e *Error
	if err != nil {
		e = asError(err)
	}
	if e != nil && e.Errno != 0 && len(replies) == 0 {
		return [][]byte{s.ack(m, e, base)}
	}
	var out [][]byte
	var cur []byte
	var intr uint16
	for _, r := range replies {
		intr |= uint16(r.Flags) & nlmFDumpIntr
		cur = mk(cur, r, nlmFMulti)
		if r.Split {
			out = append(out, cur)
			cur = nil
		}
	}
	payload, flags := ackPayload(m, e, base, true, true)
	cur = appendMsg(cur, nlmsgDone, nlmFMulti|intr|flags, m.seq, m.port, payload)
	return append(out, cur)
}

// replyMsg appends one reply message to out.
func replyMsg(out []byte, fam *family, m nlMsg, r Reply, flags uint16) []byte {
	cmd, ver := r.Command, r.Version
	if cmd == 0 {
		cmd = m.data[0]
	}
	if ver == 0 {
		ver = fam.Version
	}
	return appendMsg(out, fam.ID, flags|uint16(r.Flags), m.seq, m.port, genlPayload(cmd, ver, r.Header, r.Attrs))
}
