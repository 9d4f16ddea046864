package genltest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
)

// RawFamily describes a classic netlink family (rt-link, nftables) that a
// kernel made by NewRaw serves. Its messages carry a fixed header and no
// genl header, and their types are the ops' request values.
type RawFamily struct {
	// Name is the family name, for errors and NotifyRaw.
	Name string
	// HeaderSize is the size of the fixed header (struct ifinfomsg,
	// nfgenmsg) of requests; HeaderSizes overrides it per request type,
	// for families whose ops carry different headers (rt-link's
	// getstats). Requests' Header has this size; replies' Header is sent
	// as given, padded to 4 bytes.
	HeaderSize  uint32
	HeaderSizes map[uint16]uint32
	// Ops maps request message types to their handlers.
	Ops map[uint16]Handler
	// Groups maps the family's multicast group names to their numbers
	// (RTNLGRP_LINK is 1), which subscribers join.
	Groups map[string]uint32
	// BatchBegin and BatchEnd, when set, are the message types framing an
	// nfnetlink batch (NFNL_MSG_BATCH_BEGIN and _END): the requests
	// between them, sent in one datagram, are served in order, each
	// answered with its own ACK or error, with Request.Batch set.
	BatchBegin, BatchEnd uint16
	// BatchDone, if set, is called after each batch with whether it
	// commits: false when any request of it failed, in which case the
	// kernel applies none of them; a fake that keeps state rolls back
	// there.
	BatchDone func(commit bool)
}

// rawState holds a classic netlink kernel's families; the Kernel's mutex
// guards it.
type rawState struct {
	proto   int
	byName  map[string]*RawFamily
	byType  map[uint16]*RawFamily
	byBegin map[uint16]*RawFamily
}

func (r *rawState) groupExists(id uint32) bool {
	for _, f := range r.byName {
		for _, g := range f.Groups {
			if g == id {
				return true
			}
		}
	}
	return false
}

// NewRaw returns a fake classic netlink kernel of protocol proto
// (genl.ProtoRoute, genl.ProtoNetfilter) holding no family: add them with
// AddRawFamily and connect with NewRawConn or RawConn. Requests, replies,
// dumps, errors with extended ACKs, interrupted dumps and notifications
// behave as on a generic netlink kernel (see the package doc), without
// nlctrl: classic netlink has no family ids to resolve.
func NewRaw(proto int) *Kernel {
	return &Kernel{
		byName:   map[string]*family{},
		byID:     map[uint16]*family{},
		nextPort: 1000,
		socks:    map[uint32]*socket{},
		raw: &rawState{proto: proto, byName: map[string]*RawFamily{},
			byType: map[uint16]*RawFamily{}, byBegin: map[uint16]*RawFamily{}},
	}
}

// AddRawFamily registers f on a kernel made by NewRaw. A name already
// registered, or a message type another family serves, is an error.
func (k *Kernel) AddRawFamily(f RawFamily) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.raw == nil {
		return errors.New("genltest: AddRawFamily on a generic netlink kernel; make it with NewRaw")
	}
	if f.Name == "" {
		return errors.New("genltest: raw family without a name")
	}
	if _, ok := k.raw.byName[f.Name]; ok {
		return fmt.Errorf("genltest: family %q already registered", f.Name)
	}
	for t := range f.Ops {
		if o := k.raw.byType[t]; o != nil {
			return fmt.Errorf("genltest: family %q: message type %d already served by %q", f.Name, t, o.Name)
		}
	}
	fam := f
	fam.Ops = maps.Clone(f.Ops)
	fam.Groups = maps.Clone(f.Groups)
	fam.HeaderSizes = maps.Clone(f.HeaderSizes)
	k.raw.byName[f.Name] = &fam
	for t := range fam.Ops {
		k.raw.byType[t] = &fam
	}
	if f.BatchBegin != 0 {
		k.raw.byBegin[f.BatchBegin] = &fam
	}
	return nil
}

// NotifyRaw sends m as a notification of a raw family to the subscribers
// of its group: a message of type m.Type carrying m.Header and m.Attrs.
func (k *Kernel) NotifyRaw(familyName, group string, m Reply) error {
	k.mu.Lock()
	var fam *RawFamily
	if k.raw != nil {
		fam = k.raw.byName[familyName]
	}
	k.mu.Unlock()
	if fam == nil {
		return fmt.Errorf("genltest: no raw family %q", familyName)
	}
	id, ok := fam.Groups[group]
	if !ok {
		return fmt.Errorf("genltest: family %q has no group %q", familyName, group)
	}
	if m.Type == 0 {
		return fmt.Errorf("genltest: %s notification to %s without a message type", familyName, group)
	}
	k.multicast(id, rawMsg(nil, m.Type, uint16(m.Flags), 0, 0, m))
	return nil
}

// NewRawConn returns a *genl.RawConn to a kernel made by NewRaw, which
// can open further sockets (for its pool and subscriptions). The caller
// closes it.
func (k *Kernel) NewRawConn() (*genl.RawConn, error) {
	if k.raw == nil {
		return nil, errors.New("genltest: NewRawConn on a generic netlink kernel; make it with NewRaw")
	}
	nc, err := k.Dial()
	if err != nil {
		return nil, err
	}
	c, err := genl.NewRawConn(nc, k.Dial, k.raw.proto)
	if err != nil {
		return nil, errors.Join(err, nc.Close())
	}
	return c, nil
}

// RawConn is NewRawConn for tests: the connection is closed when the test
// ends.
func (k *Kernel) RawConn(t testing.TB) *genl.RawConn {
	t.Helper()
	c, err := k.NewRawConn()
	if err != nil {
		t.Fatalf("genltest: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// rawMsg appends one classic netlink message carrying r's fixed header
// (padded) and attributes.
func rawMsg(out []byte, typ, flags uint16, seq, port uint32, r Reply) []byte {
	hdr := r.Header
	b := make([]byte, 0, align4(len(hdr))+len(r.Attrs))
	b = append(b, hdr...)
	b = append(b, make([]byte, align4(len(hdr))-len(hdr))...)
	b = append(b, r.Attrs...)
	return appendMsg(out, typ, flags, seq, port, b)
}

// serveRaw answers the messages of one datagram on a classic netlink
// kernel; a batch-begin message starts a batch that runs to its batch-end.
func (k *Kernel) serveRaw(s *socket, datagram []byte) {
	msgs := splitMsgs(datagram)
	for i := 0; i < len(msgs); i++ {
		m := msgs[i]
		if m.flags&nlmFRequest == 0 || m.typ < nlmsgMinType {
			continue
		}
		k.mu.Lock()
		batch := k.raw.byBegin[m.typ]
		k.mu.Unlock()
		if batch == nil {
			k.serveRawMsg(s, m, false)
			continue
		}
		j := i + 1
		for j < len(msgs) && msgs[j].typ != batch.BatchEnd {
			j++
		}
		if j == len(msgs) {
			// nfnetlink aborts a batch that does not end in its datagram.
			s.enqueue(s.ack(m, &Error{Errno: syscall.EINVAL, Message: "batch without its end message"}, 0))
			return
		}
		commit := true
		for _, q := range msgs[i+1 : j] {
			if q.flags&nlmFRequest != 0 && !k.serveRawMsg(s, q, true) {
				commit = false
			}
		}
		if batch.BatchDone != nil {
			batch.BatchDone(commit)
		}
		i = j
	}
}

// nlmsgMinType is NLMSG_MIN_TYPE: types below are netlink's own.
const nlmsgMinType = 0x10

// serveRawMsg answers one classic netlink request and reports whether it
// succeeded.
func (k *Kernel) serveRawMsg(s *socket, m nlMsg, inBatch bool) bool {
	k.mu.Lock()
	fam := k.raw.byType[m.typ]
	k.mu.Unlock()
	if fam == nil {
		s.enqueue(s.ack(m, &Error{Errno: syscall.EOPNOTSUPP}, 0))
		return false
	}
	hs := int(fam.HeaderSize)
	if n, ok := fam.HeaderSizes[m.typ]; ok {
		hs = int(n)
	}
	if len(m.data) < hs {
		s.enqueue(s.ack(m, &Error{Errno: syscall.EINVAL, Message: "message shorter than the family's fixed header"}, 0))
		return false
	}
	req := Request{
		Family:   fam.Name,
		Type:     m.typ,
		Flags:    netlink.HeaderFlags(m.flags),
		Dump:     m.flags&nlmFDump == nlmFDump,
		Batch:    inBatch,
		Header:   m.data[:hs],
		Attrs:    m.data[min(align4(hs), len(m.data)):],
		Sequence: m.seq,
		PortID:   m.port,
		Kernel:   k,
	}
	replies, err := fam.Ops[m.typ](req)
	err = withPathOffset(err, req.Attrs)
	err = withHeaderOffset(err, hs)
	base := nlmsgHdrLen + align4(hs)
	mk := func(out []byte, r Reply, flags uint16) []byte {
		typ := r.Type
		if typ == 0 {
			typ = m.typ
		}
		return rawMsg(out, typ, flags|uint16(r.Flags), m.seq, m.port, r)
	}
	if req.Dump {
		s.enqueue(dumpDatagrams(s, m, replies, err, base, mk)...)
	} else {
		s.enqueue(doDatagrams(s, m, replies, err, base, mk)...)
	}
	return err == nil || asError(err).Errno == 0
}

// RawOps routes a raw family's requests to handlers that can be set and
// replaced while the fake kernel runs, as Ops does for generic netlink
// families: one for the do and one for the dump of each request type.
// The typed fakes ynlgen generates for netlink-raw families are built on
// it. Its methods are safe for concurrent use.
type RawOps struct {
	// Family names the family in errors.
	Family string
	// Names maps request types to op names, for errors.
	Names map[uint16]string

	hs handlers[uint16]
}

// Set makes h answer the dumps (dump true) or dos of message type typ;
// nil removes the handler.
func (o *RawOps) Set(typ uint16, dump bool, h func(context.Context, Request) ([]Reply, error)) {
	o.hs.set(typ, dump, h)
}

// Serve answers req with the handler set for it, passing a context that
// RequestOf reads req from. A request no handler is set for fails with
// EOPNOTSUPP and a message naming the op.
func (o *RawOps) Serve(req Request) ([]Reply, error) {
	name := o.Names[req.Type]
	if name == "" {
		name = fmt.Sprintf("message type %d", req.Type)
	}
	return o.hs.serve(o.Family, name, req.Type, req)
}
