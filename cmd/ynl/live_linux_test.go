package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ynlgo/ynl/family"
)

// netns is a fresh network namespace with a veth pair v0/v1, up.
type netns struct {
	name string
}

// newNetns creates the namespace, or skips when not root or when ip is
// missing; it is deleted when the test ends.
func newNetns(t *testing.T) *netns { return newNetnsWith(t, nil) }

// newNetnsWith is newNetns with sysctls (name=value under /proc/sys) set in
// the namespace before the veths are made, so they inherit the defaults.
func newNetnsWith(t *testing.T, sysctls []string) *netns {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("live test needs root (network namespaces, veth)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("live test needs ip (iproute2)")
	}
	var b [4]byte
	rand.Read(b[:])
	ns := &netns{name: "ynlcli-" + hex.EncodeToString(b[:])}
	mustRun(t, "ip", "netns", "add", ns.name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", ns.name).Run() })
	for _, kv := range sysctls {
		k, v, _ := strings.Cut(kv, "=")
		path := "/proc/sys/" + strings.ReplaceAll(k, ".", "/")
		mustRun(t, "ip", "netns", "exec", ns.name, "sh", "-c", "echo "+v+" > "+path)
	}
	mustRun(t, "ip", "-n", ns.name, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	mustRun(t, "ip", "-n", ns.name, "link", "set", "v0", "up")
	mustRun(t, "ip", "-n", ns.name, "link", "set", "v1", "up")
	return ns
}

func (ns *netns) prefix() []string { return []string{"ip", "netns", "exec", ns.name} }

func mustRun(t *testing.T, argv ...string) string {
	t.Helper()
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %v\n%s", argv, err, out)
	}
	return string(out)
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s is not installed (Debian package %s)", name, name)
	}
}

func TestLiveNetdevDump(t *testing.T) {
	needSpec(t, "netdev")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "netdev", "--dump", "dev-get", "--output-json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var devs []struct {
		Ifindex int `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &devs); err != nil {
		t.Fatalf("output is not a JSON list: %v\n%s", err, r.stdout)
	}
	var links []struct {
		Ifindex int `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "ip", "-n", ns.name, "-j", "link")), &links); err != nil {
		t.Fatal(err)
	}
	got, want := []int{}, []int{}
	for _, d := range devs {
		got = append(got, d.Ifindex)
	}
	for _, l := range links {
		want = append(want, l.Ifindex)
	}
	sort.Ints(got)
	sort.Ints(want)
	if len(want) != 3 || !equalInts(got, want) {
		t.Errorf("dev-get ifindexes %v, ip link %v (want lo, v0, v1)", got, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

type channels struct {
	RxMax   int `json:"rx-max"`
	TxMax   int `json:"tx-max"`
	RxCount int `json:"rx-count"`
	TxCount int `json:"tx-count"`
}

func (ns *netns) channels(t *testing.T) channels {
	t.Helper()
	r := runYNL(t, ns.prefix(), "--family", "ethtool", "--do", "channels-get", "--json", `{"header":{"dev-name":"v0"}}`, "--output-json")
	if r.code != 0 {
		t.Fatalf("channels-get: exit %d: %s", r.code, r.stderr)
	}
	var c channels
	if err := json.Unmarshal([]byte(r.stdout), &c); err != nil {
		t.Fatalf("channels-get output: %v\n%s", err, r.stdout)
	}
	return c
}

// ethtoolChannels parses `ethtool -l v0`: the maximums, then the current.
func (ns *netns) ethtoolChannels(t *testing.T) channels {
	t.Helper()
	out := mustRun(t, "ip", "netns", "exec", ns.name, "ethtool", "-l", "v0")
	re := regexp.MustCompile(`(?m)^(RX|TX):\s+(\d+)`)
	var n []int
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.Atoi(m[2])
		n = append(n, v)
	}
	if len(n) != 4 {
		t.Fatalf("cannot read ethtool -l output:\n%s", out)
	}
	return channels{RxMax: n[0], TxMax: n[1], RxCount: n[2], TxCount: n[3]}
}

func TestLiveChannels(t *testing.T) {
	needSpec(t, "ethtool")
	needTool(t, "ethtool")
	ns := newNetns(t)
	got, want := ns.channels(t), ns.ethtoolChannels(t)
	if got != want {
		t.Fatalf("channels-get %+v, ethtool -l %+v", got, want)
	}
	if got.RxMax < 2 {
		t.Skipf("veth offers %d rx channels (one CPU?); cannot test a change", got.RxMax)
	}
	next := 2
	if got.RxCount == 2 {
		next = 1
	}
	r := runYNL(t, ns.prefix(), "--family", "ethtool", "--do", "channels-set", "--json",
		`{"header":{"dev-name":"v0"},"rx-count":`+strconv.Itoa(next)+`}`)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("channels-set: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	if c := ns.channels(t); c.RxCount != next {
		t.Errorf("after channels-set rx-count=%d, channels-get says %d", next, c.RxCount)
	}
	if c := ns.ethtoolChannels(t); c.RxCount != next {
		t.Errorf("after channels-set rx-count=%d, ethtool -l says %d", next, c.RxCount)
	}
}

func TestLiveSubscribe(t *testing.T) {
	needSpec(t, "ethtool")
	needTool(t, "ethtool")
	ns := newNetns(t)
	if ns.channels(t).RxMax < 2 {
		t.Skip("veth offers one rx channel; cannot cause a change")
	}
	argv := append(ns.prefix(), ynlBinary(t), "--family", "ethtool", "--subscribe", "monitor", "--duration", "3", "--output-json")
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Change the channels from another process until the subscriber ends,
	// so a slow start on a loaded machine still sees changes.
	err := whileRunning(cmd, func(i int) {
		mustRun(t, "ip", "netns", "exec", ns.name, "ethtool", "-L", "v0", "rx", strconv.Itoa(2-i%2))
	})
	if err != nil {
		t.Fatalf("subscribe: %v\n%s", err, errb.String())
	}
	var found bool
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var ntf struct {
			Name string `json:"name"`
			Msg  struct {
				Header struct {
					DevName string `json:"dev-name"`
				} `json:"header"`
				RxCount int `json:"rx-count"`
			} `json:"msg"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ntf); err != nil {
			t.Fatalf("line is not JSON: %v: %s", err, sc.Text())
		}
		if ntf.Name == "channels-ntf" && ntf.Msg.Header.DevName == "v0" && (ntf.Msg.RxCount == 2 || ntf.Msg.RxCount == 1) {
			found = true
		}
	}
	if !found {
		t.Errorf("no channels-ntf for v0 with the new rx-count in:\n%s\nstderr: %s", out.String(), errb.String())
	}
}

func TestLiveKernelError(t *testing.T) {
	needSpec(t, "ethtool")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "ethtool", "--do", "channels-get", "--json", `{"header":{"dev-name":"nosuchdev0"}}`)
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if !strings.HasPrefix(r.stderr, "Netlink error: ") || !strings.Contains(r.stderr, "No such device") ||
		!strings.Contains(r.stderr, "bad attribute: .header.dev-name\n") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	r = runYNL(t, ns.prefix(), "--family", "ethtool", "--do", "channels-get")
	if r.code != 1 || !strings.Contains(r.stderr, "missing attribute: .header") {
		t.Errorf("missing header: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestLiveNoValidate checks --no-validate sends a request that breaks the
// spec's checks (which exits 2 without it) and the kernel's answer shows.
func TestLiveNoValidate(t *testing.T) {
	needSpec(t, "netdev")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":0}`)
	if r.code != 2 || !strings.Contains(r.stderr, "check .ifindex: less than 1") {
		t.Errorf("checked: exit %d, stderr %q", r.code, r.stderr)
	}
	r = runYNL(t, ns.prefix(), "--family", "netdev", "--do", "dev-get", "--json", `{"ifindex":0}`, "--no-validate")
	if r.code != 1 || !strings.HasPrefix(r.stderr, "Netlink error: ") || !strings.Contains(r.stderr, "bad attribute: .ifindex\n") {
		t.Errorf("--no-validate: exit %d, stderr %q; want the kernel's error", r.code, r.stderr)
	}
}

// TestLiveMulti checks --multi sends its dos in order, printing each
// reply, and stops at the first error with the kernel's exit status.
func TestLiveMulti(t *testing.T) {
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "nlctrl", "--output-json",
		"--multi", "getfamily", `{"family-name":"nlctrl"}`, "--multi", "getfamily", `{"family-name":"netdev"}`, "--multi", "getfamily", `{"family-name":"nlctrl"}`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if got := familyNames(t, r.stdout); got != "nlctrl netdev nlctrl" {
		t.Errorf("replies for %q, want nlctrl netdev nlctrl (one JSON list)", got)
	}
	r = runYNL(t, ns.prefix(), "--family", "nlctrl", "--output-json",
		"--multi", "getfamily", `{"family-name":"nlctrl"}`, "--multi", "getfamily", `{"family-name":"no-such-family"}`, "--multi", "getfamily", `{"family-name":"netdev"}`)
	if r.code != 1 || r.stdout != "" ||
		!strings.HasPrefix(r.stderr, "ynl: --multi: request 2 of 3 (getfamily) failed; request 1 (getfamily) ran before it and took effect; request 3 (getfamily) not sent\nNetlink error: ") {
		t.Errorf("failing second op: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
}

// TestLiveMultiRaw checks --multi over a netlink-raw family, whose do
// replies and ACKs may come in separate reads: each later request must
// get its own answer, not the earlier one's ACK.
func TestLiveMultiRaw(t *testing.T) {
	needSpec(t, "rt-link")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "rt-link", "--output-json",
		"--multi", "getlink", `{"ifname":"v0"}`, "--multi", "getlink", `{"ifname":"v1"}`, "--multi", "getlink", `{"ifname":"lo"}`)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var names []string
	var replies []struct {
		Name string `json:"ifname"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &replies); err != nil {
		t.Fatalf("replies %q: %v", r.stdout, err)
	}
	for _, v := range replies {
		names = append(names, v.Name)
	}
	if strings.Join(names, " ") != "v0 v1 lo" {
		t.Errorf("replies for %v, want v0 v1 lo", names)
	}
}

// familyNames lists the family-name of each JSON line of out.
func familyNames(t *testing.T, out string) string {
	t.Helper()
	var names []string
	var replies []struct {
		Name string `json:"family-name"`
	}
	if err := json.Unmarshal([]byte(out), &replies); err != nil {
		t.Fatalf("replies %q: %v", out, err)
	}
	for _, v := range replies {
		names = append(names, v.Name)
	}
	return strings.Join(names, " ")
}

func TestLiveListFamilies(t *testing.T) {
	needTool(t, "genl")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--list-kernel-families", "--output-json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var fams []struct {
		Name     string `json:"name"`
		ID       int    `json:"id"`
		Version  int    `json:"version"`
		Builtin  bool   `json:"builtin-spec"`
		InKernel bool   `json:"in-kernel"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &fams); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	listed := map[string]bool{}
	for _, f := range fams {
		listed[f.Name] = true
		if f.Builtin != hasBuiltin(f.Name) {
			t.Errorf("%s: builtin-spec %v, wrong", f.Name, f.Builtin)
		}
		if f.InKernel {
			got[f.Name] = fmt.Sprintf("id 0x%x version 0x%x", f.ID, f.Version)
		}
	}
	// Every built-in generic netlink family is listed, whether or not the
	// kernel has it; classic netlink ones are no nlctrl families.
	for _, b := range builtin {
		if !listed[b.name] && !b.raw {
			t.Errorf("built-in family %s is not listed", b.name)
		}
	}
	want := map[string]string{}
	re := regexp.MustCompile(`Name: (\S+)\s+ID: (0x[0-9a-f]+)\s+Version: (0x[0-9a-f]+)`)
	for _, m := range re.FindAllStringSubmatch(mustRun(t, "ip", "netns", "exec", ns.name, "genl", "ctrl", "list"), -1) {
		want[m[1]] = "id " + m[2] + " version " + m[3]
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("--list-families:\n%v\ngenl ctrl list:\n%v", got, want)
	}
	r = runYNL(t, ns.prefix(), "--list-kernel-families")
	if r.code != 0 {
		t.Fatalf("--list-families: exit %d: %s", r.code, r.stderr)
	}
	for name := range want {
		spec := "-"
		if hasBuiltin(name) {
			spec = "built-in"
		}
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` .* spec ` + spec + ` `).MatchString(r.stdout) {
			t.Errorf("--list-families: %s is not marked spec %s:\n%s", name, spec, r.stdout)
		}
	}
	if _, inKernel := want["wireguard"]; !inKernel && !strings.Contains(r.stdout, "\nBuilt-in specs of families the running kernel lacks (load their module to use them):\n") ||
		!inKernel && !regexp.MustCompile(`(?m)^wireguard$`).MatchString(r.stdout) {
		t.Errorf("--list-families does not list built-in families the kernel lacks:\n%s", r.stdout)
	}
}

func TestLivePolicyAndCheck(t *testing.T) {
	needSpec(t, "ethtool")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "ethtool", "--do", "channels-get", "--policy", "--output-json")
	if r.code != 0 || !strings.HasPrefix(r.stdout, `{"header": {"type": "nested", "policy": {`) ||
		!strings.Contains(r.stdout, `"dev-name": {"type": "nul-string"`) {
		t.Errorf("--do channels-get --policy: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// An op whose mode has no policy prints null, as pyynl does.
	r = runYNL(t, ns.prefix(), "--family", "netdev", "--dump", "dev-get", "--policy", "--output-json")
	if r.code != 0 || r.stdout != "null\n" {
		t.Errorf("--dump dev-get --policy: exit %d, want null\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The overlay adds a request attribute the kernel's policy lacks.
	r = runYNL(t, ns.prefix(), "--family", "nlctrl", "--overlay", "../../testdata/cli/nlctrl-overlay.yaml", "--check-kernel")
	if r.code != 1 || !strings.Contains(r.stdout, "family nlctrl:") ||
		!strings.Contains(r.stdout, "- op getfamily do: .not-in-kernel is a request attribute in the spec, not in the kernel's policy\n") {
		t.Errorf("--check-kernel with differences: exit %d (want 1)\n%s%s", r.code, r.stdout, r.stderr)
	}
	// This overlay adds the one limit the kernel has and the spec lacks.
	r = runYNL(t, ns.prefix(), "--family", "nlctrl", "--overlay", "../../testdata/cli/nlctrl-kernel.yaml", "--check-kernel")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "family nlctrl: built-in nlctrl spec, kernel id 16 ") ||
		!strings.HasSuffix(r.stdout, "\n0 differences\n") || r.stderr != "" {
		t.Errorf("--check-kernel without differences: exit %d (want 0)\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestLiveRawNetlink runs a netlink-raw family (rt-link) over a classic
// netlink socket: getlink agrees with ip link, and a change made by ip is
// printed as a notification named getlink, as pyynl names it.
func TestLiveRawNetlink(t *testing.T) {
	needSpec(t, "rt-link")
	ns := newNetns(t)
	r := runYNL(t, ns.prefix(), "--family", "rt-link", "--do", "getlink", "--json", `{"ifname":"v0"}`, "--output-json")
	if r.code != 0 {
		t.Fatalf("getlink: exit %d: %s", r.code, r.stderr)
	}
	var link struct {
		Index    int    `json:"ifi-index"`
		Name     string `json:"ifname"`
		Address  string `json:"address"`
		Linkinfo struct {
			Kind string `json:"kind"`
		} `json:"linkinfo"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &link); err != nil {
		t.Fatalf("getlink output: %v\n%s", err, r.stdout)
	}
	var ip []struct {
		Index   int    `json:"ifindex"`
		Address string `json:"address"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "ip", "-n", ns.name, "-j", "link", "show", "v0")), &ip); err != nil || len(ip) != 1 {
		t.Fatalf("ip -j link show v0: %v", err)
	}
	if link.Name != "v0" || link.Index != ip[0].Index || link.Address != ip[0].Address || link.Linkinfo.Kind != "veth" {
		t.Errorf("getlink v0 = %+v, ip link says index %d address %s", link, ip[0].Index, ip[0].Address)
	}

	argv := append(ns.prefix(), ynlBinary(t), "--family", "rt-link", "--subscribe", "rtnlgrp-link", "--duration", "2", "--output-json")
	cmd := exec.Command(argv[0], argv[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	err := whileRunning(cmd, func(i int) {
		mustRun(t, "ip", "-n", ns.name, "link", "set", "v0", "mtu", strconv.Itoa(1400-100*(i%2)))
	})
	if err != nil {
		t.Fatalf("subscribe: %v\n%s", err, errb.String())
	}
	if !regexp.MustCompile(`\{"name": "getlink", "msg": \{.*"ifname": "v0", "mtu": 1[34]00`).MatchString(out.String()) {
		t.Errorf("no getlink notification (pyynl names RTM_NEWLINK so) for the mtu change in:\n%s\nstderr: %s", out.String(), errb.String())
	}
}

// TestLiveDumpEveryOp dumps every dump op of the families a test
// namespace can reach, without arguments and with unknown attributes
// rejected: whatever the kernel answers must decode per the spec. Ops the
// kernel refuses without arguments (or lacks) are fine; a decode error or
// a crash is not.
func TestLiveDumpEveryOp(t *testing.T) {
	ns := newNetns(t)
	for _, name := range []string{"nlctrl", "netdev", "ethtool", "tcp_metrics", "mptcp_pm", "rt-link", "rt-addr", "rt-route", "rt-neigh", "rt-rule"} {
		if !hasBuiltin(name) {
			if _, err := family.Find(name); err != nil {
				t.Logf("%s: no spec, skipped", name)
				continue
			}
		}
		r := runYNL(t, nil, "--family", name, "--list-ops")
		for _, line := range strings.Split(r.stdout, "\n") {
			if !strings.Contains(line, "dump") {
				continue
			}
			op := strings.Fields(line)[0]
			d := runYNL(t, ns.prefix(), "--family", name, "--dump", op, "--no-process-unknown", "--output-json")
			switch {
			case d.code == 0:
				var list []any
				if err := json.Unmarshal([]byte(d.stdout), &list); err != nil {
					t.Errorf("%s %s: output is not a JSON list: %v", name, op, err)
				}
			case d.code == 1 && (strings.HasPrefix(d.stderr, "Netlink error: ") || strings.Contains(d.stderr, "kernel does not support")):
				t.Logf("%s %s: kernel refused: %s", name, op, strings.SplitN(d.stderr, "\n", 2)[0])
			default:
				t.Errorf("%s %s: exit %d: %s", name, op, d.code, d.stderr)
			}
		}
	}
}

// TestLiveRawFlags creates a link over rt-link with --create --excl: the
// first run creates it (and prints nothing), the second fails with EEXIST
// because of NLM_F_EXCL, and without --create the kernel refuses to make
// a new link.
func TestLiveRawFlags(t *testing.T) {
	needSpec(t, "rt-link")
	ns := newNetns(t)
	req := `{"ifname":"x0","linkinfo":{"kind":"veth"}}`
	r := runYNL(t, ns.prefix(), "--family", "rt-link", "--do", "newlink", "--create", "--excl", "--json", req)
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("newlink --create --excl: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	mustRun(t, "ip", "-n", ns.name, "link", "show", "x0")
	r = runYNL(t, ns.prefix(), "--family", "rt-link", "--do", "newlink", "--create", "--excl", "--json", req)
	if r.code != 1 || !strings.Contains(r.stderr, "File exists") {
		t.Errorf("second newlink --create --excl: exit %d, stderr %s", r.code, r.stderr)
	}
	r = runYNL(t, ns.prefix(), "--family", "rt-link", "--do", "newlink", "--json", `{"ifname":"x9","linkinfo":{"kind":"veth"}}`)
	if r.code != 1 || !strings.Contains(r.stderr, "No such device") {
		t.Errorf("newlink without --create: exit %d, stderr %s", r.code, r.stderr)
	}
}

// whileRunning calls change(0), change(1), ... every 300ms until the
// started command exits, and returns its exit error.
func whileRunning(cmd *exec.Cmd, change func(i int)) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for i := 0; ; i++ {
		select {
		case err := <-done:
			return err
		case <-time.After(300 * time.Millisecond):
			change(i)
		}
	}
}

// TestLiveListenAllNSID subscribes in one namespace with --listen-all-nsid
// while devices change in another that has id 7 there: the notifications
// of the other print with "nsid": 7, over generic (netdev) and classic
// (rt-link) netlink alike.
func TestLiveListenAllNSID(t *testing.T) {
	listener, other := newNetns(t), newNetns(t)
	mustRun(t, "ip", "-n", listener.name, "netns", "set", other.name, "7")
	for _, tc := range []struct{ family, group string }{{"netdev", "mgmt"}, {"rt-link", "rtnlgrp-link"}} {
		needSpec(t, tc.family)
		argv := append(listener.prefix(), ynlBinary(t), "--family", tc.family, "--subscribe", tc.group, "--listen-all-nsid", "--duration", "2", "--output-json")
		cmd := exec.Command(argv[0], argv[1:]...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		err := whileRunning(cmd, func(i int) {
			name := fmt.Sprintf("%.2s%d", tc.family, i)
			exec.Command("ip", "-n", other.name, "link", "add", name, "type", "veth", "peer", "name", name+"p").Run()
		})
		if err != nil {
			t.Fatalf("%s: %v\n%s", tc.family, err, errb.String())
		}
		var fromOther int
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var n struct {
				Name string `json:"name"`
				NSID *int   `json:"nsid"`
			}
			if line == "" {
				continue
			}
			if err := json.Unmarshal([]byte(line), &n); err != nil {
				t.Fatalf("%s: %q: %v", tc.family, line, err)
			}
			if n.NSID != nil && *n.NSID == 7 {
				fromOther++
			}
		}
		if fromOther == 0 {
			t.Errorf("%s: no notification with \"nsid\": 7 in:\n%s%s", tc.family, out.String(), errb.String())
		}
	}
	// The flag belongs to --subscribe.
	r := runYNL(t, listener.prefix(), "--family", "netdev", "--listen-all-nsid", "--dump", "dev-get")
	if r.code != exitUsage {
		t.Errorf("--listen-all-nsid without --subscribe: exit %d, want 2", r.code)
	}
}
