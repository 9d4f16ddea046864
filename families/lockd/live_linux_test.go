//go:build linux

package lockd

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
	livetest.Family(t, c.Conn(), FamilyName, "lockd")
	return c
}

// TestLiveServer sets the lock manager's grace time and ports and reads
// them back. lockd has no dumps and no multicast groups.
func TestLiveServer(t *testing.T) {
	c := liveClient(t)
	ctx := livetest.Ctx(t)
	if err := c.ServerSet(ctx, &Server{Gracetime: genl.Some[uint32](45), TCPPort: genl.Some[uint16](4045), UDPPort: genl.Some[uint16](4046)}); err != nil {
		t.Fatalf("server-set: %v", err)
	}
	got, err := c.ServerGet(ctx)
	if err != nil {
		t.Fatalf("server-get: %v", err)
	}
	if got.Gracetime.Value != 45 || got.TCPPort.Value != 4045 || got.UDPPort.Value != 4046 {
		t.Errorf("server-get: %+v, want gracetime 45, tcp 4045, udp 4046", got)
	}
}

// TestLiveError sends a gracetime one byte long, which the typed client
// cannot: the kernel's strict policy wants a u32 ("invalid attribute
// length") and names the attribute.
func TestLiveError(t *testing.T) {
	c := liveClient(t)
	var e genl.Encoder
	e.Uint8(AttrServerGracetime, 1)
	_, err := c.Conn().Do(livetest.Ctx(t), &genl.Request{Family: FamilyName, Command: uint8(CmdServerSet), Attrs: e.Bytes(), OpName: "server-set", Names: serverTable})
	livetest.KernelError(t, err, syscall.EINVAL, ".gracetime")
}
