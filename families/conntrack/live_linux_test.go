package conntrack

import (
	"context"
	"net/netip"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestLiveDumpAndStats inserts a flow with the conntrack tool, finds it
// in a dump with its tuples, and reads the per-CPU statistics, whose
// insert counters must add up to what conntrack -S says.
func TestLiveDumpAndStats(t *testing.T) {
	ns := netnstest.New(t)
	netnstest.Require(t, "conntrack")
	ns.Exec(t, "conntrack", "-I", "-s", "192.0.2.1", "-d", "192.0.2.2", "-p", "tcp", "--sport", "1000", "--dport", "80",
		"--state", "ESTABLISHED", "-t", "100", "-u", "SEEN_REPLY")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var flows []*Attrs
	for f, err := range c.GetDump(ctx(t), &Attrs{Nfgenmsg: Nfgenmsg{NfgenFamily: unix.AF_INET}}) {
		if err != nil {
			t.Fatal(err)
		}
		flows = append(flows, f)
	}
	if len(flows) != 1 {
		t.Fatalf("%d flows, want the one inserted", len(flows))
	}
	o, r := flows[0].TupleOrig, flows[0].TupleReply
	if o == nil || o.TupleIP == nil || o.TupleProto == nil || r == nil || r.TupleIP == nil ||
		o.TupleIP.IPV4Src != netip.MustParseAddr("192.0.2.1") || o.TupleIP.IPV4Dst != netip.MustParseAddr("192.0.2.2") ||
		o.TupleProto.ProtoNum.Value != unix.IPPROTO_TCP || o.TupleProto.ProtoSrcPort.Value != 1000 || o.TupleProto.ProtoDstPort.Value != 80 ||
		r.TupleIP.IPV4Src != netip.MustParseAddr("192.0.2.2") {
		t.Errorf("flow %+v %+v", o, r)
	}
	if to := flows[0].Timeout.Value; to == 0 || to > 100 {
		t.Errorf("timeout %d, want at most the 100 s given", to)
	}
	inserts, cpus := 0, 0
	for s, err := range c.GetStatsDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		cpus++
		inserts += int(s.Insert.Value)
	}
	want := 0
	lines := regexp.MustCompile(`(?m)^cpu=\d+\s.*insert=(\d+) `).FindAllStringSubmatch(ns.Exec(t, "conntrack", "-S"), -1)
	for _, m := range lines {
		n, _ := strconv.Atoi(m[1])
		want += n
	}
	if cpus == 0 || cpus != len(lines) || inserts != want || inserts < 1 {
		t.Errorf("stats: %d CPUs with %d inserts; conntrack -S: %d CPUs with %d", cpus, inserts, len(lines), want)
	}
}
