//go:build linux

package netdev

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// TestLiveErrors gets the kernel's errors: a device that is not there,
// and ifindex 0, which the kernel's policy refuses (at least 1) when the
// client's own check is off, naming the attribute.
func TestLiveErrors(t *testing.T) {
	c, _ := live(t)
	_, err := c.DevGet(ctx(t), &Dev{Ifindex: genl.Some[uint32](99999)})
	livetest.KernelError(t, err, syscall.ENODEV, "")
	c.NoValidate = true
	_, err = c.DevGet(ctx(t), &Dev{Ifindex: genl.Some[uint32](0)})
	livetest.KernelError(t, err, syscall.ERANGE, ".ifindex")
}
