package lockd_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/lockd"
	"github.com/ynlgo/ynl/families/lockd/lockdtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no lockd family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (lockdtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[lockd.Cmd]genltest.Handler) (*lockd.Client, *genltest.Kernel) {
	t.Helper()
	f := lockdtest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The lockd spec has only do operations (server-set, server-get) and no
// multicast groups, so there is no dump or notification to test.

func TestFakeServerSetAndGet(t *testing.T) {
	set := new(lockd.Server)
	var e genl.Encoder
	e.Uint32(lockd.AttrServerGracetime, 90)
	e.Uint16(lockd.AttrServerTCPPort, 4045)
	e.Uint16(lockd.AttrServerUDPPort, 0)
	c, _ := fake(t, map[lockd.Cmd]genltest.Handler{
		lockd.CmdServerSet: genltest.Answer(set),
		lockd.CmdServerGet: genltest.Answer(new(lockd.Server), e.Bytes()),
	})
	req := &lockd.Server{Gracetime: genl.Some[uint32](90), TCPPort: genl.Some[uint16](4045), UDPPort: genl.Some[uint16](0)}
	if err := c.ServerSet(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "set request the kernel received", req, set)
	rep, err := c.ServerGet(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "get reply", req, rep)
}
