package ethtool

// This test is copied next to the package generated from the kernel's
// ethtool spec by the codegen compile test, and runs against the live
// kernel in a network namespace of its own.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/genl"
)

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

func TestLiveErrorNamesAttribute(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, &genl.DialOptions{NetNSPath: freshNetNS(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.LinkinfoGet(ctx, &Linkinfo{Header: &Header{DevName: genl.Some("nope0")}})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || !errors.Is(err, syscall.ENODEV) {
		t.Fatalf("linkinfo-get of a missing device: %v, want ENODEV as *genl.Error", err)
	}
	if !strings.Contains(err.Error(), ".header.dev-name") {
		t.Errorf("error %q does not name .header.dev-name", err)
	}
}
