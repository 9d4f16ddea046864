package uapi_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/uapi"

	"github.com/ynlgo/ynl/families/binder"
	"github.com/ynlgo/ynl/families/devenergymodel"
	"github.com/ynlgo/ynl/families/devlink"
	"github.com/ynlgo/ynl/families/dpll"
	"github.com/ynlgo/ynl/families/drmras"
	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/fou"
	"github.com/ynlgo/ynl/families/handshake"
	"github.com/ynlgo/ynl/families/lockd"
	"github.com/ynlgo/ynl/families/mptcppm"
	"github.com/ynlgo/ynl/families/netdev"
	"github.com/ynlgo/ynl/families/netshaper"
	"github.com/ynlgo/ynl/families/nfsd"
	"github.com/ynlgo/ynl/families/nl80211"
	"github.com/ynlgo/ynl/families/nlctrl"
	"github.com/ynlgo/ynl/families/ovpn"
	"github.com/ynlgo/ynl/families/ovsdatapath"
	"github.com/ynlgo/ynl/families/ovsflow"
	"github.com/ynlgo/ynl/families/ovspacket"
	"github.com/ynlgo/ynl/families/ovsvport"
	"github.com/ynlgo/ynl/families/psp"
	"github.com/ynlgo/ynl/families/sunrpccache"
	"github.com/ynlgo/ynl/families/tcpmetrics"
	"github.com/ynlgo/ynl/families/team"
	"github.com/ynlgo/ynl/families/wireguard"
)

// prebuilt lists every prebuilt package's descriptor: the model its code
// was generated from, overlays applied. TestPrebuiltListed keeps it whole.
var prebuilt = map[string]func() []byte{
	"binder":         binder.Descriptor,
	"devenergymodel": devenergymodel.Descriptor,
	"devlink":        devlink.Descriptor,
	"dpll":           dpll.Descriptor,
	"drmras":         drmras.Descriptor,
	"ethtool":        ethtool.Descriptor,
	"fou":            fou.Descriptor,
	"handshake":      handshake.Descriptor,
	"lockd":          lockd.Descriptor,
	"mptcppm":        mptcppm.Descriptor,
	"netdev":         netdev.Descriptor,
	"netshaper":      netshaper.Descriptor,
	"nfsd":           nfsd.Descriptor,
	"nl80211":        nl80211.Descriptor,
	"nlctrl":         nlctrl.Descriptor,
	"ovpn":           ovpn.Descriptor,
	"ovsdatapath":    ovsdatapath.Descriptor,
	"ovsflow":        ovsflow.Descriptor,
	"ovspacket":      ovspacket.Descriptor,
	"ovsvport":       ovsvport.Descriptor,
	"psp":            psp.Descriptor,
	"sunrpccache":    sunrpccache.Descriptor,
	"tcpmetrics":     tcpmetrics.Descriptor,
	"team":           team.Descriptor,
	"wireguard":      wireguard.Descriptor,
}

// TestUAPI compares every number of every prebuilt family with the
// kernel's UAPI headers, compiled by gcc: YNL_KERNEL_SOURCE names a kernel
// source tree (`bash .ci/kernel-source` prints one, of the kernel the
// specs come from, and CI sets it). Names the header lacks, and header
// names the model lacks, must be listed with a reason in
// testdata/expected.txt.
func TestUAPI(t *testing.T) {
	src := os.Getenv("YNL_KERNEL_SOURCE")
	if src == "" {
		t.Skip("YNL_KERNEL_SOURCE is unset: set it to a kernel source tree with include/uapi (bash .ci/kernel-source prints one; CI sets it)")
	}
	if _, err := os.Stat(filepath.Join(src, "include", "uapi", "linux")); err != nil {
		t.Fatalf("YNL_KERNEL_SOURCE=%s has no include/uapi/linux: %v", src, err)
	}
	exp, aliases := readExpected(t, "expected.txt")
	used := map[string]bool{}
	o := &uapi.Oracle{Kernel: src, Dir: t.TempDir()}
	names := make([]string, 0, len(prebuilt))
	for n := range prebuilt {
		names = append(names, n)
	}
	sort.Strings(names)
	var summary []string
	for _, pkg := range names {
		line, _ := compareFamily(t, o, pkg, prebuilt[pkg](), exp, aliases, used, "")
		summary = append(summary, line)
	}
	for key := range exp {
		if !used[key] {
			t.Errorf("testdata/expected.txt: %q no longer applies: remove it", key)
		}
	}
	t.Logf("families compared with the headers of %s:\n%s", src, strings.Join(summary, "\n"))
}

// compareFamily compares one prebuilt package's model with its headers,
// reports what expected.txt does not explain, marks the entries it used
// and returns a summary line. The header's extra names that start with
// shared (an enum several families split, like rtnetlink's RTM_*) are
// not reported but returned, for the caller to check across families.
func compareFamily(t *testing.T, o *uapi.Oracle, pkg string, desc []byte, exp map[string]string, aliases map[string]map[string]string, used map[string]bool, shared string) (string, []string) {
	t.Helper()
	f, err := family.Parse(pkg+" descriptor", desc)
	if err != nil {
		t.Fatalf("%s: %v", pkg, err)
	}
	alias := map[string]string{}
	for key, to := range aliases[f.Name] {
		alias[key] = to
	}
	r, err := o.Compare(f, alias)
	if err != nil {
		t.Fatalf("%s: %v", pkg, err)
	}
	var report []string
	equal := 0
	for _, c := range r.Compared {
		key := f.Name + " differ " + c.Name
		switch {
		case c.Equal():
			equal++
		case explained(exp, used, key), explained(exp, used, f.Name+" differ "+c.CName):
		default:
			report = append(report, fmt.Sprintf("  %-50s ours %-12s header %-12s %s", c.CName, c.Want, c.Got, c.What))
		}
	}
	for _, v := range r.Missing {
		if explained(exp, used, f.Name+" missing "+v.Name) {
			continue
		}
		report = append(report, fmt.Sprintf("  %-50s ours %-12s header lacks it: %s", v.Name, v.Want, v.What))
	}
	for key := range aliases[f.Name] {
		if r.UsedAlias[key] {
			used[f.Name+" alias "+key] = true
		}
	}
	var held []string
	for _, x := range r.Extra {
		name, _, _ := strings.Cut(x, " = ")
		if shared != "" && strings.HasPrefix(name, shared) {
			held = append(held, x)
			continue
		}
		if explained(exp, used, f.Name+" extra "+name) {
			continue
		}
		report = append(report, fmt.Sprintf("  %-50s in the header, not in ours", x))
	}
	if len(report) > 0 {
		t.Errorf("%s (package %s) disagrees with %s:\n%s", f.Name, pkg, strings.Join(r.Headers, ", "), strings.Join(report, "\n"))
	}
	return fmt.Sprintf("%-16s %4d compared, %4d equal, %d missing, %d extra (%s)", f.Name, len(r.Compared), equal, len(r.Missing), len(r.Extra)-len(held), strings.Join(r.Headers, " ")), held
}

// explained reports whether an entry of exp explains key, and marks it
// used. An entry's name may hold one '*' standing for the rest of a name
// ("rt-link extra RTM_*ADDR"): the longest such entry that matches wins.
func explained(exp map[string]string, used map[string]bool, key string) bool {
	if exp[key] != "" {
		used[key] = true
		return true
	}
	best := ""
	for k := range exp {
		pre, suf, ok := strings.Cut(k, "*")
		if ok && len(k) > len(best) && len(key) >= len(pre)+len(suf) && strings.HasPrefix(key, pre) && strings.HasSuffix(key, suf) && !strings.Contains(k, " alias ") {
			best = k
		}
	}
	if best != "" {
		used[best] = true
	}
	return best != ""
}

var reExpected = regexp.MustCompile(`^(\S+) (missing|extra|differ|alias) (.+?)\s+--\s+(.+)$`)

// readExpected reads testdata/expected.txt: "FAMILY missing|extra|differ
// NAME -- reason" and "FAMILY alias NAME HEADER-NAME -- reason" lines (a
// struct member's alias is "STRUCT.MEMBER HEADER-MEMBER"), # comments and
// blank lines. Aliases are returned by family too.
func readExpected(t *testing.T, name string) (map[string]string, map[string]map[string]string) {
	file, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	exp := map[string]string{}
	aliases := map[string]map[string]string{}
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		m := reExpected.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("testdata/%s:%d: want \"FAMILY missing|extra|differ NAME -- reason\", got %q", name, n, line)
		}
		key := m[3]
		if m[2] == "alias" {
			from, to, ok := strings.Cut(m[3], " ")
			if !ok {
				t.Fatalf("testdata/%s:%d: an alias names ours and the header's: %q", name, n, line)
			}
			if aliases[m[1]] == nil {
				aliases[m[1]] = map[string]string{}
			}
			aliases[m[1]][from] = strings.TrimSpace(to)
			key = from
		}
		exp[m[1]+" "+m[2]+" "+key] = m[4]
	}
	return exp, aliases
}

// TestPrebuiltListed keeps prebuilt in step with families/: every
// package there is compared (classic netlink ones by TestUAPIRaw).
func TestPrebuiltListed(t *testing.T) {
	gens, _ := filepath.Glob(filepath.Join("..", "..", "families", "*", "zdesc.go"))
	if len(gens) == 0 {
		t.Fatal("no families/*/zdesc.go found")
	}
	for _, g := range gens {
		pkg := filepath.Base(filepath.Dir(g))
		if _, ok := prebuilt[pkg]; ok {
			continue
		}
		b, _ := os.ReadFile(g)
		// the descriptor itself may be in a package of its own
		desc, _ := os.ReadFile(filepath.Join(filepath.Dir(g), pkg+"desc", "zdesc.go"))
		if strings.Contains(string(b)+string(desc), "netlink-raw") {
			if _, ok := raw[pkg]; !ok {
				t.Errorf("families/%s is classic netlink and not in raw: add it", pkg)
			}
			continue
		}
		t.Errorf("families/%s is not in prebuilt: add it", pkg)
	}
}
