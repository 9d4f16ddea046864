//go:build linux

package family

import (
	"path/filepath"
	"testing"
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
