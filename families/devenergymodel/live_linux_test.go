//go:build linux

package devenergymodel

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
)

// TestLiveResolveAndEmptyDump resolves dev-energymodel with its event
// group and dumps the performance domains: an emulated x86 CPU (the VM
// lab's guest) registers none, and the kernel answers with nothing.
func TestLiveResolveAndEmptyDump(t *testing.T) {
	c, err := Dial(livetest.Ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	f := livetest.Family(t, c.Conn(), FamilyName, "devenergymodel")
	if _, ok := f.Group(string(GroupEvent)); !ok {
		t.Errorf("%s has no %s group: %+v", FamilyName, GroupEvent, f.Groups)
	}
	n := 0
	for d, err := range c.GetPerfDomainsDump(livetest.Ctx(t), nil) {
		if err != nil {
			t.Fatalf("get-perf-domains dump: %v", err)
		}
		n++
		t.Logf("perf domain %+v", d)
	}
	if livetest.InLab() && n != 0 {
		t.Errorf("the lab's guest has no energy model, yet %d domains were dumped", n)
	}
}
