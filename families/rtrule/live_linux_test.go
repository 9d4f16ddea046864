package rtrule

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// TestLiveRules adds a rule sending fwmark 7 to table 1000, finds it in
// the dump and in ip -j rule, and deletes it.
func TestLiveRules(t *testing.T) {
	ns := netnstest.New(t)
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rule := &FibRuleAttrs{
		FibRuleHdr: FibRuleHdr{Family: unix.AF_INET, Action: FrActToTbl},
		Priority:   genl.Some[uint32](500),
		Fwmark:     genl.Some[uint32](7),
		Table:      genl.Some[uint32](1000),
	}
	if err := c.Newrule(ctx(t), rule, genl.Create, genl.Excl); err != nil {
		t.Fatal(err)
	}
	found := 0
	n := 0
	for r, err := range c.GetruleDump(ctx(t), &FibRuleAttrs{FibRuleHdr: FibRuleHdr{Family: unix.AF_INET}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if r.Priority.Value == 500 && r.Fwmark.Value == 7 && r.Table.Value == 1000 && r.FibRuleHdr.Action == FrActToTbl {
			found++
		}
	}
	var ip []struct {
		Priority uint32 `json:"priority"`
		Fwmark   string `json:"fwmark"`
		Table    string `json:"table"`
	}
	if err := json.Unmarshal([]byte(ns.IP(t, "-j", "-4", "rule", "show")), &ip); err != nil {
		t.Fatal(err)
	}
	if found != 1 || n != len(ip) {
		t.Errorf("rule found %d times in %d rules; ip lists %d: %+v", found, n, len(ip), ip)
	}
	for _, r := range ip {
		if r.Priority == 500 && (r.Fwmark != "0x7" || r.Table != "1000") {
			t.Errorf("ip says %+v", r)
		}
	}
	if err := c.Delrule(ctx(t), rule); err != nil {
		t.Fatal(err)
	}
	for r, err := range c.GetruleDump(ctx(t), &FibRuleAttrs{FibRuleHdr: FibRuleHdr{Family: unix.AF_INET}}) {
		if err == nil && r.Priority.Value == 500 {
			t.Error("rule still there after delrule")
		}
	}
}
