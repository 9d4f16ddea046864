package nfsd_test

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/families/nfsd"
	"github.com/ynlgo/ynl/families/nfsd/nfsdtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no nfsd family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (nfsdtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[nfsd.Cmd]genltest.Handler) (*nfsd.Client, *genltest.Kernel) {
	t.Helper()
	f := nfsdtest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The nfsd spec has no multicast groups, so there are no notifications
// to test.

func TestFakeThreadsSetAndGet(t *testing.T) {
	set := new(nfsd.Server)
	var e genl.Encoder
	e.Uint32(nfsd.AttrServerThreads, 8)
	e.Uint32(nfsd.AttrServerThreads, 4)
	e.Uint32(nfsd.AttrServerGracetime, 90)
	e.Uint32(nfsd.AttrServerLeasetime, 90)
	e.String(nfsd.AttrServerScope, "nfs.example")
	c, _ := fake(t, map[nfsd.Cmd]genltest.Handler{
		nfsd.CmdThreadsSet: genltest.Answer(set),
		nfsd.CmdThreadsGet: genltest.Answer(new(nfsd.Server), e.Bytes()),
	})
	want := &nfsd.Server{Threads: []uint32{8, 4}, Gracetime: genl.Some[uint32](90), Leasetime: genl.Some[uint32](90), Scope: genl.Some("nfs.example")}
	if err := c.ThreadsSet(ctx(t), want); err != nil {
		t.Fatal(err)
	}
	diff(t, "threads-set request the kernel received", want, set)
	rep, err := c.ThreadsGet(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "threads-get reply", want, rep)
}

func TestFakeRpcStatusGetDump(t *testing.T) {
	call := func(xid uint32, ops ...uint32) []byte {
		var e genl.Encoder
		e.Uint32BE(nfsd.AttrRpcStatusXid, xid)
		e.Uint32(nfsd.AttrRpcStatusProg, 100003)
		e.Uint8(nfsd.AttrRpcStatusVersion, 4)
		e.Int64(nfsd.AttrRpcStatusServiceTime, 1234567)
		e.Binary(nfsd.AttrRpcStatusSaddr4, []byte{192, 0, 2, 1})
		e.Binary(nfsd.AttrRpcStatusDaddr4, []byte{192, 0, 2, 2})
		e.Uint16BE(nfsd.AttrRpcStatusSport, 2049)
		for _, op := range ops {
			e.Uint32(nfsd.AttrRpcStatusCompoundOps, op)
		}
		return e.Bytes()
	}
	c, _ := fake(t, map[nfsd.Cmd]genltest.Handler{nfsd.CmdRpcStatusGet: genltest.Answer(new(nfsd.RpcStatus), call(1, 53, 22), call(2))})
	var got []*nfsd.RpcStatus
	for m, err := range c.RpcStatusGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(xid uint32, ops ...uint32) *nfsd.RpcStatus {
		return &nfsd.RpcStatus{
			Xid: genl.Some(xid), Prog: genl.Some[uint32](100003), Version: genl.Some[uint8](4), ServiceTime: genl.Some[int64](1234567),
			Saddr4: netip.MustParseAddr("192.0.2.1"), Daddr4: netip.MustParseAddr("192.0.2.2"), Sport: genl.Some[uint16](2049), CompoundOps: ops,
		}
	}
	diff(t, "dump", []*nfsd.RpcStatus{want(1, 53, 22), want(2)}, got)
}
