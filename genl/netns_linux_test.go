//go:build linux

package genl

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// testNS is a network namespace of one test, made with `ip netns add` and
// deleted when the test ends.
type testNS struct {
	name string
}

// newTestNS creates a fresh network namespace, or skips when not root.
func newTestNS(t testing.TB) *testNS {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs iproute2's ip")
	}
	ns := &testNS{name: fmt.Sprintf("ynltest-%d-%08x", os.Getpid(), rand.Uint32())}
	runCmd(t, nil, "ip", "netns", "add", ns.name)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns.name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", ns.name, err, out)
		}
	})
	return ns
}

func (ns *testNS) path() string { return "/run/netns/" + ns.name }

// ip runs `ip -n <ns> args...`.
func (ns *testNS) ip(t testing.TB, args ...string) string {
	t.Helper()
	return runCmd(t, nil, "ip", append([]string{"-n", ns.name}, args...)...)
}

// batch runs ip commands in one `ip -batch` process.
func (ns *testNS) batch(t testing.TB, lines []string) {
	t.Helper()
	runCmd(t, strings.NewReader(strings.Join(lines, "\n")+"\n"), "ip", "-n", ns.name, "-batch", "-")
}

// exec runs a command inside the namespace.
func (ns *testNS) exec(t testing.TB, args ...string) string {
	t.Helper()
	return runCmd(t, nil, "ip", append([]string{"netns", "exec", ns.name}, args...)...)
}

// dial opens a Conn in the namespace, closed when the test ends.
func (ns *testNS) dial(t testing.TB, opts *DialOptions) *Conn {
	t.Helper()
	var o DialOptions
	if opts != nil {
		o = *opts
	}
	o.NetNSPath = ns.path()
	c, err := Dial(context.Background(), &o)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func runCmd(t testing.TB, stdin *strings.Reader, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out.String()
}

// testCtx returns a context that fails a hung test after a while rather
// than at the global test timeout.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}
