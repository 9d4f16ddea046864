package netdev

// This test is copied next to the package generated from the kernel's
// netdev spec by the codegen compile test, and runs against the live
// kernel in a network namespace of its own.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

// freshNetNS creates a network namespace for the test and returns its path.
func freshNetNS(t *testing.T) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("live kernel test: needs root to create a network namespace")
	}
	name := fmt.Sprintf("ynltest-%08x", rand.Uint32())
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Skipf("cannot create a network namespace (ip netns add: %v: %s)", err, out)
	}
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	return "/run/netns/" + name
}

func TestLiveDevDump(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, &genl.DialOptions{NetNSPath: freshNetNS(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var ifindexes []uint32
	for dev, err := range c.DevGetDump(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		ifindexes = append(ifindexes, dev.Ifindex.Value)
	}
	// A fresh namespace holds only lo, ifindex 1.
	if len(ifindexes) != 1 || ifindexes[0] != 1 {
		t.Fatalf("dev-get dump in a fresh netns: ifindexes %v, want [1]", ifindexes)
	}
	dev, err := c.DevGet(ctx, &Dev{Ifindex: genl.Some[uint32](1)})
	if err != nil {
		t.Fatal(err)
	}
	if dev.Ifindex.Value != 1 || !dev.XDPFeatures.Valid {
		t.Errorf("dev-get lo: %+v", dev)
	}
}
