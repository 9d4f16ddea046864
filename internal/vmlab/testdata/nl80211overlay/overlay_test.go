//go:build linux && vmlab

// Package nl80211overlay checks the nl80211 overlay against a live kernel
// inside the lab: every request id the overlay adds must be an op of the
// kernel's nl80211 family, every multicast group of its notifications must
// exist, and every attribute it adds or retypes must have the type the
// kernel's policy (CTRL_CMD_GETPOLICY) gives it, in nested policies too.
package nl80211overlay

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"

	"github.com/ynlgo/ynl/family"
)

var overlay = flag.String("overlay", "", "the nl80211 overlay file in the guest")

// load returns the nl80211 family with the overlay merged.
func load(t *testing.T) *family.Family {
	t.Helper()
	if os.Getenv("YNL_VMLAB") == "" {
		t.Skip("guest-only test: run it through the vmlab harness")
	}
	if *overlay == "" {
		t.Fatal("no -overlay given")
	}
	spec, err := family.Find("nl80211")
	if err != nil {
		t.Fatalf("nl80211.yaml: %v (the harness copies YNL_SPEC_PATH into the guest)", err)
	}
	f, err := family.Load(spec, *overlay)
	if err != nil {
		t.Fatalf("loading %s with %s: %v", spec, *overlay, err)
	}
	return f
}

// fromOverlay reports whether the overlay defined p.
func fromOverlay(p family.Pos) bool { return filepath.Base(p.File) == filepath.Base(*overlay) }

func dial(t *testing.T) *genetlink.Conn {
	t.Helper()
	c, err := genetlink.Dial(nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ctrl runs a request to nlctrl about nl80211 and returns the replies'
// attributes.
func ctrl(t *testing.T, c *genetlink.Conn, cmd uint8, flags netlink.HeaderFlags) []*netlink.AttributeDecoder {
	t.Helper()
	ae := netlink.NewAttributeEncoder()
	ae.String(unix.CTRL_ATTR_FAMILY_NAME, "nl80211")
	data, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Execute(genetlink.Message{Header: genetlink.Header{Command: cmd, Version: 2}, Data: data}, unix.GENL_ID_CTRL, flags)
	if err != nil {
		t.Fatalf("nlctrl command %d: %v", cmd, err)
	}
	var out []*netlink.AttributeDecoder
	for _, m := range msgs {
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ad)
	}
	return out
}

func TestOverlayOpsAndGroups(t *testing.T) {
	f := load(t)
	c := dial(t)
	ops, groups := map[uint32]bool{}, map[string]bool{}
	for _, ad := range ctrl(t, c, unix.CTRL_CMD_GETFAMILY, netlink.Request) {
		for ad.Next() {
			switch ad.Type() {
			case unix.CTRL_ATTR_OPS:
				ad.Nested(func(list *netlink.AttributeDecoder) error {
					for list.Next() {
						list.Nested(func(op *netlink.AttributeDecoder) error {
							for op.Next() {
								if op.Type() == unix.CTRL_ATTR_OP_ID {
									ops[op.Uint32()] = true
								}
							}
							return nil
						})
					}
					return nil
				})
			case unix.CTRL_ATTR_MCAST_GROUPS:
				ad.Nested(func(list *netlink.AttributeDecoder) error {
					for list.Next() {
						list.Nested(func(g *netlink.AttributeDecoder) error {
							for g.Next() {
								if g.Type() == unix.CTRL_ATTR_MCAST_GRP_NAME {
									groups[g.String()] = true
								}
							}
							return nil
						})
					}
					return nil
				})
			}
		}
		if err := ad.Err(); err != nil {
			t.Fatal(err)
		}
	}
	checked := 0
	for _, op := range f.Operations.List {
		if op.RequestValue != 0 && !ops[uint32(op.RequestValue)] {
			t.Errorf("op %s: request id %d is not an op of the kernel's nl80211", op.Name, op.RequestValue)
		}
		if op.Mcgrp != nil && !groups[op.Mcgrp.Name] {
			t.Errorf("op %s: multicast group %q not offered by the kernel", op.Name, op.Mcgrp.Name)
		}
		checked++
	}
	t.Logf("%d ops checked against %d kernel ops and groups %v", checked, len(ops), groups)
}

// policyAttr is one attribute of a kernel policy.
type policyAttr struct {
	typ    uint32
	nested int // index of the nested policy, or -1
}

// policies dumps nl80211's policies: index -> attribute type -> policy.
func policies(t *testing.T, c *genetlink.Conn) (map[int]map[int]policyAttr, int) {
	t.Helper()
	pol := map[int]map[int]policyAttr{}
	main := -1
	for _, ad := range ctrl(t, c, unix.CTRL_CMD_GETPOLICY, netlink.Request|netlink.Dump) {
		for ad.Next() {
			switch ad.Type() {
			case unix.CTRL_ATTR_POLICY:
				ad.Nested(func(idx *netlink.AttributeDecoder) error {
					for idx.Next() {
						i := int(idx.Type())
						if pol[i] == nil {
							pol[i] = map[int]policyAttr{}
						}
						idx.Nested(func(attrs *netlink.AttributeDecoder) error {
							for attrs.Next() {
								a := int(attrs.Type())
								p := policyAttr{nested: -1}
								attrs.Nested(func(d *netlink.AttributeDecoder) error {
									for d.Next() {
										switch d.Type() {
										case unix.NL_POLICY_TYPE_ATTR_TYPE:
											p.typ = d.Uint32()
										case unix.NL_POLICY_TYPE_ATTR_POLICY_IDX:
											p.nested = int(d.Uint32())
										}
									}
									return nil
								})
								pol[i][a] = p
							}
							return nil
						})
					}
					return nil
				})
			case unix.CTRL_ATTR_OP_POLICY:
				ad.Nested(func(ops *netlink.AttributeDecoder) error {
					for ops.Next() {
						ops.Nested(func(d *netlink.AttributeDecoder) error {
							for d.Next() {
								if d.Type() == unix.CTRL_ATTR_POLICY_DO && main < 0 {
									main = int(d.Uint32())
								}
							}
							return nil
						})
					}
					return nil
				})
			}
		}
		if err := ad.Err(); err != nil {
			t.Fatal(err)
		}
	}
	if main < 0 {
		main = 0
	}
	return pol, main
}

// kernelTypes lists the policy types each spec type may show as.
var kernelTypes = map[family.AttrType][]uint32{
	family.TypeU8:           {unix.NL_ATTR_TYPE_U8},
	family.TypeU16:          {unix.NL_ATTR_TYPE_U16},
	family.TypeU32:          {unix.NL_ATTR_TYPE_U32},
	family.TypeU64:          {unix.NL_ATTR_TYPE_U64},
	family.TypeS8:           {unix.NL_ATTR_TYPE_S8},
	family.TypeS16:          {unix.NL_ATTR_TYPE_S16},
	family.TypeS32:          {unix.NL_ATTR_TYPE_S32},
	family.TypeS64:          {unix.NL_ATTR_TYPE_S64},
	family.TypeFlag:         {unix.NL_ATTR_TYPE_FLAG},
	family.TypeString:       {unix.NL_ATTR_TYPE_STRING, unix.NL_ATTR_TYPE_NUL_STRING},
	family.TypeBinary:       {unix.NL_ATTR_TYPE_BINARY},
	family.TypeNest:         {unix.NL_ATTR_TYPE_NESTED},
	family.TypeIndexedArray: {unix.NL_ATTR_TYPE_NESTED, unix.NL_ATTR_TYPE_NESTED_ARRAY},
}

func TestOverlayAttrsMatchPolicy(t *testing.T) {
	f := load(t)
	pol, main := policies(t, dial(t))
	var compared []string
	compareSet(t, f.AttrSet("nl80211-attrs"), pol, main, map[string]bool{}, &compared)
	if len(compared) == 0 {
		t.Fatal("no overlay attribute had a kernel policy to compare with")
	}
	t.Logf("%d overlay attributes compared with the kernel's policy (%d policies): %v", len(compared), len(pol), compared)
}

// compareSet compares the overlay's attributes of set with policy idx and
// follows nests into their policies, noting the attributes it compared.
func compareSet(t *testing.T, set *family.AttrSet, pol map[int]map[int]policyAttr, idx int, seen map[string]bool, compared *[]string) {
	if set == nil || seen[set.Name] {
		return
	}
	seen[set.Name] = true
	for _, a := range set.Attributes {
		p, ok := pol[idx][a.Value]
		if !ok {
			continue // a reply-only attribute: the kernel has no policy for it
		}
		switch {
		case fromOverlay(a.Pos):
			*compared = append(*compared, set.Name+"."+a.Name)
			switch why, dual := dualUse[set.Name+"."+a.Name]; {
			case dual && a.Type == family.TypeBinary:
				t.Logf("%s.%s (%d): left opaque, kernel policy type %d: %s", set.Name, a.Name, a.Value, p.typ, why)
			case opaqueNest(a.Type, p.typ):
				t.Logf("%s.%s (%d): a nest the overlay leaves opaque (binary)", set.Name, a.Name, a.Value)
			case !matches(a.Type, p.typ):
				t.Errorf("%s.%s (%d): spec type %s, kernel policy type %d", set.Name, a.Name, a.Value, a.Type, p.typ)
			}
		case !matches(a.Type, p.typ):
			// Not ours to fix here, but worth knowing: the overlay may
			// retype it.
			t.Logf("upstream %s.%s (%d): spec type %s, kernel policy type %d", set.Name, a.Name, a.Value, a.Type, p.typ)
		}
		if a.Nested != nil && p.nested >= 0 {
			compareSet(t, a.Nested, pol, p.nested, seen, compared)
		}
	}
}

// dualUse lists overlay attributes whose request policy type is not what
// the kernel sends back, so no one spec type can match both; the overlay
// keeps them as binary, the bytes as they are.
var dualUse = map[string]string{
	// <linux/nl80211.h>: NL80211_ATTR_BSS_PARAM is a nest of attribute
	// ids in get-wiphy replies and a flag in set-bss requests.
	"nl80211-attrs.bss-param": "a nest in get-wiphy replies, a flag in set-bss requests",
}

// opaqueNest reports a nest the overlay does not model yet and keeps as
// binary: the wire bytes are the same, only the decoding is left out.
func opaqueNest(st family.AttrType, kt uint32) bool {
	return st == family.TypeBinary && (kt == unix.NL_ATTR_TYPE_NESTED || kt == unix.NL_ATTR_TYPE_NESTED_ARRAY)
}

func matches(st family.AttrType, kt uint32) bool {
	for _, k := range kernelTypes[st] {
		if k == kt {
			return true
		}
	}
	return false
}
