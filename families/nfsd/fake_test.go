package nfsd

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no nfsd family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: nil, Ops: ops,
	})
	return New(k.Conn(t)), k
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
	set := new(Server)
	var e genl.Encoder
	e.Uint32(AttrServerThreads, 8)
	e.Uint32(AttrServerThreads, 4)
	e.Uint32(AttrServerGracetime, 90)
	e.Uint32(AttrServerLeasetime, 90)
	e.String(AttrServerScope, "nfs.example")
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdThreadsSet): genltest.Answer(set),
		uint8(CmdThreadsGet): genltest.Answer(new(Server), e.Bytes()),
	})
	want := &Server{Threads: []uint32{8, 4}, Gracetime: genl.Some[uint32](90), Leasetime: genl.Some[uint32](90), Scope: genl.Some("nfs.example")}
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
		e.Uint32BE(AttrRpcStatusXid, xid)
		e.Uint32(AttrRpcStatusProg, 100003)
		e.Uint8(AttrRpcStatusVersion, 4)
		e.Int64(AttrRpcStatusServiceTime, 1234567)
		e.Binary(AttrRpcStatusSaddr4, []byte{192, 0, 2, 1})
		e.Binary(AttrRpcStatusDaddr4, []byte{192, 0, 2, 2})
		e.Uint16BE(AttrRpcStatusSport, 2049)
		for _, op := range ops {
			e.Uint32(AttrRpcStatusCompoundOps, op)
		}
		return e.Bytes()
	}
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdRpcStatusGet): genltest.Answer(new(RpcStatus), call(1, 53, 22), call(2))})
	var got []*RpcStatus
	for m, err := range c.RpcStatusGetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	want := func(xid uint32, ops ...uint32) *RpcStatus {
		return &RpcStatus{
			Xid: genl.Some(xid), Prog: genl.Some[uint32](100003), Version: genl.Some[uint8](4), ServiceTime: genl.Some[int64](1234567),
			Saddr4: netip.MustParseAddr("192.0.2.1"), Daddr4: netip.MustParseAddr("192.0.2.2"), Sport: genl.Some[uint16](2049), CompoundOps: ops,
		}
	}
	diff(t, "dump", []*RpcStatus{want(1, 53, 22), want(2)}, got)
}
