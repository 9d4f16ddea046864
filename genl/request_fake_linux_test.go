//go:build linux

package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/mdlayher/netlink/nltest"
	"golang.org/x/sys/unix"
)

// fakeKernel answers nlctrl getfamily for one family and hands everything
// else to handle. It exercises the paths the kernel cannot be made to take
// on demand (interrupted dumps, reloaded families, overruns).
type fakeKernel struct {
	mu     sync.Mutex
	family string
	id     uint16
	groups []Group
	handle func(req netlink.Message) ([]netlink.Message, error)
	notify func() ([]netlink.Message, error) // serves subscription sockets
	reqs   atomic.Int32                      // requests other than getfamily
}

func (k *fakeKernel) fn(reqs []netlink.Message) ([]netlink.Message, error) {
	if len(reqs) == 0 {
		if k.notify == nil {
			return nil, unix.EAGAIN
		}
		return k.notify()
	}
	req := reqs[0]
	if req.Header.Type == ctrlFamilyID && req.Data[0] == ctrlCmdGetFamily {
		return k.getFamily(req)
	}
	k.reqs.Add(1)
	return k.handle(req)
}

func (k *fakeKernel) getFamily(req netlink.Message) ([]netlink.Message, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	name, _ := familyKey(req.Data[genlHdrLen:])
	if name != k.family {
		return []netlink.Message{fakeAck(req, unix.ENOENT)}, nil
	}
	var e Encoder
	e.Uint16(ctrlAttrFamilyID, k.id)
	e.String(ctrlAttrFamilyName, k.family)
	e.Uint32(ctrlAttrVersion, 1)
	ops := e.Nest(ctrlAttrOps)
	for i, cmd := range []uint32{1, 2} {
		op := e.Nest(uint16(i + 1))
		e.Uint32(ctrlAttrOpID, cmd)
		e.Uint32(ctrlAttrOpFlags, uint32(OpDo|OpDump))
		e.End(op)
	}
	e.End(ops)
	grps := e.Nest(ctrlAttrMcastGrps)
	for i, g := range k.groups {
		n := e.Nest(uint16(i + 1))
		e.String(ctrlAttrMcastGrpName, g.Name)
		e.Uint32(ctrlAttrMcastGrpID, g.ID)
		e.End(n)
	}
	e.End(grps)
	return []netlink.Message{fakeReply(req, ctrlFamilyID, 0, ctrlCmdNewFamily, e.Bytes()), fakeAck(req, 0)}, nil
}

func (k *fakeKernel) setID(id uint16) {
	k.mu.Lock()
	k.id = id
	k.mu.Unlock()
}

func fakeReply(req netlink.Message, typ uint16, flags netlink.HeaderFlags, cmd uint8, attrs []byte) netlink.Message {
	return netlink.Message{
		Header: netlink.Header{Type: netlink.HeaderType(typ), Flags: flags, Sequence: req.Header.Sequence, PID: req.Header.PID},
		Data:   append([]byte{cmd, 1, 0, 0}, attrs...),
	}
}

// fakeAck builds an ACK (errno 0) or error for req, with extended ACK
// attributes when tlvs is given; the request is echoed in full, as without
// NETLINK_CAP_ACK.
func fakeAck(req netlink.Message, errno unix.Errno, tlvs ...byte) netlink.Message {
	hdr, _ := req.MarshalBinary()
	data := binary.NativeEndian.AppendUint32(nil, uint32(-int32(errno)))
	data = append(data, hdr...)
	flags := netlink.HeaderFlags(0)
	if len(tlvs) > 0 {
		flags |= netlink.AcknowledgeTLVs
		data = append(data, tlvs...)
	}
	return netlink.Message{
		Header: netlink.Header{Type: netlink.Error, Flags: flags, Sequence: req.Header.Sequence, PID: req.Header.PID},
		Data:   data,
	}
}

// newFakeConn returns a Conn over k, with a dial func opening more fake
// sockets.
func newFakeConn(t *testing.T, k *fakeKernel) *Conn {
	t.Helper()
	dial := func() (*netlink.Conn, error) { return nltest.Dial(k.fn), nil }
	c, err := NewConn(nltest.Dial(k.fn), dial)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func nameAttr(v string) []byte {
	var e Encoder
	e.String(1, v)
	return e.Bytes()
}

func TestFakeDumpInterrupted(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		var msgs []netlink.Message
		for i, name := range []string{"a", "b", "c"} {
			flags := netlink.Multi
			if i == 1 {
				flags |= netlink.DumpInterrupted
			}
			msgs = append(msgs, fakeReply(req, 0x20, flags, 1, nameAttr(name)))
		}
		done := fakeReply(req, 0, netlink.Multi, 0, nil)
		done.Header.Type, done.Data = netlink.Done, make([]byte, 4)
		return append(msgs, done), nil
	}
	c := newFakeConn(t, k)
	var got []string
	var last error
	for m, err := range c.Dump(context.Background(), &Request{Family: "fake", Command: 1, OpName: "thing-get"}) {
		if err != nil {
			last = err
			continue
		}
		w := NewWalker(m.Data, nil)
		for w.Next() {
			got = append(got, w.String())
		}
	}
	if !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("got %v, want all three messages before the error", got)
	}
	if !errors.Is(last, ErrDumpInterrupted) || !strings.Contains(last.Error(), "fake thing-get") {
		t.Errorf("err = %v, want ErrDumpInterrupted naming the op", last)
	}
}

func TestFakeErrorAndWarning(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	var e Encoder
	e.String(nlmsgerrAttrMsg, "bad name")
	// The offending byte: past nlmsghdr and genl header, the second
	// attribute of the request.
	e.Uint32(nlmsgerrAttrOffs, nlmsgHdrLen+genlHdrLen+8)
	tlvs := e.Bytes()
	var w Encoder
	w.String(nlmsgerrAttrMsg, "deprecated attribute")
	warn := w.Bytes()
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		if req.Data[0] == 2 {
			return []netlink.Message{fakeAck(req, unix.EINVAL, tlvs...)}, nil
		}
		return []netlink.Message{fakeReply(req, 0x20, 0, 1, nil), fakeAck(req, 0, warn...)}, nil
	}
	c := newFakeConn(t, k)
	var warnings []*Error
	c.opts.OnWarning = func(e *Error) { warnings = append(warnings, e) }

	var a Encoder
	a.Uint32(1, 7)
	a.String(2, "x")
	names := &NameTable{Names: []string{1: "id", 2: "name"}}
	_, err := c.Do(context.Background(), &Request{Family: "fake", Command: 2, Attrs: a.Bytes(), OpName: "thing-set", Names: names})
	var ge *Error
	if !errors.As(err, &ge) || ge.Errno != unix.EINVAL || ge.Message != "bad name" || ge.AttrPath != ".name" || ge.Offset != 8 {
		t.Errorf("err = %v (%+v), want EINVAL: bad name at .name", err, ge)
	}
	msgs, err := c.Do(context.Background(), &Request{Family: "fake", Command: 1, OpName: "thing-get"})
	if err != nil || len(msgs) != 1 {
		t.Fatalf("Do: %v, %d messages", err, len(msgs))
	}
	if len(warnings) != 1 || warnings[0].Message != "deprecated attribute" || warnings[0].Errno != 0 {
		t.Errorf("warnings = %v, want the ACK's message", warnings)
	}
	if want := "fake thing-get: warning: deprecated attribute"; len(warnings) == 1 && warnings[0].Error() != want {
		t.Errorf("warning text %q, want %q", warnings[0].Error(), want)
	}
}

// TestFakeFamilyReloaded re-registers a family under a new id: the request
// to the stale id fails with ENOENT and is retried once under the new one.
func TestFakeFamilyReloaded(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		k.mu.Lock()
		id := k.id
		k.mu.Unlock()
		if uint16(req.Header.Type) != id {
			return []netlink.Message{fakeAck(req, unix.ENOENT)}, nil
		}
		return []netlink.Message{fakeAck(req, 0)}, nil
	}
	c := newFakeConn(t, k)
	ctx := context.Background()
	if _, err := c.Do(ctx, &Request{Family: "fake", Command: 1}); err != nil {
		t.Fatal(err)
	}
	k.setID(0x21)
	k.reqs.Store(0)
	if _, err := c.Do(ctx, &Request{Family: "fake", Command: 1}); err != nil {
		t.Fatalf("Do after the reload: %v", err)
	}
	if n := k.reqs.Load(); n != 2 {
		t.Errorf("%d requests, want 2 (the stale one and its retry)", n)
	}
	if f, _ := c.Family(ctx, "fake"); f.ID != 0x21 {
		t.Errorf("cached id %#x, want 0x21", f.ID)
	}
	// A genuine ENOENT (the id did not change) is not retried.
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		return []netlink.Message{fakeAck(req, unix.ENOENT)}, nil
	}
	k.reqs.Store(0)
	if _, err := c.Do(ctx, &Request{Family: "fake", Command: 1}); !errors.Is(err, unix.ENOENT) {
		t.Errorf("err = %v, want ENOENT", err)
	}
	if n := k.reqs.Load(); n != 1 {
		t.Errorf("%d requests for a genuine ENOENT, want 1", n)
	}
	// The family is gone altogether.
	k.mu.Lock()
	k.family = "other"
	k.mu.Unlock()
	_, err := c.Do(ctx, &Request{Family: "fake", Command: 1})
	var nf *notFoundError
	if !errors.As(err, &nf) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want the family not found", err)
	}
}

func TestFakeWrongSequence(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		m := fakeReply(req, 0x20, 0, 1, nil)
		m.Header.Sequence += 1000
		return []netlink.Message{m}, nil
	}
	c := newFakeConn(t, k)
	_, err := c.Do(context.Background(), &Request{Family: "fake", Command: 1})
	if err == nil || !strings.Contains(err.Error(), "sequence") {
		t.Errorf("err = %v, want a sequence mismatch", err)
	}
}

func TestFakeSubscriptionOverrun(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20, groups: []Group{{Name: "events", ID: 7}}}
	var calls atomic.Int32
	k.notify = func() ([]netlink.Message, error) {
		if calls.Add(1) == 1 {
			return nil, unix.ENOBUFS
		}
		m := netlink.Message{Header: netlink.Header{Type: 0x20}, Data: append([]byte{5, 1, 0, 0}, nameAttr("ev")...)}
		return []netlink.Message{m}, nil
	}
	c := newFakeConn(t, k)
	sub, err := c.Subscribe(context.Background(), "fake", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	_, err = sub.Receive(context.Background())
	if !errors.Is(err, ErrOverrun) || !errors.Is(err, unix.ENOBUFS) {
		t.Fatalf("err = %v, want ErrOverrun", err)
	}
	m, err := sub.Receive(context.Background())
	if err != nil || m.Command != 5 || m.Family != "fake" {
		t.Errorf("after the overrun: %+v, %v", m, err)
	}
}

// TestFakeRequestFlagsAndVersion checks that Request.Flags reach the kernel
// next to the flags Do and Dump set themselves, and the genl version.
func TestFakeRequestFlagsAndVersion(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	var got []netlink.HeaderFlags
	var versions []uint8
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		got = append(got, req.Header.Flags)
		versions = append(versions, req.Data[1])
		if req.Header.Flags&netlink.Dump == netlink.Dump {
			done := fakeReply(req, 0, netlink.Multi, 0, nil)
			done.Header.Type, done.Data = netlink.Done, make([]byte, 4)
			return []netlink.Message{done}, nil
		}
		return []netlink.Message{fakeAck(req, 0)}, nil
	}
	c := newFakeConn(t, k)
	ctx := context.Background()
	if _, err := c.Do(ctx, &Request{Family: "fake", Command: 1, Version: 5, Flags: netlink.Create | netlink.Excl}); err != nil {
		t.Fatal(err)
	}
	for _, err := range c.Dump(ctx, &Request{Family: "fake", Command: 2}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []netlink.HeaderFlags{
		netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl,
		netlink.Request | netlink.Dump,
	}
	if !slices.Equal(got, want) {
		t.Errorf("flags %v, want %v", got, want)
	}
	// Version 5 as given, then the family's own version (1).
	if !slices.Equal(versions, []uint8{5, 1}) {
		t.Errorf("genl versions %v, want [5 1]", versions)
	}
}

func TestFakeHeaderSizeChecked(t *testing.T) {
	k := &fakeKernel{family: "fake", id: 0x20}
	k.handle = func(req netlink.Message) ([]netlink.Message, error) {
		return []netlink.Message{fakeAck(req, 0)}, nil
	}
	c := newFakeConn(t, k)
	_, err := c.Do(context.Background(), &Request{Family: "fake", Command: 1, Header: []byte{1, 2, 3, 4}, OpName: "x"})
	if err == nil || err.Error() != "genl: fake x: fixed header of 4 bytes, the kernel expects 0" {
		t.Errorf("err = %v", err)
	}
	if n := k.reqs.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
