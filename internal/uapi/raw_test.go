package uapi_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/uapi"

	"github.com/ynlgo/ynl/families/conntrack"
	"github.com/ynlgo/ynl/families/nftables"
	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/families/rtlink"
	"github.com/ynlgo/ynl/families/rtneigh"
	"github.com/ynlgo/ynl/families/rtroute"
	"github.com/ynlgo/ynl/families/rtrule"
	"github.com/ynlgo/ynl/families/tc"
)

// raw lists the classic netlink (netlink-raw) packages, each with the
// headers that define its structs besides those its spec names.
var raw = map[string]struct {
	desc    func() []byte
	headers []string
}{
	"conntrack": {conntrack.Descriptor, []string{"linux/netfilter/nfnetlink.h", "linux/netfilter/nfnetlink_conntrack.h", "linux/netfilter/nf_conntrack_tcp.h"}},
	"nftables":  {nftables.Descriptor, []string{"linux/netfilter/nfnetlink.h", "linux/netfilter/nf_tables.h"}},
	"rtaddr":    {rtaddr.Descriptor, []string{"linux/if_addr.h"}},
	"rtlink":    {rtlink.Descriptor, []string{"linux/if_link.h"}},
	"rtneigh":   {rtneigh.Descriptor, []string{"linux/neighbour.h"}},
	"rtroute":   {rtroute.Descriptor, nil},
	"rtrule":    {rtrule.Descriptor, []string{"linux/rtnetlink.h"}},
	"tc":        {tc.Descriptor, []string{"linux/pkt_sched.h", "linux/gen_stats.h"}},
}

// TestUAPIRaw compares the structs of the classic netlink packages (their
// fixed headers and packed attribute payloads) with the kernel's UAPI
// headers: size, every member's offset and width, and byte order. Their
// message types and attribute ids are not compared: the hand-written
// headers name them in ways the C generator's rule does not derive.
// Differences must be listed with a reason in testdata/expected-raw.txt.
func TestUAPIRaw(t *testing.T) {
	src := os.Getenv("YNL_KERNEL_SOURCE")
	if src == "" {
		t.Skip("YNL_KERNEL_SOURCE is unset: set it to a kernel source tree with include/uapi (bash .ci/kernel-source prints one; CI sets it)")
	}
	if _, err := os.Stat(filepath.Join(src, "include", "uapi", "linux")); err != nil {
		t.Fatalf("YNL_KERNEL_SOURCE=%s has no include/uapi/linux: %v", src, err)
	}
	exp, aliases := readExpected(t, "expected-raw.txt")
	used := map[string]bool{}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	var summary []string
	for _, pkg := range names {
		o := &uapi.Oracle{Kernel: src, Dir: t.TempDir(), Headers: raw[pkg].headers, Layouts: true}
		summary = append(summary, compareFamily(t, o, pkg, raw[pkg].desc(), exp, aliases, used))
	}
	for key := range exp {
		if !used[key] {
			t.Errorf("testdata/expected-raw.txt: %q no longer applies: remove it", key)
		}
	}
	t.Logf("classic netlink families' structs compared with the headers of %s:\n%s", src, strings.Join(summary, "\n"))
}

// knownRawBugs are the upstream spec mistakes in classic netlink structs
// that our overlays fix, as the oracle must report them on the spec alone.
var knownRawBugs = []struct {
	spec, name, ours, header string
}{
	{"rt-link", "sizeof(struct rtnl_link_ifmap)", "28", "32"},
	{"rt-link", "sizeof(struct ifla_vf_guid)", "12", "16"},
	{"rt-link", "offsetof(struct ifla_vf_guid, guid)", "4", "8"},
	{"rt-link", "sizeof(struct ifla_vf_vlan_info.vlan_proto)", "4", "2"},
	{"rt-link", "byteorder(struct ifla_vf_vlan_info.vlan_proto)", "host", "big-endian"},
	{"rt-route", "sizeof(struct rta_cacheinfo)", "20", "32"},
	{"rt-rule", "sizeof(struct rtgenmsg)", "4", "1"},
	{"tc", "sizeof(struct tc_stats)", "36", "40"},
	{"tc", "sizeof(struct gnet_stats_basic)", "12", "16"},
	{"tc", "offsetof(struct tc_pedit_sel, keys)", "22", "24"},
	{"tc", "sizeof(struct tc_ratespec)", "9", "12"},
	{"tc", "offsetof(struct tc_u32_sel, offmask)", "3", "4"},
}

// TestUAPIRawCatchesKnownBugs runs the struct comparison on the kernel's
// classic netlink specs without our overlays and checks it reports every
// bug the overlays fix.
func TestUAPIRawCatchesKnownBugs(t *testing.T) {
	src := os.Getenv("YNL_KERNEL_SOURCE")
	if src == "" {
		t.Skip("YNL_KERNEL_SOURCE is unset: set it to a kernel source tree with include/uapi (bash .ci/kernel-source prints one; CI sets it)")
	}
	_, aliases := readExpected(t, "expected-raw.txt")
	pkgOf := map[string]string{"rt-link": "rtlink", "rt-route": "rtroute", "rt-rule": "rtrule", "tc": "tc"}
	results := map[string]*uapi.Result{}
	for _, b := range knownRawBugs {
		r := results[b.spec]
		if r == nil {
			f, err := family.LoadByName(b.spec) // the upstream spec alone
			if err != nil {
				t.Skipf("the kernel's %s spec is not on YNL_SPEC_PATH (%v)", b.spec, err)
			}
			o := &uapi.Oracle{Kernel: src, Dir: t.TempDir(), Headers: raw[pkgOf[b.spec]].headers, Layouts: true}
			if r, err = o.Compare(f, aliases[f.Name]); err != nil {
				t.Fatal(err)
			}
			results[b.spec] = r
		}
		if !reports(r, b.name, b.ours, b.header) {
			t.Errorf("%s without our overlay: the oracle does not report %s = %s (header %s)", b.spec, b.name, b.ours, b.header)
		}
	}
}
