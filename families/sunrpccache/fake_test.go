package sunrpccache_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/sunrpccache"
	"github.com/ynlgo/ynl/families/sunrpccache/sunrpccachetest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The sunrpc family belongs to the sunrpc module, which this host's kernel
// lacks: these tests run the client against a fake kernel. Requests must
// decode to what the client sent, and replies built attribute by attribute
// must decode to the typed values.

// fake serves the family from its generated fake kernel (sunrpccachetest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[sunrpccache.Cmd]genltest.Handler) (*sunrpccache.Client, *genltest.Kernel) {
	t.Helper()
	f := sunrpccachetest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

func TestFakeUnixGIDReqs(t *testing.T) {
	var e genl.Encoder
	n := e.Nest(sunrpccache.AttrUnixGIDReqsRequests)
	e.Uint64(sunrpccache.AttrUnixGIDSeqno, 3)
	e.Uint32(sunrpccache.AttrUnixGIDUID, 1000)
	e.End(n)
	dumpReq, set := new(sunrpccache.UnixGIDReqs), new(sunrpccache.UnixGIDReqs)
	c, _ := fake(t, map[sunrpccache.Cmd]genltest.Handler{
		sunrpccache.CmdUnixGIDGetReqs: genltest.Answer(dumpReq, e.Bytes()),
		sunrpccache.CmdUnixGIDSetReqs: genltest.Answer(set),
	})
	var got []*sunrpccache.UnixGIDReqs
	for m, err := range c.UnixGIDGetReqsDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	diff(t, "pending requests", []*sunrpccache.UnixGIDReqs{{Requests: []sunrpccache.UnixGID{{Seqno: genl.Some[uint64](3), UID: genl.Some[uint32](1000)}}}}, got)

	answer := &sunrpccache.UnixGIDReqs{Requests: []sunrpccache.UnixGID{{
		Seqno: genl.Some[uint64](3), UID: genl.Some[uint32](1000),
		GIDs: []uint32{1000, 27, 100}, Expiry: genl.Some[uint64](1900000000),
	}}}
	if err := c.UnixGIDSetReqs(ctx(t), answer); err != nil {
		t.Fatal(err)
	}
	diff(t, "set request the kernel received", answer, set)
}

func TestFakeCacheFlushAndNotify(t *testing.T) {
	flush := new(sunrpccache.CacheFlush)
	c, k := fake(t, map[sunrpccache.Cmd]genltest.Handler{sunrpccache.CmdCacheFlush: genltest.Answer(flush)})
	req := &sunrpccache.CacheFlush{Mask: genl.Some(sunrpccache.CacheTypeIPMap | sunrpccache.CacheTypeUnixGID)}
	if err := c.CacheFlush(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "flush request the kernel received", req, flush)

	sub, err := c.Subscribe(ctx(t), sunrpccache.GroupExportd)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(sunrpccache.AttrCacheNotifyCacheType, uint32(sunrpccache.CacheTypeIPMap))
	if err := k.Notify(sunrpccache.FamilyName, string(sunrpccache.GroupExportd), uint8(sunrpccache.CmdCacheNotify), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", sunrpccache.Notification{Cmd: sunrpccache.CmdCacheNotify, Msg: &sunrpccache.CacheNotify{CacheType: genl.Some(sunrpccache.CacheTypeIPMap)}}, n)
	if s := sunrpccache.CacheTypeIPMap.String(); s != "ip_map" {
		t.Errorf("CacheTypeIPMap.String() = %q, want the spec's ip_map", s)
	}
}
