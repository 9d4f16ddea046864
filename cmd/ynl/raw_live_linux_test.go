package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"os/exec"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/genl"
)

// noSpecPath runs ynl in ns without YNL_SPEC_PATH: the raw families are
// built in.
func (ns *netns) noSpecPath() []string { return append(ns.prefix(), "env", "-u", "YNL_SPEC_PATH") }

// TestLiveRawStrictDump filters an address dump by the fixed header's
// ifa-index: with strict checking the kernel returns only that device's
// addresses, as ip -j addr show dev does.
func TestLiveRawStrictDump(t *testing.T) {
	ns := newNetns(t)
	mustRun(t, "ip", "-n", ns.name, "addr", "add", "10.7.0.1/24", "dev", "v0")
	mustRun(t, "ip", "-n", ns.name, "addr", "add", "10.7.1.1/24", "dev", "v1")
	mustRun(t, "ip", "-n", ns.name, "link", "set", "lo", "up")
	var ip []struct {
		Ifindex  int `json:"ifindex"`
		AddrInfo []struct {
			Family string `json:"family"`
			Local  string `json:"local"`
		} `json:"addr_info"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "ip", "-n", ns.name, "-j", "-4", "addr", "show", "dev", "v1")), &ip); err != nil || len(ip) != 1 {
		t.Fatalf("ip -j addr show dev v1: %v", err)
	}
	r := runYNL(t, ns.noSpecPath(), "--family", "rt-addr", "--dump", "getaddr", "--output-json",
		"--json", fmt.Sprintf(`{"ifa-family":2,"ifa-index":%d}`, ip[0].Ifindex))
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var got []struct {
		Index int    `json:"ifa-index"`
		Local string `json:"local"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ip[0].AddrInfo) || len(got) != 1 || got[0].Local != ip[0].AddrInfo[0].Local || got[0].Index != ip[0].Ifindex {
		t.Errorf("filtered dump %+v, ip says %+v", got, ip[0])
	}
}

// TestLiveNftablesMulti creates a table and a chain in one --multi batch
// and finds them in later dumps (and in nft's view); a batch whose first
// op fails applies nothing, not even the valid op after it.
func TestLiveNftablesMulti(t *testing.T) {
	ns := newNetns(t)
	r := runYNL(t, ns.noSpecPath(), "--family", "nftables",
		"--multi", "newtable", `{"nfgen-family":2,"name":"ynlt"}`,
		"--multi", "newchain", `{"nfgen-family":2,"table":"ynlt","name":"c0"}`)
	if r.code != 0 {
		t.Fatalf("batch: exit %d: %s", r.code, r.stderr)
	}
	r = runYNL(t, ns.noSpecPath(), "--family", "nftables", "--dump", "getchain", "--json", `{"nfgen-family":2}`, "--output-json")
	var chains []struct {
		Table string `json:"table"`
		Name  string `json:"name"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &chains); err != nil || len(chains) != 1 || chains[0].Table != "ynlt" || chains[0].Name != "c0" {
		t.Fatalf("getchain dump %q (%v), want ynlt c0", r.stdout, err)
	}
	needTool(t, "nft")
	if out := mustRun(t, "ip", "netns", "exec", ns.name, "nft", "list", "chain", "ip", "ynlt", "c0"); !strings.Contains(out, "chain c0") {
		t.Errorf("nft list chain: %s", out)
	}
	r = runYNL(t, ns.noSpecPath(), "--family", "nftables",
		"--multi", "newchain", `{"nfgen-family":2,"table":"nosuch","name":"c1"}`,
		"--multi", "newtable", `{"nfgen-family":2,"name":"ynl2"}`)
	if r.code != 1 || !strings.Contains(r.stderr, "batch op #1 (newchain) failed") || !strings.Contains(r.stderr, "bad attribute: .table") {
		t.Errorf("failing batch: exit %d, stderr %s", r.code, r.stderr)
	}
	if out := mustRun(t, "ip", "netns", "exec", ns.name, "nft", "list", "tables"); strings.Contains(out, "ynl2") {
		t.Errorf("the failed batch created its table: %s", out)
	}
}

// TestLiveRawDumpIntr dumps addresses while a goroutine adds and
// removes others: the kernel flags some dumps NLM_F_DUMP_INTR, and ynl
// must print those, warn and exit 1.
func TestLiveRawDumpIntr(t *testing.T) {
	ns := newNetns(t)
	var lines []string
	for i := range 2000 {
		lines = append(lines, fmt.Sprintf("addr add 10.8.%d.%d/32 dev v0", i/200, i%200+1))
	}
	ipBatch(t, ns, lines)
	stop := churnAddrs(t, ns, "v1")
	defer stop()
	intr := 0
	for range 100 {
		r := runYNL(t, ns.noSpecPath(), "--family", "rt-addr", "--dump", "getaddr", "--json", `{"ifa-family":2}`, "--output-json")
		switch {
		case r.code == 1 && strings.Contains(r.stderr, "NLM_F_DUMP_INTR"):
			intr++
			var list []any
			if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) < 2000 {
				t.Errorf("interrupted dump printed %d addresses (%v), want all its data", len(list), err)
			}
		case r.code != 0:
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		if intr >= 2 {
			return
		}
	}
	t.Errorf("%d of 100 dumps flagged NLM_F_DUMP_INTR under address churn, want 2", intr)
}

// churnAddrs adds and removes an address on dev in a loop until the
// returned func is called.
func churnAddrs(t *testing.T, ns *netns, dev string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c, err := rtaddr.Dial(ctx, &genl.DialOptions{NetNSPath: "/run/netns/" + ns.name})
	if err != nil {
		t.Fatal(err)
	}
	var ip []struct {
		Ifindex uint32 `json:"ifindex"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "ip", "-n", ns.name, "-j", "link", "show", dev)), &ip); err != nil || len(ip) != 1 {
		t.Fatalf("ip -j link show %s: %v", dev, err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			a := &rtaddr.AddrAttrs{
				Ifaddrmsg: rtaddr.Ifaddrmsg{IfaFamily: 2, IfaPrefixlen: 32, IfaIndex: ip[0].Ifindex},
				Local:     netip.AddrFrom4([4]byte{10, 9, byte(i / 200 % 200), byte(i%200 + 1)}),
			}
			if err := c.Newaddr(ctx, a, genl.Create, genl.Excl); err == nil {
				_ = c.Deladdr(ctx, a)
			}
		}
	}()
	return func() { cancel(); <-done; c.Close() }
}

// ipBatch runs ip commands in the namespace in one ip -batch process.
func ipBatch(t *testing.T, ns *netns, lines []string) {
	t.Helper()
	cmd := exec.Command("ip", "-n", ns.name, "-batch", "-")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ip -batch: %v\n%s", err, out)
	}
}
