// Package drift compares a family's spec with what a running kernel
// registered: the ops each has that the other lacks, their do/dump modes,
// and per op the request attributes, their types, ranges and lengths
// against the kernel's policy dump. ynl --check-kernel prints its lines;
// the VM lab's TestLiveDrift records them per kernel in testdata, so a
// change in either the specs or a kernel shows as a diff.
package drift

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"syscall"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Diff lists the differences between spec f and the kernel's family kf
// with its policy fp, one line each: lines starting "-" are in the spec
// only, "+" in the kernel only, "~" differ. The order is the spec's ops,
// then the kernel's extra commands; nil means none.
func Diff(f *family.Family, kf *genl.Family, fp *genl.FamilyPolicy) []string {
	c := &checker{seen: map[seenKey]bool{}}
	c.ops(f, kf, fp)
	return c.lines
}

type checker struct {
	lines []string
	seen  map[seenKey]bool
}

type seenKey struct {
	pol *genl.Policy
	set *family.AttrSet
}

func (c *checker) report(format string, args ...any) {
	c.lines = append(c.lines, fmt.Sprintf(format, args...))
}

// ops compares the op lists and each common op's policies.
func (c *checker) ops(f *family.Family, kf *genl.Family, fp *genl.FamilyPolicy) {
	specCmds := map[uint32]bool{}
	for _, op := range f.Operations.List {
		// Only ops with a do or dump are sent; command 0 is as real as
		// any other (wireguard's get-device, team's noop).
		if op.Do == nil && op.Dump == nil {
			continue
		}
		specCmds[uint32(op.RequestValue)] = true
		kop, ok := kf.Op(uint8(op.RequestValue))
		if !ok {
			c.report("- op %s (cmd %d): in the spec, not in the kernel", op.Name, op.RequestValue)
			continue
		}
		c.modes(op, kop)
		if opp, ok := fp.Op(uint8(op.RequestValue)); ok {
			c.opPolicy(op, "do", op.Do, opp.Do)
			c.opPolicy(op, "dump", op.Dump, opp.Dump)
		}
	}
	for _, kop := range kf.Ops {
		if !specCmds[kop.ID] {
			c.report("+ cmd %d (%v): in the kernel, not in the spec", kop.ID, kop.Flags.CtrlNames())
		}
	}
}

func (c *checker) modes(op *family.Op, kop genl.Op) {
	for _, m := range []struct {
		name string
		spec bool
		bit  genl.OpFlags
	}{{"do", op.Do != nil, genl.OpDo}, {"dump", op.Dump != nil, genl.OpDump}} {
		kernel := kop.Flags&m.bit != 0
		switch {
		case m.spec && !kernel:
			c.report("- op %s: %s in the spec, not in the kernel", op.Name, m.name)
		case !m.spec && kernel:
			c.report("+ op %s: %s in the kernel, not in the spec", op.Name, m.name)
		}
	}
}

// opPolicy compares one mode's request attributes with its kernel policy.
func (c *checker) opPolicy(op *family.Op, mode string, om *family.OpMode, pol *genl.Policy) {
	if om == nil || pol == nil || op.AttrSet == nil {
		return
	}
	where := "op " + op.Name + " " + mode
	if om.Request != nil {
		for _, a := range om.Request.Attributes {
			if _, ok := pol.Attrs[uint16(a.Value)]; !ok && !policyDumpOmits(a) {
				// Not "rejected": ops validating strictly reject it, but
				// lenient ones (most of nl80211's and openvswitch's) ignore
				// an attribute their policy lacks.
				c.report("- %s: .%s is a request attribute in the spec, not in the kernel's policy", where, a.Name)
			}
		}
	}
	c.policy(where, "", pol, op.AttrSet)
}

// policyDumpOmits reports whether the kernel's policy dump may leave an
// attribute out although its policy accepts it: the dump writes nothing for
// an untyped entry (NLA_UNSPEC, which legacy families use for binary
// attributes: ovs_vport's upcall-pid, ovs_flow's ufid) nor for big-endian
// integers (NLA_BE16: fou's port), so their absence is no reject.
func policyDumpOmits(a *family.Attr) bool {
	return a.Type == family.TypeBinary || a.Type.IsScalar() && a.ByteOrder == family.BigEndian
}

// policy compares every attribute of a kernel policy with the spec's set,
// recursing into nests once per (policy, set) pair.
func (c *checker) policy(where, path string, pol *genl.Policy, set *family.AttrSet) {
	k := seenKey{pol, set}
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	for _, typ := range pol.Types() {
		ap := pol.Attrs[typ]
		a := set.ByValue(int(typ))
		if a == nil {
			c.report("+ %s: %s.%d (%s) is accepted by the kernel, not in the spec (set %s)", where, path, typ, ap.Type, setName(set))
			continue
		}
		p := path + "." + a.Name
		c.attr(where, p, a, ap)
		if ap.Nested != nil && a.Nested != nil {
			c.policy(where, p, ap.Nested, a.Nested)
		}
	}
}

func setName(s *family.AttrSet) string {
	if s == nil {
		return "none"
	}
	return s.Name
}

// attr compares an attribute's type, range and length.
func (c *checker) attr(where, path string, a *family.Attr, ap *genl.AttrPolicy) {
	if !typeMatches(a.Type, ap.Type) {
		c.report("~ %s: %s is %s in the spec, %s in the kernel", where, path, a.Type, ap.Type)
		return
	}
	if a.Type.IsScalar() {
		c.scalarRange(where, path, a, ap)
	}
	c.length(where, path, "min-len", a.Checks.MinLen, ap.MinLength)
	c.length(where, path, "max-len", a.Checks.MaxLen, ap.MaxLength)
}

// typeMatches says whether a kernel policy type fits a spec type.
func typeMatches(t family.AttrType, pt genl.PolicyType) bool {
	switch t {
	case family.TypeString:
		return pt == genl.PolicyString || pt == genl.PolicyNulString
	case family.TypeBinary, family.TypeSubMessage:
		return pt == genl.PolicyBinary || pt == genl.PolicyNested
	case family.TypeNest, family.TypeNestTypeValue:
		return pt == genl.PolicyNested || pt == genl.PolicyNestedArray
	case family.TypeIndexedArray:
		return pt == genl.PolicyNestedArray || pt == genl.PolicyNested
	case family.TypeUnused, family.TypePad:
		return false
	}
	return string(t) == pt.String()
}

// scalarRange compares the kernel's value bounds with the spec's checks,
// or with the type's full range when the spec has none.
func (c *checker) scalarRange(where, path string, a *family.Attr, ap *genl.AttrPolicy) {
	kmin, kmax, ok := kernelRange(ap)
	if !ok {
		return
	}
	smin, smax := typeRange(a.Type)
	if a.Enum != nil && a.Enum.Kind == family.DefEnum && !a.EnumAsFlags && len(a.Enum.Entries) > 0 {
		smin, smax = enumRange(a.Enum)
	}
	if a.Checks.Min != nil {
		smin = limitText(a.Checks.Min)
	}
	if a.Checks.Max != nil {
		smax = limitText(a.Checks.Max)
	}
	if kmin != smin || kmax != smax {
		c.report("~ %s: %s range is [%s, %s] in the spec, [%s, %s] in the kernel", where, path, smin, smax, kmin, kmax)
	}
}

// enumRange is the span of an enum's values, which generated kernel
// policies enforce.
func enumRange(d *family.Definition) (lo, hi string) {
	mn, mx := d.Entries[0].Value, d.Entries[0].Value
	for _, e := range d.Entries {
		mn, mx = min(mn, e.Value), max(mx, e.Value)
	}
	return strconv.FormatUint(mn, 10), strconv.FormatUint(mx, 10)
}

func kernelRange(ap *genl.AttrPolicy) (lo, hi string, ok bool) {
	switch {
	case ap.MinUValue != nil && ap.MaxUValue != nil:
		return strconv.FormatUint(*ap.MinUValue, 10), strconv.FormatUint(*ap.MaxUValue, 10), true
	case ap.MinValue != nil && ap.MaxValue != nil:
		return strconv.FormatInt(*ap.MinValue, 10), strconv.FormatInt(*ap.MaxValue, 10), true
	}
	return "", "", false
}

// typeRange is the full range of a scalar type, as text.
func typeRange(t family.AttrType) (lo, hi string) {
	bits := t.Width() * 8
	if t == family.TypeUint || t == family.TypeSint {
		bits = 64
	}
	if t.IsSigned() {
		return strconv.FormatInt(-1<<(bits-1), 10), strconv.FormatInt(1<<(bits-1)-1, 10)
	}
	return "0", strconv.FormatUint(math.MaxUint64>>(64-bits), 10)
}

func limitText(l *family.Limit) string {
	if l.Neg {
		return "-" + strconv.FormatUint(l.Abs, 10)
	}
	return strconv.FormatUint(l.Abs, 10)
}

// length compares one length bound; a bound only one side has counts.
func (c *checker) length(where, path, what string, spec *family.Limit, kernel *uint32) {
	switch {
	case spec == nil && kernel == nil:
	case spec == nil:
		c.report("+ %s: %s has %s %d in the kernel, none in the spec", where, path, what, *kernel)
	case kernel == nil:
		c.report("- %s: %s has %s %s in the spec, none in the kernel", where, path, what, limitText(spec))
	case spec.Uint64() != uint64(*kernel):
		c.report("~ %s: %s has %s %s in the spec, %d in the kernel", where, path, what, limitText(spec), *kernel)
	}
}

// Kernel resolves f's family on conn, dumps its policy and diffs them. A
// family none of whose ops has a policy (binder) answers the policy dump
// with ENODATA: that is an empty policy, not an error.
func Kernel(ctx context.Context, conn *genl.Conn, f *family.Family) (*genl.Family, []string, error) {
	kf, err := conn.Family(ctx, f.Name)
	if err != nil {
		return nil, nil, err
	}
	fp, err := conn.Policy(ctx, f.Name)
	if errors.Is(err, syscall.ENODATA) {
		fp, err = &genl.FamilyPolicy{Family: f.Name, ID: kf.ID}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return kf, Diff(f, kf, fp), nil
}
