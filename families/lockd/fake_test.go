package lockd

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no lockd family, so these tests run the client
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
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The lockd spec has only do operations (server-set, server-get) and no
// multicast groups, so there is no dump or notification to test.

func TestFakeServerSetAndGet(t *testing.T) {
	set := new(Server)
	var e genl.Encoder
	e.Uint32(AttrServerGracetime, 90)
	e.Uint16(AttrServerTCPPort, 4045)
	e.Uint16(AttrServerUDPPort, 0)
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdServerSet): genltest.Answer(set),
		uint8(CmdServerGet): genltest.Answer(new(Server), e.Bytes()),
	})
	req := &Server{Gracetime: genl.Some[uint32](90), TCPPort: genl.Some[uint16](4045), UDPPort: genl.Some[uint16](0)}
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
