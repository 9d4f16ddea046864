package main

import (
	"strings"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// TestFormatHeaderField: an error inside a fixed header names the field.
func TestFormatHeaderField(t *testing.T) {
	e := &genl.Error{Family: "rt-addr", Op: "getaddr", Errno: syscall.EINVAL, Message: "Invalid values in header",
		Offset: -3, MissingType: -1, MissingNest: -1, HeaderField: "ifaddrmsg.ifa-prefixlen"}
	if got := formatKernelError(e); !strings.Contains(got, "\nbad header field: ifaddrmsg.ifa-prefixlen\n") {
		t.Errorf("formatKernelError: %q", got)
	}
}
