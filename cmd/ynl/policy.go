package main

import (
	"context"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// kernelPolicy dumps the running kernel's policy of a family (of one op
// when cmd >= 0) through nlctrl. The runtime restores the ids of dump-only
// ops, which the kernel reports as command 0.
func kernelPolicy(ctx context.Context, conn *genl.Conn, name string, cmd int) (*genl.FamilyPolicy, error) {
	if cmd >= 0 {
		return conn.OpPolicy(ctx, name, uint8(cmd))
	}
	return conn.Policy(ctx, name)
}

// printPolicy prints the running kernel's policy of one mode ("do" or
// "dump") of an op, with attribute names from the spec, as pyynl's
// --policy does: {attr: {type, bounds, policy: {...}}}, or null when the
// op has no policy for that mode.
func printPolicy(ctx context.Context, p *printer, f *family.Family, name, mode string) error {
	op := f.Operations.Op(name)
	// Command 0 is a real command (wireguard's get-device, team's noop):
	// an op exists for the kernel when it has a do or a dump.
	if op == nil || (op.Do == nil && op.Dump == nil) {
		return usagef("unknown operation %q in family %s (see --list-ops)", name, f.Name)
	}
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		return err
	}
	defer conn.Close()
	fp, err := kernelPolicy(ctx, conn, f.Name, op.RequestValue)
	if err != nil {
		return err
	}
	var pol *genl.Policy
	if opp, ok := fp.Op(uint8(op.RequestValue)); ok {
		pol = opp.Do
		if mode == "dump" {
			pol = opp.Dump
		}
	}
	if pol == nil {
		return p.print(nil)
	}
	return p.print(policyJSON(pol, op.AttrSet, map[*genl.Policy]bool{pol: true}))
}

// policyJSON renders a policy as {attr-name: {type, bounds, policy}} in
// attribute type order; seen holds the policies open on the path, whose
// nests print without their "policy" (pyynl trims loops the same way).
// Attributes the spec lacks are named "attr-N", as pyynl names them.
func policyJSON(pol *genl.Policy, set *family.AttrSet, seen map[*genl.Policy]bool) *dynamic.Map {
	m := &dynamic.Map{}
	for _, typ := range pol.Types() {
		ap := pol.Attrs[typ]
		name, nested := attrNameOf(set, typ)
		m.Set(name, attrPolicyJSON(ap, nested, seen))
	}
	return m
}

// attrNameOf names attribute typ of set ("attr-N" when the spec lacks it)
// and returns the set nested in it.
func attrNameOf(set *family.AttrSet, typ uint16) (string, *family.AttrSet) {
	if a := set.ByValue(int(typ)); a != nil {
		return a.Name, a.Nested
	}
	return "attr-" + itoa(int(typ)), nil
}

func attrPolicyJSON(ap *genl.AttrPolicy, nested *family.AttrSet, seen map[*genl.Policy]bool) *dynamic.Map {
	m := &dynamic.Map{}
	m.Set("type", ap.Type.String())
	setPtr(m, "min-value", ap.MinValue)
	setPtr(m, "max-value", ap.MaxValue)
	setPtr(m, "min-value", ap.MinUValue)
	setPtr(m, "max-value", ap.MaxUValue)
	setPtr(m, "min-length", ap.MinLength)
	setPtr(m, "max-length", ap.MaxLength)
	setPtr(m, "mask", ap.Mask)
	setPtr(m, "bitfield32-mask", ap.Bitfield32Mask)
	if ap.Nested != nil && !seen[ap.Nested] {
		inner := map[*genl.Policy]bool{ap.Nested: true}
		for k := range seen {
			inner[k] = true
		}
		m.Set("policy", policyJSON(ap.Nested, nested, inner))
	}
	return m
}

func setPtr[T any](m *dynamic.Map, key string, v *T) {
	if v != nil {
		m.Set(key, *v)
	}
}
