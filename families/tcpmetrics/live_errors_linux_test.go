//go:build linux

package tcpmetrics

import (
	"net/netip"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// TestLiveErrors gets the kernel's errors: a get without an address, one
// for an address with no metrics, and an IPv4 address one byte long (which
// the typed client cannot send), which the kernel's policy names.
func TestLiveErrors(t *testing.T) {
	c, _ := liveClient(t)
	_, err := c.Get(ctx(t), &Attrs{})
	livetest.KernelError(t, err, syscall.EAFNOSUPPORT, "")
	_, err = c.Get(ctx(t), &Attrs{AddrIPv4: netip.MustParseAddr("192.0.2.77")})
	livetest.KernelError(t, err, syscall.ESRCH, "")
	var e genl.Encoder
	e.Uint8(AttrAddrIPv4, 1)
	_, err = c.Conn().Do(ctx(t), &genl.Request{Family: FamilyName, Command: uint8(CmdGet), Attrs: e.Bytes(), OpName: "get", Names: tcpMetricsTable})
	livetest.KernelError(t, err, syscall.ERANGE, ".addr-ipv4")
}
