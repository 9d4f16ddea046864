package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// NS is a named network namespace that lives as long as one test.
type NS struct {
	// Name is the namespace's name, as ip netns knows it.
	Name string
	// Path is the namespace's file, for genl.DialOptions.NetNSPath.
	Path string
}

// New creates a fresh network namespace named ynl-<random> and deletes it
// when t ends. It skips t when not root or when ip (iproute2) is missing,
// since nothing else can create one.
func New(t testing.TB) *NS {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("live test: needs root to create a network namespace")
	}
	Require(t, "ip")
	var b [6]byte
	_, _ = rand.Read(b[:])
	ns := &NS{Name: "ynl-" + hex.EncodeToString(b[:])}
	ns.Path = "/run/netns/" + ns.Name
	run(t, "ip", "netns", "add", ns.Name)
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns.Name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v\n%s", ns.Name, err, out)
		}
	})
	return ns
}

// Require skips t when the command tool is not installed.
func Require(t testing.TB, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("live test: needs %s installed", tool)
	}
}

// DialOptions returns options that open sockets inside the namespace.
func (ns *NS) DialOptions() *genl.DialOptions {
	return &genl.DialOptions{NetNSPath: ns.Path}
}

// IP runs `ip -n <ns> args...` and returns its output, failing t on error.
func (ns *NS) IP(t testing.TB, args ...string) string {
	t.Helper()
	return run(t, "ip", append([]string{"-n", ns.Name}, args...)...)
}

// Exec runs a command inside the namespace (ip netns exec) and returns
// its output, failing t on error.
func (ns *NS) Exec(t testing.TB, cmd string, args ...string) string {
	t.Helper()
	return run(t, "ip", append([]string{"netns", "exec", ns.Name, cmd}, args...)...)
}

// Veth creates a veth pair a <-> b in the namespace and sets both up.
// Extra arguments go to `ip link add` before the type (numrxqueues 2, ...).
func (ns *NS) Veth(t testing.TB, a, b string, extra ...string) {
	t.Helper()
	args := append([]string{"link", "add", a}, extra...)
	args = append(args, "type", "veth", "peer", "name", b)
	ns.IP(t, args...)
	ns.IP(t, "link", "set", a, "up")
	ns.IP(t, "link", "set", b, "up")
}

// run runs a command and returns its combined output, failing t on error.
func run(t testing.TB, cmd string, args ...string) string {
	t.Helper()
	out, err := exec.Command(cmd, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", cmd, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Batch runs ip commands in the namespace in one `ip -batch` process,
// much faster than one process each.
func (ns *NS) Batch(t testing.TB, lines []string) {
	t.Helper()
	cmd := exec.Command("ip", "-n", ns.Name, "-batch", "-")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip -n %s -batch: %v\n%s", ns.Name, err, out)
	}
}
