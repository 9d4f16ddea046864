package bench

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// vethPairs is the number of veth pairs the benchmarks dump over; every
// pair is two ethtool devices.
const vethPairs = 500

// devices is the number of devices each dump must report.
const devices = 2 * vethPairs

// netnses are the network namespaces created by the test binary, by the
// number of veth pairs they hold. Each is made on first use and deleted by
// TestMain.
var netnses struct {
	mu    sync.Mutex
	made  map[int]*netnsState
	names []string // every namespace made, for TestMain to delete
}

type netnsState struct {
	name string // ip netns name
	err  error  // why it could not be made
}

// benchNetNS returns the path of the namespace holding vethPairs pairs.
func benchNetNS(tb testing.TB) string { return benchNetNSPairs(tb, vethPairs) }

// benchNetNSPairs returns the path of a namespace holding pairs veth
// pairs, making it on first use. It skips tb when not root or when ip is
// missing.
func benchNetNSPairs(tb testing.TB, pairs int) string {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("needs root: creates a network namespace and veths")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		tb.Skip("needs ip (iproute2) to create the veths")
	}
	netnses.mu.Lock()
	defer netnses.mu.Unlock()
	st := netnses.made[pairs]
	if st == nil {
		st = new(netnsState)
		st.name, st.err = makeNetNS(pairs)
		if st.name != "" {
			netnses.names = append(netnses.names, st.name)
		}
		if netnses.made == nil {
			netnses.made = map[int]*netnsState{}
		}
		netnses.made[pairs] = st
	}
	if st.err != nil {
		tb.Fatal(st.err)
	}
	return "/run/netns/" + st.name
}

// makeNetNS creates a namespace and the veth pairs in it with one
// `ip -batch` run, which is much faster than one ip process per link.
func makeNetNS(pairs int) (string, error) {
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "ynlbench-" + hex.EncodeToString(b[:])
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		return "", fmt.Errorf("ip netns add %s: %v: %s", name, err, out)
	}
	var batch bytes.Buffer
	for i := range pairs {
		fmt.Fprintf(&batch, "link add vb%da type veth peer name vb%db\n", i, i)
	}
	cmd := exec.Command("ip", "-n", name, "-batch", "-")
	cmd.Stdin = &batch
	if out, err := cmd.CombinedOutput(); err != nil {
		deleteNetNS(name)
		return "", fmt.Errorf("ip -n %s -batch: %v: %s", name, err, out)
	}
	return name, nil
}

// deleteNetNS deletes the namespace; the kernel destroys its veths.
func deleteNetNS(name string) {
	if name != "" {
		_ = exec.Command("ip", "netns", "del", name).Run()
	}
}

// TestMain prints the comparison table of BenchmarkVsC, if it ran, and
// deletes the namespaces when the tests and benchmarks are done.
func TestMain(m *testing.M) {
	code := m.Run()
	printFloorTable(os.Stdout)
	for _, name := range netnses.names {
		deleteNetNS(name)
	}
	stopCFloors()
	removeCLIBins()
	os.Exit(code)
}

// inNetNS runs f on an OS thread that entered the namespace at path, for
// libraries that open their sockets in the calling thread's namespace.
// Sockets stay in the namespace they were opened in; the thread is
// thrown away afterwards (its goroutine exits locked), so no other
// goroutine ever runs in the namespace by accident.
func inNetNS(path string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open %s: %w", path, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", path, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// errCount reports a dump that did not see every veth.
func errCount(lib string, got int) error {
	if got == devices {
		return nil
	}
	return fmt.Errorf("%s: dump saw %d devices, want %d", lib, got, devices)
}
