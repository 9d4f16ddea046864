//go:build linux

package mptcppm

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// TestLiveErrors gets the kernel's errors: an endpoint id that is not
// there, and an endpoint without an address family; the kernel names
// the nest.
func TestLiveErrors(t *testing.T) {
	c, _ := liveClient(t)
	_, err := c.GetAddr(ctx(t), &Attr{Addr: &Address{ID: genl.Some[uint8](200)}})
	// 7.x points at the nest; 6.12 says only "address not found".
	livetest.KernelError(t, err, syscall.EINVAL, "")
	err = c.AddAddr(ctx(t), &Endpoint{Addr: &Address{Addr4: genl.Some(v4(10, 9, 0, 1))}})
	livetest.KernelError(t, err, syscall.EINVAL, ".addr")
}
