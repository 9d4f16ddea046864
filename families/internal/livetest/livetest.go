//go:build linux

// Package livetest holds what the live tests of the families that need
// kernel modules share: a skip naming the VM lab command when the running
// kernel lacks the family, checks of real kernel errors, and helpers for
// the guest's tools. In the VM lab (go run ./internal/vmlab
// ./families/...) the guest loads each package's modules and sets
// YNL_VMLAB=1; on a host without the module the tests skip.
package livetest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

// InLab reports whether the test runs in the VM lab's guest.
func InLab() bool { return os.Getenv("YNL_VMLAB") == "1" }

// Ctx returns a context that ends with the test, after at most a minute.
func Ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// Family skips t unless the kernel has the generic netlink family, naming
// the lab command that runs the test where it does; in the lab a missing
// family is skipped too when its module is not in that kernel (ovpn before
// 6.16), with the kernel release named. It returns the family.
func Family(t testing.TB, c *genl.Conn, family, pkg string) *genl.Family {
	t.Helper()
	f, err := c.Family(Ctx(t), family)
	if errors.Is(err, os.ErrNotExist) {
		if InLab() {
			t.Skipf("kernel %s has no %s family (not in this kernel, or its module is missing)", Release(), family)
		}
		t.Skipf("kernel has no %s family: run it in the VM lab (go run ./internal/vmlab ./families/%s)", family, pkg)
	}
	if err != nil {
		t.Fatalf("resolving %s: %v", family, err)
	}
	return f
}

// Release returns the running kernel's release (uname -r).
func Release() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "?"
	}
	var b strings.Builder
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b.WriteByte(byte(c))
	}
	return b.String()
}

// KernelAtLeast skips t unless the running kernel is at least major.minor,
// naming both versions.
func KernelAtLeast(t testing.TB, major, minor int, why string) {
	t.Helper()
	if !AtLeast(major, minor) {
		t.Skipf("needs Linux %d.%d or newer (%s); this is %s", major, minor, why, Release())
	}
}

// KernelError fails t unless err is a kernel error (genl.Error) with the
// errno and, if path is not "", the attribute path the kernel's extended
// ACK pointed at (Error.AttrPath, or Error.MissingPath for a missing
// attribute). It returns the error.
func KernelError(t testing.TB, err error, errno syscall.Errno, path string) *genl.Error {
	t.Helper()
	var ge *genl.Error
	if !errors.As(err, &ge) {
		t.Fatalf("got %v (%T), want a kernel error %v", err, err, errno)
	}
	if ge.Errno != errno {
		t.Fatalf("got %v, want errno %v (%d)", err, errno, int(errno))
	}
	if path != "" && ge.AttrPath != path && ge.MissingPath != path {
		t.Fatalf("got %v: attribute path %q (missing %q), want %q", err, ge.AttrPath, ge.MissingPath, path)
	}
	t.Logf("kernel error: %v", err)
	return ge
}

// Run runs a command and returns its output, failing t on error; it skips
// t when the program is not installed.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("needs %s installed", name)
	}
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Ifindex returns a network device's index from sysfs.
func Ifindex(t testing.TB, name string) uint32 {
	t.Helper()
	b, err := os.ReadFile("/sys/class/net/" + name + "/ifindex")
	if err != nil {
		t.Fatalf("ifindex of %s: %v", name, err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 32)
	if err != nil {
		t.Fatalf("ifindex of %s: %v", name, err)
	}
	return uint32(n)
}

// Subscribe joins multicast groups of a family on conn, closing the
// subscription when t ends.
func Subscribe(t testing.TB, c *genl.Conn, family string, groups ...string) *genl.Subscription {
	t.Helper()
	sub, err := c.Subscribe(Ctx(t), family, groups...)
	if err != nil {
		t.Fatalf("subscribe %s %v: %v", family, groups, err)
	}
	t.Cleanup(func() { sub.Close() })
	return sub
}

// Wait receives notifications until one with the command arrives for
// which match (nil matches any) holds, and returns it; it fails t after
// 10 s, naming the commands seen.
func Wait(t testing.TB, sub *genl.Subscription, cmd uint8, match func(genl.Message) bool) genl.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var seen []uint8
	for {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatalf("waiting for notification %d: %v (seen commands %v)", cmd, err, seen)
		}
		seen = append(seen, m.Command)
		if m.Command == cmd && (match == nil || match(m)) {
			return m
		}
	}
}

// AtLeast reports whether the running kernel is at least major.minor.
func AtLeast(major, minor int) bool {
	var ma, mi int
	parts := strings.SplitN(Release(), ".", 3)
	if len(parts) >= 2 {
		ma, _ = strconv.Atoi(parts[0])
		mi, _ = strconv.Atoi(strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	}
	return ma > major || ma == major && mi >= minor
}
