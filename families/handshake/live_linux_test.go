//go:build linux

package handshake

import (
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// TestLiveAcceptErrors asks the kernel for a TLS handshake to run when
// none is pending, and with a handler class out of the policy's range
// (validation off), which the kernel names. (A pending handshake needs a
// kernel TLS consumer such as an NFS mount over TLS.)
func TestLiveAcceptErrors(t *testing.T) {
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := livetest.Family(t, c.Conn(), FamilyName, "handshake")
	if _, ok := f.Group(string(GroupTlshd)); !ok {
		t.Errorf("handshake has no %s group: %+v", GroupTlshd, f.Groups)
	}
	_, err = c.Accept(livetest.Ctx(t), &Accept{HandlerClass: genl.Some(HandlerClassTlshd)})
	livetest.KernelError(t, err, syscall.EAGAIN, "")
	c.NoValidate = true
	_, err = c.Accept(livetest.Ctx(t), &Accept{HandlerClass: genl.Some(HandlerClass(7))})
	livetest.KernelError(t, err, syscall.ERANGE, ".handler-class")
}
