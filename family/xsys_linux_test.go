//go:build linux

package family

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// xsysConst is a kernel constant from golang.org/x/sys/unix and the spec
// item it names: kind is req or rsp (an op's request or reply id), attr, enum
// (an enum or flags entry; flags compare as masks) or const.
type xsysConst struct {
	cname  string
	value  uint64
	family string
	kind   string
	set    string
	name   string
}

// specBugs are constants where the upstream spec itself disagrees with the
// kernel's UAPI header, with the value the spec gives: nlctrl.yaml lists
// policy-attrs mask before pad, while linux/genetlink.h has
// NL_POLICY_TYPE_ATTR_PAD = 11 and NL_POLICY_TYPE_ATTR_MASK = 12.
var specBugs = map[string]uint64{
	"NL_POLICY_TYPE_ATTR_MASK": 11,
	"NL_POLICY_TYPE_ATTR_PAD":  12,
}

// TestXSysConstants compares the values the loader resolves with the
// kernel's own constants as golang.org/x/sys/unix has them.
func TestXSysConstants(t *testing.T) {
	families := map[string]*Family{}
	for _, file := range kernelSpecs(t) {
		f, err := Load(file)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(file), err)
		}
		families[f.Name] = f
	}
	compared := 0
	for _, c := range xsysTable {
		f := families[c.family]
		if f == nil {
			t.Errorf("%s: family %q not found in YNL_SPEC_PATH", c.cname, c.family)
			continue
		}
		got, ok := xsysLookup(f, c)
		if !ok {
			t.Errorf("%s: %s %s %s/%s not found", c.cname, c.family, c.kind, c.set, c.name)
			continue
		}
		compared++
		if want, known := specBugs[c.cname]; known {
			// The upstream spec disagrees with the UAPI header; check that
			// the loader still resolves what the spec says.
			if got != want {
				t.Errorf("%s: spec says %d, loader resolved %d", c.cname, want, got)
			}
			t.Logf("%s = %d in x/sys but %d in the upstream spec (known spec bug)", c.cname, c.value, got)
			continue
		}
		if got != c.value {
			t.Errorf("%s = %d in x/sys, but %s %s %s/%s resolves to %d", c.cname, c.value, c.family, c.kind, c.set, c.name, got)
		}
	}
	t.Logf("compared %d x/sys constants across %d families", compared, len(families))
	if compared < 1000 {
		t.Errorf("only %d constants compared; the table is stale", compared)
	}
}

func xsysLookup(f *Family, c xsysConst) (uint64, bool) {
	switch c.kind {
	case "req", "rsp":
		op := f.Operations.Op(c.name)
		if op == nil {
			return 0, false
		}
		if c.kind == "req" {
			return uint64(op.RequestValue), true
		}
		return uint64(op.ReplyValue), true
	case "attr":
		a := f.AttrSet(c.set).Attr(c.name)
		if a == nil {
			return 0, false
		}
		return uint64(a.Value), true
	case "enum":
		e := f.Definition(c.set).Entry(c.name)
		if e == nil {
			return 0, false
		}
		return e.Value, true
	case "const":
		d := f.Definition(c.name)
		if d == nil {
			return 0, false
		}
		return uint64(d.Value), true
	}
	return 0, false
}

// TestNL80211Overlay extends the kernel's nl80211 spec (3 ops upstream) the
// way generated bindings do, and checks the appended ops' ids, explicit and
// counted, against the kernel's constants.
func TestNL80211Overlay(t *testing.T) {
	path, err := Find("nl80211")
	if err != nil {
		t.Skipf("nl80211 spec not found in YNL_SPEC_PATH: %v", err)
	}
	ov := Source{Name: "nl80211-scan.yaml", Data: []byte(`
operations:
  list:
    - name: get-scan
      doc: Dump scan results.
      attribute-set: nl80211-attrs
      dump:
        request:
          value: 32
          attributes: [ifindex]
        reply:
          value: 34
          attributes: [ifindex, wdev]
    - name: trigger-scan
      doc: Start a scan; its id is counted on from get-scan.
      attribute-set: nl80211-attrs
      do:
        request:
          attributes: [ifindex]
    - name: scan-aborted
      doc: Scan aborted notification.
      value: 35
      attribute-set: nl80211-attrs
      event:
        attributes: [ifindex]
      mcgrp: scan
`)}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(filepath.Base(path), data, ov)
	if err != nil {
		t.Fatal(err)
	}
	ops := f.Operations
	for _, c := range []struct {
		op       string
		req, rsp int
	}{
		{"get-wiphy", unix.NL80211_CMD_GET_WIPHY, unix.NL80211_CMD_NEW_WIPHY},
		{"get-interface", unix.NL80211_CMD_GET_INTERFACE, unix.NL80211_CMD_NEW_INTERFACE},
		{"get-scan", unix.NL80211_CMD_GET_SCAN, unix.NL80211_CMD_NEW_SCAN_RESULTS},
		{"trigger-scan", unix.NL80211_CMD_TRIGGER_SCAN, 0},
		{"scan-aborted", 0, unix.NL80211_CMD_SCAN_ABORTED},
	} {
		op := ops.Op(c.op)
		if op == nil {
			t.Errorf("op %s missing", c.op)
			continue
		}
		if op.RequestValue != c.req || op.ReplyValue != c.rsp {
			t.Errorf("%s: ids %d/%d, want %d/%d", c.op, op.RequestValue, op.ReplyValue, c.req, c.rsp)
		}
	}
	if len(ops.List) != 6 || ops.Op("scan-aborted").Mcgrp != f.McastGroup("scan") {
		t.Errorf("overlay ops not appended: %d ops", len(ops.List))
	}
	roundTrip(t, f)
}
