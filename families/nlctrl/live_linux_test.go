package nlctrl

import (
	"context"
	"errors"
	"maps"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/internal/netnstest"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// live returns a client inside a fresh network namespace.
func live(t *testing.T) (*Client, *netnstest.NS) {
	t.Helper()
	ns := netnstest.New(t)
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, ns
}

// fam is what genl ctrl list and getfamily both say about a family.
type fam struct {
	id, version, hdrsize, maxattr uint32
	ops                           map[uint32]OpFlags
	groups                        map[string]uint32
}

// summary reduces a getfamily reply to a fam.
func summary(a *CtrlAttrs) fam {
	f := fam{
		id: uint32(a.FamilyID.Value), version: a.Version.Value, hdrsize: a.Hdrsize.Value, maxattr: a.Maxattr.Value,
		ops: map[uint32]OpFlags{}, groups: map[string]uint32{},
	}
	for _, op := range a.Ops {
		f.ops[op.ID.Value] = op.Flags.Value
	}
	for _, g := range a.McastGroups {
		f.groups[g.Name.Value] = g.ID.Value
	}
	return f
}

// anyFlags stands for the flags of an op genl lists without capabilities
// (it prints them only for some families).
const anyFlags OpFlags = 1 << 31

func (f fam) equal(g fam) bool {
	return f.id == g.id && f.version == g.version && f.hdrsize == g.hdrsize && f.maxattr == g.maxattr &&
		maps.EqualFunc(f.ops, g.ops, func(a, b OpFlags) bool { return a == b || a == anyFlags || b == anyFlags }) &&
		maps.Equal(f.groups, g.groups)
}

var (
	genlFamily = regexp.MustCompile(`^Name: (\S+)`)
	genlHeader = regexp.MustCompile(`^\s+ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`)
	genlOp     = regexp.MustCompile(`^\s+#\d+:\s+ID-0x([0-9a-f]+)`)
	genlCaps   = regexp.MustCompile(`^\s+Capabilities \(0x([0-9a-f]+)\)`)
	genlGroup  = regexp.MustCompile(`^\s+#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)`)
)

// genlCtrlList parses `genl ctrl list`.
func genlCtrlList(t *testing.T, ns *netnstest.NS) map[string]fam {
	out := map[string]fam{}
	var name string
	var f fam
	var op uint32
	num := func(s string, base int) uint32 {
		n, err := strconv.ParseUint(s, base, 32)
		if err != nil {
			t.Fatalf("genl ctrl list: %q: %v", s, err)
		}
		return uint32(n)
	}
	for _, line := range strings.Split(ns.Exec(t, "genl", "ctrl", "list"), "\n") {
		if m := genlFamily.FindStringSubmatch(line); m != nil {
			name = m[1]
			f = fam{ops: map[uint32]OpFlags{}, groups: map[string]uint32{}}
			out[name] = f
		} else if m := genlHeader.FindStringSubmatch(line); m != nil {
			f.id, f.version, f.hdrsize, f.maxattr = num(m[1], 16), num(m[2], 16), num(m[3], 10), num(m[4], 10)
			out[name] = f
		} else if m := genlGroup.FindStringSubmatch(line); m != nil {
			f.groups[m[2]] = num(m[1], 16)
		} else if m := genlOp.FindStringSubmatch(line); m != nil {
			op = num(m[1], 16)
			f.ops[op] = anyFlags
		} else if m := genlCaps.FindStringSubmatch(line); m != nil {
			f.ops[op] = OpFlags(num(m[1], 16))
		}
	}
	return out
}

func TestLiveGetfamily(t *testing.T) {
	c, ns := live(t)
	netnstest.Require(t, "genl")
	before := genlCtrlList(t, ns)
	dumped := map[string]*CtrlAttrs{}
	for a, err := range c.GetfamilyDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		dumped[a.FamilyName.Value] = a
	}
	after := genlCtrlList(t, ns)
	if len(dumped) < 3 || dumped["nlctrl"] == nil || dumped["ethtool"] == nil {
		t.Fatalf("getfamily dump lists %d families, want nlctrl, ethtool and more", len(dumped))
	}
	for name, d := range dumped {
		one, err := c.Getfamily(ctx(t), &CtrlAttrs{FamilyName: genl.Some(name)})
		if errors.Is(err, unix.ENOENT) {
			t.Logf("%s went away after the dump", name) // a module unloaded
			continue
		}
		if err != nil {
			t.Fatalf("getfamily %s: %v", name, err)
		}
		if !summary(one).equal(summary(d)) {
			t.Errorf("%s: getfamily %+v, dump %+v", name, summary(one), summary(d))
		}
	}
	// Families that came or went while genl ran are not compared.
	for name, g := range before {
		if a, ok := after[name]; !ok || !a.equal(g) {
			continue
		}
		d, ok := dumped[name]
		if !ok {
			t.Errorf("genl ctrl list shows %s, the dump does not", name)
			continue
		}
		if !summary(d).equal(g) {
			t.Errorf("%s: dump %+v, genl ctrl list %+v", name, summary(d), g)
		}
	}
	for name := range dumped {
		_, inBefore := before[name]
		if _, inAfter := after[name]; !inBefore && !inAfter {
			t.Errorf("the dump shows %s, genl ctrl list does not", name)
		}
	}
}

func TestLiveGetpolicyEthtool(t *testing.T) {
	c, _ := live(t)
	var doIdx genl.Opt[uint32]
	policies := map[uint32]map[uint16]PolicyAttrs{}
	for a, err := range c.GetpolicyDump(ctx(t), &CtrlAttrs{FamilyName: genl.Some("ethtool"), Op: genl.Some(uint32(ethtool.CmdLinkinfoGet))}) {
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := a.OpPolicy[uint16(ethtool.CmdLinkinfoGet)]; ok {
			doIdx = p.Do
		}
		// Each message carries one attribute of one policy.
		for idx, attrs := range a.Policy {
			if policies[uint32(idx)] == nil {
				policies[uint32(idx)] = map[uint16]PolicyAttrs{}
			}
			maps.Copy(policies[uint32(idx)], attrs)
		}
	}
	if !doIdx.Valid {
		t.Fatalf("getpolicy gave no do policy for linkinfo-get; policies %v", policies)
	}
	hdr, ok := policies[doIdx.Value][ethtool.AttrLinkinfoHeader]
	if !ok || hdr.Type.Value != AttrTypeNested || !hdr.PolicyIdx.Valid {
		t.Fatalf("linkinfo-get header policy %+v, want a nest with a policy index", hdr)
	}
	// linkinfo-get takes the header without phy-index.
	nest := policies[hdr.PolicyIdx.Value]
	if _, ok := nest[ethtool.AttrHeaderPHYIndex]; ok || len(nest) != 3 || hdr.PolicyMaxtype.Value != 3 {
		t.Errorf("header policy %+v (max type %v), want dev-index, dev-name and flags", nest, hdr.PolicyMaxtype)
	}
	for attr, want := range map[uint16]AttrType{
		ethtool.AttrHeaderDevIndex: AttrTypeU32,
		ethtool.AttrHeaderDevName:  AttrTypeNulString,
		ethtool.AttrHeaderFlags:    AttrTypeU32,
	} {
		if got := nest[attr].Type; got != genl.Some(want) {
			t.Errorf("header attribute %d: type %v, want %v", attr, got, want)
		}
	}
	// dev-name is bounded by ALTIFNAMSIZ, flags by the flag bits every
	// op takes (stats only where an op has statistics); the mask proves
	// the policy-attrs numbering (mask is 12, pad 11).
	if n := nest[ethtool.AttrHeaderDevName].MaxLength; n.Value != altIfNameSize-1 {
		t.Errorf("dev-name max-length %v, want %d", n, altIfNameSize-1)
	}
	flags := ethtool.HeaderFlagsCompactBitsets | ethtool.HeaderFlagsOmitReply
	if m := nest[ethtool.AttrHeaderFlags].Mask; m != genl.Some(uint64(flags)) {
		t.Errorf("flags mask %v, want %#x (%v)", m, uint64(flags), flags)
	}
}

// altIfNameSize is ALTIFNAMSIZ of <linux/if.h>.
const altIfNameSize = 128

// TestLiveFamilyVersion checks FamilyVersion, which every request's genl
// header carries, against the version the kernel registered nlctrl with
// (the UAPI headers have no define for it).
func TestLiveFamilyVersion(t *testing.T) {
	c, _ := live(t)
	f, err := c.Getfamily(ctx(t), &CtrlAttrs{FamilyName: genl.Some(FamilyName)})
	if err != nil {
		t.Fatal(err)
	}
	if !f.Version.Valid || f.Version.Value != FamilyVersion {
		t.Errorf("the kernel's nlctrl is version %v, FamilyVersion is %d", f.Version, FamilyVersion)
	}
}
