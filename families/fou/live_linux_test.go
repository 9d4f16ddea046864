//go:build linux

package fou

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

func liveClient(t *testing.T) *Client {
	t.Helper()
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "fou")
	return c
}

// TestLivePorts adds a FOU and a GUE receive port, reads them back with a
// get and a dump (the port is big-endian on the wire: a wrong byte order
// would show as another port), and deletes them. The family has no
// multicast groups.
func TestLivePorts(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	fouPort := &Attrs{Port: genl.Some[uint16](5555), Af: genl.Some[uint8](syscall.AF_INET), Ipproto: genl.Some[uint8](4), Type: genl.Some[uint8](1)} // IPIP over FOU
	guePort := &Attrs{Port: genl.Some[uint16](6666), Af: genl.Some[uint8](syscall.AF_INET6), Type: genl.Some[uint8](2)}                              // GUE
	for _, p := range []*Attrs{fouPort, guePort} {
		if err := c.Add(ctx, p); err != nil {
			t.Fatalf("add port %d: %v", p.Port.Value, err)
		}
		t.Cleanup(func() { _ = c.Del(livetest.Ctx(t), &Attrs{Port: p.Port, Af: p.Af}) })
	}
	got, err := c.Get(ctx, &Attrs{Port: fouPort.Port, Af: fouPort.Af})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.Port.Value != 5555 || got.Ipproto.Value != 4 || got.Type.Value != 1 || got.Af.Value != syscall.AF_INET {
		t.Errorf("get: %+v", got)
	}
	seen := map[uint16]*Attrs{}
	for m, err := range c.GetDump(ctx, nil) {
		if err != nil {
			t.Fatalf("dump: %v", err)
		}
		seen[m.Port.Value] = m
	}
	if len(seen) != 2 || seen[5555] == nil || seen[6666] == nil || seen[6666].Type.Value != 2 || seen[6666].Af.Value != syscall.AF_INET6 {
		t.Errorf("dump: %+v", seen)
	}

	// The same port again cannot bind its socket; after a delete, get finds
	// nothing.
	livetest.KernelError(t, c.Add(ctx, fouPort), syscall.EADDRINUSE, "")
	if err := c.Del(ctx, &Attrs{Port: fouPort.Port, Af: fouPort.Af}); err != nil {
		t.Fatalf("del: %v", err)
	}
	_, err = c.Get(ctx, &Attrs{Port: fouPort.Port, Af: fouPort.Af})
	livetest.KernelError(t, err, syscall.ESRCH, "")
}

// TestLivePolicyError sends an ipproto of 0, which the kernel's policy
// refuses (at least 1), with validation off: the error names the
// attribute.
func TestLivePolicyError(t *testing.T) {
	c := liveClient(t)
	c.NoValidate = true
	err := c.Add(livetest.Ctx(t), &Attrs{Port: genl.Some[uint16](5556), Af: genl.Some[uint8](syscall.AF_INET), Ipproto: genl.Some[uint8](0)})
	livetest.KernelError(t, err, syscall.ERANGE, ".ipproto")
}
