package drift

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/binder/binderdesc"
	"github.com/ynlgo/ynl/families/devenergymodel/devenergymodeldesc"
	"github.com/ynlgo/ynl/families/devlink/devlinkdesc"
	"github.com/ynlgo/ynl/families/dpll/dplldesc"
	"github.com/ynlgo/ynl/families/drmras/drmrasdesc"
	"github.com/ynlgo/ynl/families/ethtool/ethtooldesc"
	"github.com/ynlgo/ynl/families/fou/foudesc"
	"github.com/ynlgo/ynl/families/handshake/handshakedesc"
	"github.com/ynlgo/ynl/families/lockd/lockddesc"
	"github.com/ynlgo/ynl/families/mptcppm/mptcppmdesc"
	"github.com/ynlgo/ynl/families/netdev/netdevdesc"
	"github.com/ynlgo/ynl/families/netshaper/netshaperdesc"
	"github.com/ynlgo/ynl/families/nfsd/nfsddesc"
	"github.com/ynlgo/ynl/families/nl80211/nl80211desc"
	"github.com/ynlgo/ynl/families/nlctrl/nlctrldesc"
	"github.com/ynlgo/ynl/families/ovpn/ovpndesc"
	"github.com/ynlgo/ynl/families/ovsdatapath/ovsdatapathdesc"
	"github.com/ynlgo/ynl/families/ovsflow/ovsflowdesc"
	"github.com/ynlgo/ynl/families/ovspacket/ovspacketdesc"
	"github.com/ynlgo/ynl/families/ovsvport/ovsvportdesc"
	"github.com/ynlgo/ynl/families/psp/pspdesc"
	"github.com/ynlgo/ynl/families/sunrpccache/sunrpccachedesc"
	"github.com/ynlgo/ynl/families/tcpmetrics/tcpmetricsdesc"
	"github.com/ynlgo/ynl/families/team/teamdesc"
	"github.com/ynlgo/ynl/families/wireguard/wireguarddesc"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// descriptors are the generic netlink families with a package under
// families/, in the order the expectation files list them.
var descriptors = []func() []byte{
	binderdesc.Descriptor, devenergymodeldesc.Descriptor, devlinkdesc.Descriptor, dplldesc.Descriptor,
	drmrasdesc.Descriptor, ethtooldesc.Descriptor, foudesc.Descriptor, handshakedesc.Descriptor,
	lockddesc.Descriptor, mptcppmdesc.Descriptor, netdevdesc.Descriptor, netshaperdesc.Descriptor,
	nfsddesc.Descriptor, nl80211desc.Descriptor, nlctrldesc.Descriptor, ovpndesc.Descriptor,
	ovsdatapathdesc.Descriptor, ovsflowdesc.Descriptor, ovspacketdesc.Descriptor, ovsvportdesc.Descriptor,
	pspdesc.Descriptor, sunrpccachedesc.Descriptor, tcpmetricsdesc.Descriptor, teamdesc.Descriptor,
	wireguarddesc.Descriptor,
}

//go:embed testdata/*.txt
var expected embed.FS

// TestLiveDrift compares every family's spec with the booted kernel (the
// lab loads every family's modules for this package) and the result with
// testdata/<kernel series>.txt: a kernel or spec change shows as a diff.
// On a difference it prints the new file between markers; go run
// ./internal/drift/update LOG writes the files from a saved lab log.
func TestLiveDrift(t *testing.T) {
	if os.Getenv("YNL_VMLAB") != "1" {
		t.Skip("the drift expectations are per Debian kernel: run it in the VM lab (go run ./internal/vmlab -kernel 7.2,6.12,6.1 -run TestLiveDrift ./internal/drift)")
	}
	rel := release()
	series := Series(rel)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var fams []Family
	for _, d := range descriptors {
		f, err := family.Parse("built-in spec", d())
		if err != nil {
			t.Fatal(err)
		}
		fams = append(fams, measure(t, ctx, conn, f))
	}
	got := Format(series, fams)
	name := "testdata/" + series + ".txt"
	want, err := expected.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		t.Errorf("kernel %s: no %s yet", rel, name)
	} else if err != nil {
		t.Fatal(err)
	}
	if string(want) == got {
		t.Logf("kernel %s: drift as in %s (%s)", rel, name, Summary(fams))
		return
	}
	t.Errorf("kernel %s: spec-vs-kernel drift differs from %s (- expected, + now):\n%s", rel, name, LineDiff(string(want), got))
	fmt.Printf("%s %s\n%s%s\n", BeginMarker, name, got, EndMarker)
}

// measure resolves one family and diffs it; a family the kernel lacks is
// recorded as such.
func measure(t *testing.T, ctx context.Context, conn *genl.Conn, f *family.Family) Family {
	t.Helper()
	_, lines, err := Kernel(ctx, conn, f)
	if errors.Is(err, os.ErrNotExist) {
		return Family{Name: f.Name, Missing: true}
	}
	if err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return Family{Name: f.Name, Lines: lines}
}

func release() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return "?"
	}
	var b []byte
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}
