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
	"conntrack": {conntrack.Descriptor, []string{"linux/netfilter/nfnetlink.h", "linux/netfilter/nfnetlink_conntrack.h", "linux/netfilter/nf_conntrack_tcp.h", "linux/netfilter/nf_conntrack_sctp.h", "linux/netfilter/nf_conntrack_common.h"}},
	"nftables":  {nftables.Descriptor, []string{"linux/netlink.h", "linux/netfilter/nfnetlink.h", "linux/netfilter/nf_tables.h", "linux/netfilter/nf_tables_compat.h", "linux/netfilter/nf_nat.h", "linux/netfilter/nf_log.h", "linux/netfilter.h", "linux/netfilter/nf_conntrack_tuple_common.h"}},
	"rtaddr":    {rtaddr.Descriptor, []string{"linux/if_addr.h", "linux/rtnetlink.h"}},
	"rtlink":    {rtlink.Descriptor, []string{"linux/if_link.h", "linux/if.h", "linux/if_ether.h", "linux/ip.h", "linux/ipv6.h", "linux/snmp.h", "linux/if_vlan.h"}},
	"rtneigh":   {rtneigh.Descriptor, []string{"linux/neighbour.h", "linux/rtnetlink.h"}},
	"rtroute":   {rtroute.Descriptor, []string{"linux/rtnetlink.h"}},
	"rtrule":    {rtrule.Descriptor, []string{"linux/rtnetlink.h", "linux/fib_rules.h"}},
	"tc":        {tc.Descriptor, []string{"linux/pkt_sched.h", "linux/pkt_cls.h", "linux/gen_stats.h", "linux/rtnetlink.h"}},
}

// TestUAPIRaw compares the classic netlink packages with the kernel's
// UAPI headers: message types, attribute ids, enum and flag values,
// multicast group numbers, the attribute types the headers' kernel-doc
// names ("(NLA_U32)"), and the structs (their fixed headers and packed
// attribute payloads): size, every member's offset, width, byte order and
// signedness. The hand-written headers name things in ways the C
// generator's rule does not derive: testdata/expected-raw.txt maps our
// names to theirs (prefix rules with '*', and C expressions for the
// netfilter message types), and lists every difference with a reason.
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
	// The rtnetlink message types are one enum, which the rt-* and tc
	// specs split: a type is missing when no spec has it.
	uncovered := map[string]int{}
	rtnl := 0
	for _, pkg := range names {
		o := &uapi.Oracle{Kernel: src, Dir: t.TempDir(), Headers: raw[pkg].headers, Classic: true}
		line, held := compareFamily(t, o, pkg, raw[pkg].desc(), exp, aliases, used, "RTM_")
		summary = append(summary, line)
		if strings.Contains(line, "linux/rtnetlink.h") {
			rtnl++
			for _, x := range held {
				uncovered[x]++
			}
		}
	}
	var report []string
	for x, n := range uncovered {
		name, _, _ := strings.Cut(x, " = ")
		if n < rtnl || explained(exp, used, "rtnetlink extra "+name) {
			continue
		}
		report = append(report, "  "+x)
	}
	sort.Strings(report)
	if len(report) > 0 {
		t.Errorf("rtnetlink message types in <linux/rtnetlink.h> that no classic spec has:\n%s", strings.Join(report, "\n"))
	}
	for key := range exp {
		if !used[key] {
			t.Errorf("testdata/expected-raw.txt: %q no longer applies: remove it", key)
		}
	}
	t.Logf("classic netlink families compared with the headers of %s:\n%s", src, strings.Join(summary, "\n"))
}

// knownRawBugs are the upstream spec mistakes in classic netlink specs
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
	// ids, values, attribute types and signedness
	{"conntrack", "CTA_NAT_PROTO", "5", "3"},
	{"conntrack", "CTA_NAT_V6_MINIP", "3", "4"},
	{"conntrack", "CTA_NAT_V6_MAXIP", "4", "5"},
	{"nftables", "NFT_FIB_RESULT_OIF", "0", "1"},
	{"nftables", "NFTA_CHAIN_FLAGS", "9", "10"},
	{"nftables", "NFTA_RULE_ID", "8", "9"},
	{"nftables", "NFTA_SET_ELEM_OBJREF", "8", "9"},
	{"nftables", "type(NFTA_SET_ELEM_FLAGS)", "NLA_BINARY", "NLA_U32"},
	{"nftables", "NFTA_LOOKUP_SET_ID", "2", "4"},
	{"nftables", "NFTA_LOOKUP_SREG", "3", "2"},
	{"rt-link", "signedness(struct ifla_cacheinfo.reachable_time)", "signed", "unsigned"},
	{"rt-link", "IPSTATS_MIB_OUTFORWDATAGRAMS", "4", "11"},
	{"rt-link", "IPSTATS_MIB_NOECTPKTS", "32", "4"},
	{"tc", "signedness(struct tc_etf_qopt.flags)", "signed", "unsigned"},
	{"tc", "signedness(struct tc_prio_qopt.bands)", "unsigned", "signed"},
}

// TestUAPIRawCatchesKnownBugs runs the comparison on the kernel's classic
// netlink specs without our overlays and checks it reports every bug the
// overlays fix.
func TestUAPIRawCatchesKnownBugs(t *testing.T) {
	src := os.Getenv("YNL_KERNEL_SOURCE")
	if src == "" {
		t.Skip("YNL_KERNEL_SOURCE is unset: set it to a kernel source tree with include/uapi (bash .ci/kernel-source prints one; CI sets it)")
	}
	_, aliases := readExpected(t, "expected-raw.txt")
	pkgOf := map[string]string{"conntrack": "conntrack", "nftables": "nftables", "rt-link": "rtlink", "rt-route": "rtroute", "rt-rule": "rtrule", "tc": "tc"}
	results := map[string]*uapi.Result{}
	for _, b := range knownRawBugs {
		r := results[b.spec]
		if r == nil {
			f, err := family.LoadByName(b.spec) // the upstream spec alone
			if err != nil {
				t.Skipf("the kernel's %s spec is not on YNL_SPEC_PATH (%v)", b.spec, err)
			}
			o := &uapi.Oracle{Kernel: src, Dir: t.TempDir(), Headers: raw[pkgOf[b.spec]].headers, Classic: true}
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
