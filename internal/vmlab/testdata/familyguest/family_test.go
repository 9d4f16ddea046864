//go:build linux && vmlab

// Package familyguest checks inside the lab that the generic netlink
// families named by -families resolve, i.e. that the harness loaded their
// modules.
package familyguest

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/mdlayher/genetlink"
)

var families = flag.String("families", "", "comma-separated generic netlink families that must resolve")

func TestFamiliesResolve(t *testing.T) {
	if os.Getenv("YNL_VMLAB") == "" {
		t.Skip("guest-only test: run it through the vmlab harness")
	}
	if *families == "" {
		t.Fatal("no -families given")
	}
	c, err := genetlink.Dial(nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	for _, name := range strings.Split(*families, ",") {
		f, err := c.GetFamily(name)
		if err != nil {
			t.Errorf("family %s: %v", name, err)
			continue
		}
		t.Logf("family %s: id %d, %d groups", f.Name, f.ID, len(f.Groups))
	}
}
