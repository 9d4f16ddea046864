package genltest_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// TestRawKernel serves a classic netlink family: a dump the kernel flags
// as interrupted yields its data, then ErrDumpInterrupted; a batch
// without its end message is refused whole; AddFamily is refused.
func TestRawKernel(t *testing.T) {
	ctx := context.Background()
	k := genltest.NewRaw(genl.ProtoRoute)
	var done []bool
	err := k.AddRawFamily(genltest.RawFamily{
		Name: "demo", HeaderSize: 4,
		Ops: map[uint16]genltest.Handler{
			20: func(req genltest.Request) ([]genltest.Reply, error) {
				if len(req.Header) != 4 || req.Header[0] != 7 {
					return nil, &genltest.Error{Errno: syscall.EINVAL, HeaderOffset: genl.Some(0)}
				}
				return []genltest.Reply{
					{Type: 21, Header: req.Header},
					{Type: 21, Header: req.Header, Flags: netlink.DumpInterrupted},
				}, nil
			},
			22: func(req genltest.Request) ([]genltest.Reply, error) { return nil, nil },
		},
		BatchBegin: 16, BatchEnd: 17,
		BatchDone: func(commit bool) { done = append(done, commit) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.AddFamily(genltest.Family{Name: "x"}); err == nil {
		t.Error("AddFamily on a classic netlink kernel succeeded")
	}
	c := k.RawConn(t)
	n := 0
	var derr error
	for m, err := range c.Dump(ctx, &genl.RawRequest{Family: "demo", Type: 20, Header: []byte{7, 0, 0, 0}}) {
		if err != nil {
			derr = err
			break
		}
		if m.Type != 21 || m.Data[0] != 7 {
			t.Errorf("message type %d data %x", m.Type, m.Data)
		}
		n++
	}
	if n != 2 || !errors.Is(derr, genl.ErrDumpInterrupted) {
		t.Fatalf("dump: %d messages, %v; want 2, then ErrDumpInterrupted", n, derr)
	}
	_, err = c.Do(ctx, &genl.RawRequest{Family: "demo", Type: 20, Header: []byte{1, 0, 0, 0}, Layout: &genl.HeaderLayout{Name: "demomsg", Fields: []genl.HeaderField{{Name: "kind", Size: 1}}}})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.HeaderField != "demomsg.kind" {
		t.Fatalf("do: %v, want EINVAL naming demomsg.kind", err)
	}
	hdr := []byte{0, 0, 0, 0}
	res, err := c.Batch(ctx, &genl.RawRequest{Type: 16, Header: hdr}, []*genl.RawRequest{{Type: 22, Header: hdr}, {Type: 23, Header: hdr}}, &genl.RawRequest{Type: 17, Header: hdr})
	var berr *genl.BatchError
	if !errors.As(err, &berr) || berr.Index != 1 || !errors.Is(err, syscall.EOPNOTSUPP) || len(res) != 2 || res[0].Err != nil {
		t.Fatalf("batch: %v, %+v; want request 1 failing with EOPNOTSUPP", err, res)
	}
	if len(done) != 1 || done[0] {
		t.Fatalf("BatchDone saw %v, want one batch not committed", done)
	}
	// A batch whose end message is missing is refused at its begin.
	_, err = c.Batch(ctx, &genl.RawRequest{Type: 16, Header: hdr}, []*genl.RawRequest{{Type: 22, Header: hdr}}, &genl.RawRequest{Type: 18, Header: hdr})
	if !errors.Is(err, syscall.EINVAL) {
		t.Fatalf("batch without its end: %v, want EINVAL", err)
	}
}
