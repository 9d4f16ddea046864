package sunrpccache

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The sunrpc family belongs to the sunrpc module, which this host's kernel
// lacks: these tests run the client against a fake kernel. Requests must
// decode to what the client sent, and replies built attribute by attribute
// must decode to the typed values.

func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupNone), string(GroupExportd)}, Ops: ops,
	})
	return New(k.Conn(t)), k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func TestFakeUnixGIDReqs(t *testing.T) {
	var e genl.Encoder
	n := e.Nest(AttrUnixGIDReqsRequests)
	e.Uint64(AttrUnixGIDSeqno, 3)
	e.Uint32(AttrUnixGIDUID, 1000)
	e.End(n)
	dumpReq, set := new(UnixGIDReqs), new(UnixGIDReqs)
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdUnixGIDGetReqs): genltest.Answer(dumpReq, e.Bytes()),
		uint8(CmdUnixGIDSetReqs): genltest.Answer(set),
	})
	var got []*UnixGIDReqs
	for m, err := range c.UnixGIDGetReqsDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "pending requests", []*UnixGIDReqs{{Requests: []UnixGID{{Seqno: genl.Some[uint64](3), UID: genl.Some[uint32](1000)}}}}, got)

	answer := &UnixGIDReqs{Requests: []UnixGID{{
		Seqno: genl.Some[uint64](3), UID: genl.Some[uint32](1000),
		GIDs: []uint32{1000, 27, 100}, Expiry: genl.Some[uint64](1900000000),
	}}}
	if err := c.UnixGIDSetReqs(ctx(t), answer); err != nil {
		t.Fatal(err)
	}
	diff(t, "set request the kernel received", answer, set)
}

func TestFakeCacheFlushAndNotify(t *testing.T) {
	flush := new(CacheFlush)
	c, k := fake(t, map[uint8]genltest.Handler{uint8(CmdCacheFlush): genltest.Answer(flush)})
	req := &CacheFlush{Mask: genl.Some(CacheTypeIPMap | CacheTypeUnixGID)}
	if err := c.CacheFlush(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "flush request the kernel received", req, flush)

	sub, err := c.Subscribe(ctx(t), GroupExportd)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(AttrCacheNotifyCacheType, uint32(CacheTypeIPMap))
	if err := k.Notify(FamilyName, string(GroupExportd), uint8(CmdCacheNotify), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdCacheNotify, Msg: &CacheNotify{CacheType: genl.Some(CacheTypeIPMap)}}, n)
	if s := CacheTypeIPMap.String(); s != "ip_map" {
		t.Errorf("CacheTypeIPMap.String() = %q, want the spec's ip_map", s)
	}
}
