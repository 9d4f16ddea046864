package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The parity test runs the kernel's own Python ynl (tools/net/ynl/pyynl of
// Linux 7.2, from Debian's linux-source, cached by .ci/kernel-source) and
// ours on the same requests against the running kernel, in a network
// namespace of their own, and fails on any difference beyond key order
// that testdata/pyynl/DIFFERENCES.md does not list. Both read the same
// 7.2 specs: pyynl its in-tree ones, ours its built-in ones and, for the
// families not built in, the same folder through YNL_SPEC_PATH.

// pyynl is the Python tool and the spec folder it reads.
type pyynl struct {
	cli, specs string
}

// findPyynl locates pyynl and checks Debian's python3 can run it.
func findPyynl(t *testing.T) *pyynl {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("parity test needs root (network namespaces)")
	}
	// CI names the tree in YNL_KERNEL_SOURCE: there a missing piece is a
	// failure, not a reason to skip.
	dir := os.Getenv("YNL_KERNEL_SOURCE")
	missing := t.Fatalf
	if dir == "" {
		missing = t.Skipf
		out, err := exec.Command("bash", "../../.ci/kernel-source").Output()
		if err != nil {
			t.Skipf("kernel source (pyynl) not available: set YNL_KERNEL_SOURCE or let .ci/kernel-source fetch it: %v", err)
		}
		dir = strings.TrimSpace(string(out))
	}
	p := &pyynl{cli: filepath.Join(dir, "tools/net/ynl/pyynl/cli.py"), specs: filepath.Join(dir, "Documentation/netlink/specs")}
	if _, err := os.Stat(p.cli); err != nil {
		missing("pyynl missing from the kernel source: %v", err)
	}
	if out, err := exec.Command("/usr/bin/python3", "-c", "import yaml, jsonschema").CombinedOutput(); err != nil {
		missing("/usr/bin/python3 cannot run pyynl (Debian packages python3-yaml, python3-jsonschema): %v\n%s", err, out)
	}
	return p
}

// kind says how a case's outputs are compared.
type kind int

const (
	// sameJSON: same exit status, and stdout as JSON documents (one a
	// line) equal up to key order.
	sameJSON kind = iota
	// sameText: same exit status and the same stdout.
	sameText
	// sameModes: --list-ops/--list-msgs; pyynl prints each op's modes in
	// a random order (a Python set), so they are compared sorted.
	sameModes
	// kernelError: both exit 1 with the same kernel error; pyynl prints it
	// on stdout ("Netlink error: msg: strerror {'bad-attr': ...}"), ours on
	// stderr (DIFFERENCES.md).
	kernelError
	// bothFail: pyynl fails with a Python exception (exit 1), ours with a
	// usage error naming the problem (exit 2) (DIFFERENCES.md).
	bothFail
	// docHead: --list-attrs; the operation and its doc agree (ours lists
	// more below them, DIFFERENCES.md).
	docHead
)

type parityCase struct {
	name string
	args []string
	kind kind
	drop []string // keys whose values change between two runs
	// overlay holds the keys our built-in spec decodes differently because
	// our overlay fixes the kernel's spec (DIFFERENCES.md); they are left
	// out of the comparison, and a twin case runs ours on the kernel's own
	// spec file, which must print exactly what pyynl prints.
	overlay []string
	ours    []string // our arguments when they differ from pyynl's
}

// volatile are values the kernel changes on its own between the two runs
// (packet counters of the veths, which send IPv6 neighbour discovery).
var volatile = []string{"stats", "stats64", "icmp6stats", "tx-packets", "rx-packets", "tx-bytes", "rx-bytes", "cacheinfo", "tstamp"}

func parityCases(specs string) []parityCase {
	j := func(name string, args ...string) parityCase {
		return parityCase{name: name, args: args, kind: sameJSON}
	}
	k := func(name string, args ...string) parityCase {
		return parityCase{name: name, args: args, kind: kernelError}
	}
	f := func(name string, args ...string) parityCase {
		return parityCase{name: name, args: args, kind: bothFail}
	}
	v := func(c parityCase) parityCase { c.drop = append(c.drop, volatile...); return c }
	o := func(c parityCase, keys ...string) parityCase { c.overlay = keys; return c }
	eth := func(op, dev string) []string {
		return []string{"--family", "ethtool", "--do", op, "--json", `{"header":{"dev-name":"` + dev + `"}}`, "--output-json"}
	}
	cases := []parityCase{
		// nlctrl
		j("nlctrl getfamily nlctrl", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"nlctrl"}`, "--output-json"),
		j("nlctrl getfamily netdev", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"netdev"}`, "--output-json"),
		j("nlctrl getfamily ethtool", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"ethtool"}`, "--output-json"),
		j("nlctrl getfamily by id", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-id":16}`, "--output-json"),
		j("nlctrl getfamily dump", "--family", "nlctrl", "--dump", "getfamily", "--output-json"),
		o(j("nlctrl getpolicy netdev", "--family", "nlctrl", "--dump", "getpolicy", "--json", `{"family-name":"netdev"}`, "--output-json"), "mask"),
		o(j("nlctrl getpolicy ethtool op", "--family", "nlctrl", "--dump", "getpolicy", "--json", `{"family-name":"ethtool","op":2}`, "--output-json"), "mask"),
		k("nlctrl getfamily missing", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"no-such-family"}`, "--output-json"),
		// netdev
		j("netdev dev-get dump", "--family", "netdev", "--dump", "dev-get", "--output-json"),
		j("netdev dev-get lo", "--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":1}`, "--output-json"),
		j("netdev page-pool-get dump", "--family", "netdev", "--dump", "page-pool-get", "--output-json"),
		j("netdev napi-get dump", "--family", "netdev", "--dump", "napi-get", "--json", `{"ifindex":1}`, "--output-json"),
		j("netdev queue-get dump", "--family", "netdev", "--dump", "queue-get", "--json", `{"ifindex":1}`, "--output-json"),
		v(j("netdev qstats-get dump", "--family", "netdev", "--dump", "qstats-get", "--output-json")),
		k("netdev dev-get missing", "--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":99999}`, "--output-json"),
		// ethtool
		o(j("ethtool linkinfo-get v0", eth("linkinfo-get", "v0")...), "port", "tp-mdix", "tp-mdix-ctrl"),
		o(j("ethtool linkinfo-get v1", eth("linkinfo-get", "v1")...), "port", "tp-mdix", "tp-mdix-ctrl"),
		k("ethtool linkinfo-get lo unsupported", eth("linkinfo-get", "lo")...),
		o(j("ethtool linkmodes-get v0", eth("linkmodes-get", "v0")...), "autoneg", "duplex"),
		j("ethtool linkstate-get v0", eth("linkstate-get", "v0")...),
		k("ethtool debug-get unsupported", eth("debug-get", "v0")...),
		j("ethtool features-get v0", eth("features-get", "v0")...),
		k("ethtool privflags-get unsupported", eth("privflags-get", "v0")...),
		k("ethtool rings-get unsupported", eth("rings-get", "v0")...),
		j("ethtool channels-get v0", eth("channels-get", "v0")...),
		j("ethtool tsinfo-get v0", eth("tsinfo-get", "v0")...),
		j("ethtool linkstate-get dump", "--family", "ethtool", "--dump", "linkstate-get", "--output-json"),
		j("ethtool channels-get dump", "--family", "ethtool", "--dump", "channels-get", "--output-json"),
		j("ethtool features-get compact", "--family", "ethtool", "--do", "features-get", "--json", `{"header":{"dev-name":"v0","flags":["compact-bitsets"]}}`, "--output-json"),
		j("ethtool channels-set", "--family", "ethtool", "--do", "channels-set", "--json", `{"header":{"dev-name":"v0"},"rx-count":1}`, "--output-json"),
		j("ethtool strset-get dump", "--family", "ethtool", "--dump", "strset-get", "--json", `{"header":{"dev-name":"v0"}}`, "--output-json"),
		k("ethtool linkinfo-get missing", eth("linkinfo-get", "nosuchdev0")...),
		k("ethtool wol-get unsupported", eth("wol-get", "v0")...),
		k("ethtool coalesce-get unsupported", eth("coalesce-get", "v0")...),
		k("ethtool channels-set too many", "--family", "ethtool", "--do", "channels-set", "--json", `{"header":{"dev-name":"v0"},"rx-count":99}`, "--output-json"),
		// mptcp_pm
		j("mptcp_pm get-addr dump", "--family", "mptcp_pm", "--dump", "get-addr", "--output-json"),
		j("mptcp_pm get-addr id", "--family", "mptcp_pm", "--do", "get-addr", "--json", `{"addr":{"id":1}}`, "--output-json"),
		j("mptcp_pm get-limits", "--family", "mptcp_pm", "--do", "get-limits", "--output-json"),
		j("mptcp_pm set-limits", "--family", "mptcp_pm", "--do", "set-limits", "--json", `{"rcv-add-addrs":0,"subflows":2}`, "--output-json"),
		k("mptcp_pm get-addr missing", "--family", "mptcp_pm", "--do", "get-addr", "--json", `{"addr":{"id":77}}`, "--output-json"),
		// tcp_metrics
		j("tcp_metrics get dump", "--family", "tcp_metrics", "--dump", "get", "--output-json"),
		k("tcp_metrics get missing", "--family", "tcp_metrics", "--do", "get", "--json", `{"addr-ipv4":"10.9.9.9"}`, "--output-json"),
		// rt-*
		v(j("rt-link getlink dump", "--family", "rt-link", "--dump", "getlink", "--output-json")),
		v(j("rt-link getlink v0", "--family", "rt-link", "--do", "getlink", "--json", `{"ifname":"v0"}`, "--output-json")),
		v(j("rt-link getlink lo", "--family", "rt-link", "--do", "getlink", "--json", `{"ifname":"lo"}`, "--output-json")),
		k("rt-link getlink missing", "--family", "rt-link", "--do", "getlink", "--json", `{"ifname":"nosuchdev0"}`, "--output-json"),
		j("rt-addr getaddr dump", "--family", "rt-addr", "--dump", "getaddr", "--output-json"),
		j("rt-route getroute dump", "--family", "rt-route", "--dump", "getroute", "--json", `{"rtm-family":2}`, "--output-json"),
		v(j("rt-neigh getneigh dump", "--family", "rt-neigh", "--dump", "getneigh", "--output-json")),
		j("rt-rule getrule dump", "--family", "rt-rule", "--dump", "getrule", "--json", `{"family":2}`, "--output-json"),
		v(j("tc getqdisc dump", "--family", "tc", "--dump", "getqdisc", "--output-json")),
		// --list-*
		{name: "list-families", args: []string{"--list-families"}, kind: sameText},
		{name: "nlctrl list-ops", args: []string{"--family", "nlctrl", "--list-ops"}, kind: sameModes},
		{name: "netdev list-ops", args: []string{"--family", "netdev", "--list-ops"}, kind: sameModes},
		{name: "ethtool list-msgs", args: []string{"--family", "ethtool", "--list-msgs"}, kind: sameModes},
		{name: "rt-link list-msgs", args: []string{"--family", "rt-link", "--list-msgs"}, kind: sameModes},
		{name: "mptcp_pm list-msgs", args: []string{"--family", "mptcp_pm", "--list-msgs"}, kind: sameModes},
		{name: "netdev list-attrs", args: []string{"--family", "netdev", "--list-attrs", "dev-get"}, kind: docHead},
		// --policy
		j("policy ethtool linkinfo-get do", "--family", "ethtool", "--do", "linkinfo-get", "--json", `{"header":{"dev-name":"lo"}}`, "--policy", "--output-json"),
		j("policy ethtool linkinfo-get dump", "--family", "ethtool", "--dump", "linkinfo-get", "--policy", "--output-json"),
		j("policy netdev dev-get dump (none)", "--family", "netdev", "--dump", "dev-get", "--policy", "--output-json"),
		j("policy netdev dev-get do", "--family", "netdev", "--do", "dev-get", "--policy", "--output-json"),
		j("policy nlctrl getpolicy dump", "--family", "nlctrl", "--dump", "getpolicy", "--policy", "--output-json"),
		j("policy mptcp_pm get-addr dump", "--family", "mptcp_pm", "--dump", "get-addr", "--policy", "--output-json"),
		j("policy tcp_metrics get do", "--family", "tcp_metrics", "--do", "get", "--policy", "--output-json"),
		// --multi
		j("multi nlctrl", "--family", "nlctrl", "--output-json", "--multi", "getfamily", `{"family-name":"nlctrl"}`, "--multi", "getfamily", `{"family-name":"netdev"}`, "--multi", "getfamily", `{"family-name":"nlctrl"}`),
		j("multi ethtool", "--family", "ethtool", "--output-json", "--multi", "channels-get", `{"header":{"dev-name":"v0"}}`, "--multi", "channels-set", `{"header":{"dev-name":"v0"},"rx-count":1}`, "--multi", "linkstate-get", `{"header":{"dev-name":"v1"}}`),
		k("multi failing", "--family", "nlctrl", "--output-json", "--multi", "getfamily", `{"family-name":"nlctrl"}`, "--multi", "getfamily", `{"family-name":"no-such-family"}`),
		// input errors
		f("unknown op", "--family", "netdev", "--do", "no-such-op", "--output-json"),
		f("unknown attribute", "--family", "netdev", "--do", "dev-get", "--json", `{"no-such-attr":1}`, "--output-json"),
		f("bad JSON", "--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":`, "--output-json"),
		f("unknown family", "--family", "no-such-family", "--do", "x"),
		f("bad enum", "--family", "ethtool", "--do", "linkinfo-get", "--json", `{"header":{"dev-name":"v0","flags":["no-such-flag"]}}`),
		// flags
		j("dbg-small-recv dump", "--family", "nlctrl", "--dump", "getfamily", "--dbg-small-recv", "--output-json"),
		j("no-process-unknown", "--family", "nlctrl", "--do", "getfamily", "--json", `{"family-name":"nlctrl"}`, "--no-process-unknown", "--output-json"),
	}
	for _, c := range cases {
		if c.overlay == nil {
			continue
		}
		twin := c
		twin.name += " (kernel spec)"
		twin.overlay = nil
		twin.ours = nil
		for i := 0; i < len(c.args); i++ {
			if c.args[i] == "--family" {
				twin.ours = append(twin.ours, "--spec", filepath.Join(specs, c.args[i+1]+".yaml"), "--process-unknown")
				i++
				continue
			}
			twin.ours = append(twin.ours, c.args[i])
		}
		cases = append(cases, twin)
	}
	return cases
}

// parityNS makes the namespace the cases read: veths with addresses, a
// route, a neighbour, an MPTCP endpoint, an htb qdisc. The two runs of a
// case must see the same neighbour table, so the veths send no router
// solicitations and do no duplicate address detection (each adds an IPv6
// multicast neighbour when first sent, at a random time after link-up), and
// the setup waits for the MLD reports, which add ff02::16, to settle.
func parityNS(t *testing.T) *netns {
	ns := newNetnsWith(t, []string{
		"net.ipv6.conf.all.router_solicitations=0",
		"net.ipv6.conf.default.router_solicitations=0",
		"net.ipv6.conf.all.accept_dad=0",
		"net.ipv6.conf.default.accept_dad=0",
	})
	for _, argv := range [][]string{
		{"ip", "-n", ns.name, "addr", "add", "10.0.0.1/24", "dev", "v0"},
		{"ip", "-n", ns.name, "addr", "add", "fd00::1/64", "dev", "v0", "nodad"},
		{"ip", "-n", ns.name, "route", "add", "10.9.0.0/16", "via", "10.0.0.2"},
		{"ip", "-n", ns.name, "neigh", "add", "10.0.0.2", "lladdr", "02:00:00:00:00:02", "dev", "v0"},
		{"ip", "-n", ns.name, "mptcp", "endpoint", "add", "10.0.0.1", "id", "1", "dev", "v0", "signal"},
		{"ip", "netns", "exec", ns.name, "tc", "qdisc", "add", "dev", "v1", "root", "htb"},
	} {
		mustRun(t, argv...)
	}
	settleNeighbours(t, ns)
	return ns
}

// settleNeighbours waits until the namespace's neighbour table has not
// changed for two seconds (at most fifteen).
func settleNeighbours(t *testing.T, ns *netns) {
	t.Helper()
	last, since := "", time.Now()
	for start := time.Now(); time.Since(start) < 15*time.Second; time.Sleep(250 * time.Millisecond) {
		cur := mustRun(t, "ip", "-n", ns.name, "neigh", "show", "nud", "all")
		if cur != last {
			last, since = cur, time.Now()
			continue
		}
		if time.Since(since) >= 2*time.Second {
			return
		}
	}
	t.Fatalf("the neighbour table of %s kept changing for 15 s:\n%s", ns.name, last)
}

func TestPyynlParity(t *testing.T) {
	py := findPyynl(t)
	ns := parityNS(t)
	t.Setenv("YNL_SPEC_PATH", py.specs)
	cases := parityCases(py.specs)
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	var mu sync.Mutex
	var same, kept int
	// The requests run in parallel (pyynl takes most of a second to start);
	// the subscriptions, which change the namespace, after them.
	t.Run("requests", func(t *testing.T) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				args := c.args
				if c.ours != nil {
					args = c.ours
				}
				ours := runYNL(t, ns.prefix(), args...)
				theirs := runPy(t, py, ns, c.args...)
				if msg := compare(c, ours, theirs); msg != "" {
					t.Errorf("ynl %s\n%s\nours (exit %d):\n%s%s\npyynl (exit %d):\n%s%s", strings.Join(c.args, " "), msg,
						ours.code, ours.stdout, ours.stderr, theirs.code, theirs.stdout, theirs.stderr)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				if c.kind == sameJSON || c.kind == sameText || c.kind == sameModes {
					same++
				} else {
					kept++
				}
			})
		}
	})
	sub := subscribeCases(t, py, ns)
	t.Logf("parity with pyynl 7.2: %d cases: %d with the same stdout, %d with differences listed in DIFFERENCES.md, %d subscriptions", len(cases)+sub, same, kept, sub)
}

// runPy runs pyynl in the namespace. --no-schema spares it validating
// the spec against the JSON schema on every run (most of its start-up
// time); it changes nothing it prints.
func runPy(t *testing.T, py *pyynl, ns *netns, args ...string) result {
	t.Helper()
	argv := append(append(ns.prefix(), "/usr/bin/python3", py.cli, "--no-schema"), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", argv, err)
	}
	return result{out.String(), errb.String(), code}
}

// compare returns what differs between the two runs of c, or "".
func compare(c parityCase, ours, theirs result) string {
	switch c.kind {
	case kernelError:
		return compareKernelError(ours, theirs)
	case bothFail:
		if theirs.code == 0 || ours.code != exitUsage || ours.stdout != "" || ours.stderr == "" {
			return "want pyynl to fail and ours to exit 2 with a message on stderr only"
		}
		return ""
	case docHead:
		o, p := strings.SplitN(ours.stdout, "\n", 3), strings.SplitN(theirs.stdout, "\n", 3)
		if len(o) < 2 || len(p) < 2 || o[0] != p[0] || o[1] != p[1] || ours.code != theirs.code {
			return "operation and doc lines differ"
		}
		return ""
	}
	if ours.code != theirs.code {
		return fmt.Sprintf("exit %d, pyynl %d", ours.code, theirs.code)
	}
	switch c.kind {
	case sameText:
		if ours.stdout != theirs.stdout {
			return "stdout differs"
		}
	case sameModes:
		if a, b := sortModes(ours.stdout), sortModes(theirs.stdout); a != b {
			return "stdout differs (modes sorted):\n" + a + "\nvs\n" + b
		}
	case sameJSON:
		return compareJSON(ours.stdout, theirs.stdout, append(c.drop, c.overlay...))
	}
	return ""
}

var modesRE = regexp.MustCompile(`\[ (.*) \]`)

// sortModes sorts the mode list of each --list-ops line.
func sortModes(s string) string {
	return modesRE.ReplaceAllStringFunc(s, func(m string) string {
		modes := strings.Split(modesRE.FindStringSubmatch(m)[1], ", ")
		sort.Strings(modes)
		return "[ " + strings.Join(modes, ", ") + " ]"
	})
}

// compareJSON compares the JSON documents of two outputs, one a line.
func compareJSON(ours, theirs string, drop []string) string {
	if ours == "" && theirs == "" {
		return ""
	}
	a, err := jsonLines(ours, drop)
	if err != nil {
		return "ours: " + err.Error()
	}
	b, err := jsonLines(theirs, drop)
	if err != nil {
		return "pyynl: " + err.Error()
	}
	if !reflect.DeepEqual(a, b) {
		return "JSON differs: " + firstDiff("", a, b)
	}
	return ""
}

func jsonLines(s string, drop []string) ([]any, error) {
	var out []any
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		d := json.NewDecoder(strings.NewReader(line))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("line %q: %v", line, err)
		}
		out = append(out, dropKeys(v, drop))
	}
	return out, nil
}

func dropKeys(v any, drop []string) any {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range drop {
			delete(x, k)
		}
		for k, e := range x {
			x[k] = dropKeys(e, drop)
		}
	case []any:
		for i, e := range x {
			x[i] = dropKeys(e, drop)
		}
	}
	return v
}

// firstDiff names the first path where a and b differ.
func firstDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: object vs %T", path, b)
		}
		keys := map[string]bool{}
		for k := range x {
			keys[k] = true
		}
		for k := range y {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if !reflect.DeepEqual(x[k], y[k]) {
				return firstDiff(path+"."+k, x[k], y[k])
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return fmt.Sprintf("%s: list of %d vs %v", path, len(x), short(b))
		}
		for i := range x {
			if !reflect.DeepEqual(x[i], y[i]) {
				return firstDiff(fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
			}
		}
	}
	return fmt.Sprintf("%s: ours %v, pyynl %v", path, short(a), short(b))
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

var pyErrRE = regexp.MustCompile(`^(Netlink error: .*?)(?: (\{.*\}))?$`)

// compareKernelError compares pyynl's "Netlink error: msg: strerror
// {'bad-attr': '.x'}" on stdout with ours on stderr.
func compareKernelError(ours, theirs result) string {
	if ours.code != 1 || theirs.code != 1 {
		return fmt.Sprintf("want both to exit 1: ours %d, pyynl %d", ours.code, theirs.code)
	}
	line := strings.TrimSuffix(theirs.stdout, "\n")
	m := pyErrRE.FindStringSubmatch(line)
	if m == nil {
		return "pyynl printed no kernel error"
	}
	if ours.stdout != "" {
		return "ours printed on stdout"
	}
	if !strings.Contains(ours.stderr, m[1]+"\n") {
		return fmt.Sprintf("ours lacks %q", m[1])
	}
	if bad := regexp.MustCompile(`'bad-attr': '([^']*)'`).FindStringSubmatch(m[2]); bad != nil &&
		!strings.Contains(ours.stderr, "bad attribute: "+bad[1]+"\n") {
		return fmt.Sprintf("ours lacks bad attribute %s", bad[1])
	}
	return ""
}

// subscribeCase is a subscription both tools hold while trigger runs.
type subscribeCase struct {
	name    string
	args    []string
	trigger func(i int) // nil: nothing to trigger, both must print nothing
}

// aloneCases run after the others, not beside them. rt-link's group also
// carries the links netdev's trigger adds and deletes, and pyynl stops with
// a KeyError on RTM_DELLINK (no op of its spec replies with type 17), so
// beside them the outcome would depend on timing.
var aloneCases = map[string]bool{"rt-link rtnlgrp-link": true}

// subscribeCases runs each subscription with both tools at once, makes the
// kernel notify, and compares the notifications both printed.
func subscribeCases(t *testing.T, py *pyynl, ns *netns) int {
	ip := func(args ...string) { exec.Command("ip", append([]string{"-n", ns.name}, args...)...).Run() }
	cases := []subscribeCase{
		{"ethtool monitor", []string{"--family", "ethtool", "--subscribe", "monitor"}, func(i int) {
			onOff := []string{"on", "off"}[i%2]
			exec.Command("ip", "netns", "exec", ns.name, "ethtool", "-K", "v0", "tso", onOff).Run()
		}},
		{"netdev mgmt", []string{"--family", "netdev", "--subscribe", "mgmt"}, func(i int) {
			ip("link", "add", fmt.Sprintf("s%d", i), "type", "veth", "peer", "name", fmt.Sprintf("p%d", i))
			ip("link", "del", fmt.Sprintf("s%d", i))
		}},
		{"rt-link rtnlgrp-link", []string{"--family", "rt-link", "--subscribe", "rtnlgrp-link"}, func(i int) {
			ip("link", "set", "v0", "mtu", fmt.Sprint(1400+i))
		}},
		// The spec lacks the group; both take it from the kernel.
		{"mptcp_pm kernel-only group", []string{"--family", "mptcp_pm", "--subscribe", "mptcp_pm_events"}, nil},
	}
	// The subscriptions run at once (each waits seconds for both tools to
	// listen); what one's trigger causes in another's family both tools
	// see alike.
	t.Run("subscribe", func(t *testing.T) {
		for _, c := range cases {
			if aloneCases[c.name] {
				continue
			}
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				subscribeOne(t, py, ns, c)
			})
		}
	})
	for _, c := range cases {
		if aloneCases[c.name] {
			t.Run("subscribe/"+c.name, func(t *testing.T) { subscribeOne(t, py, ns, c) })
		}
	}
	return len(cases)
}

func subscribeOne(t *testing.T, py *pyynl, ns *netns, c subscribeCase) {
	{
		{
			args := append(c.args, "--duration", "7", "--output-json")
			var wg sync.WaitGroup
			var ours, theirs result
			wg.Add(2)
			var took time.Duration
			go func() {
				defer wg.Done()
				t0 := time.Now()
				ours = runYNL(t, ns.prefix(), args...)
				took = time.Since(t0)
			}()
			go func() { defer wg.Done(); theirs = runPy(t, py, ns, args...) }()
			time.Sleep(3500 * time.Millisecond) // both are listening by now, even on a loaded machine (pyynl takes a second to load its spec)
			for i := 0; i < 3 && c.trigger != nil; i++ {
				c.trigger(i)
				time.Sleep(300 * time.Millisecond)
			}
			wg.Wait()
			if (c.trigger != nil) != (ours.stdout != "") || ours.code != 0 {
				t.Errorf("ours ran %v, printed %d bytes (exit %d): %s; pyynl %d bytes: %s", took, len(ours.stdout), ours.code, ours.stderr, len(theirs.stdout), theirs.stderr)
			}
			if msg := compare(parityCase{kind: sameJSON, drop: volatile}, ours, theirs); msg != "" {
				t.Errorf("%s\nours (exit %d):\n%s%s\npyynl (exit %d):\n%s%s", msg, ours.code, ours.stdout, ours.stderr, theirs.code, theirs.stdout, theirs.stderr)
			}
		}
	}
}
