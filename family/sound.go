package family

import (
	"fmt"
	"math/big"
	"math/bits"
)

// This file holds the rules that make a spec the loader accepts mean what
// it says on the wire: a check must apply to its attribute's type and be
// able to hold, an enum must fit the integer that carries it, a selector
// must be a value, a notification must lead to a reply. Each rule reports
// at the key that breaks it.

// maxAttrPayload is the largest payload an attribute can carry: nla_len is
// 16 bits and counts the 4-byte header.
const maxAttrPayload = 0xffff - 4

// soundness runs the rules over the resolved model.
func (l *loader) soundness() {
	uses := map[*Definition][]enumUse{}
	use := func(d *Definition, asFlags bool, t AttrType, where string) {
		if d != nil && (d.Kind == DefEnum || d.Kind == DefFlags) {
			if _, hi := intRange(t); hi != nil {
				uses[d] = append(uses[d], enumUse{t, asFlags, where})
			}
		}
	}
	for _, s := range l.f.AttributeSets {
		for _, a := range s.Attributes {
			n, path := l.attrNodes[a], l.attrPaths[a]
			l.checksApply(a, n, path)
			l.selectorIsValue(a, n, path)
			if a.Type != TypeBinary || a.SubType != "" {
				use(a.Enum, a.EnumAsFlags, elemType(a), path)
			}
			use(a.Checks.FlagsMask, false, elemType(a), path+".checks")
		}
	}
	for _, d := range l.f.Definitions {
		for _, m := range d.Members {
			use(m.Enum, m.EnumAsFlags, AttrType(m.Type), "definitions["+d.Name+"].members["+m.Name+"]")
		}
	}
	for _, d := range l.f.Definitions {
		if len(uses[d]) > 0 {
			l.enumFits(d, uses[d])
		}
	}
	l.notifyChains()
}

// elemType is the type a check or an enum of a applies to: an indexed
// array's element type, else the attribute's own.
func elemType(a *Attr) AttrType {
	if a.Type == TypeIndexedArray {
		return a.SubType
	}
	return a.Type
}

// bits is the width in bits of an integer type (64 for uint and sint, 32
// for bitfield32), 0 for other types.
func (t AttrType) bits() int {
	switch {
	case t == TypeUint || t == TypeSint:
		return 64
	case t == TypeBitfield32:
		return 32
	case t.IsScalar():
		return 8 * t.Width()
	}
	return 0
}

// intRange is the range of an integer type: the 64-bit one for uint and
// sint, nil for types that are not integers.
func intRange(t AttrType) (lo, hi *big.Int) {
	bits := t.bits()
	if bits == 0 {
		return nil, nil
	}
	one := big.NewInt(1)
	if t.IsSigned() {
		hi = new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits-1)), one)
		return new(big.Int).Neg(new(big.Int).Add(hi, one)), hi
	}
	return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits)), one)
}

func (lim *Limit) big() *big.Int {
	v := new(big.Int).SetUint64(lim.Abs)
	if lim.Neg {
		v.Neg(v)
	}
	return v
}

// checksApply reports checks that cannot apply to the attribute's type
// (a length on an integer, a bound on a string) and bounds that cannot
// hold (past the type's range, or a length past what an attribute can
// carry).
func (l *loader) checksApply(a *Attr, n *node, path string) {
	cn := n.get("checks")
	if cn == nil || elemType(a) == "" {
		return
	}
	path += ".checks"
	c, t := &a.Checks, elemType(a)
	binArray := a.Type == TypeBinary && a.SubType != ""
	isInt := t.IsScalar()
	isLen := (t == TypeString || t == TypeBinary) && !binArray
	bounds := []struct {
		key string
		lim *Limit
	}{{"min", c.Min}, {"max", c.Max}}
	for _, b := range bounds {
		if b.lim == nil {
			continue
		}
		if !isInt {
			l.add(cn.get(b.key), path, "%s applies only to integer attributes, not %s", b.key, typeText(a))
			continue
		}
		if isAddrHint(a.DisplayHint) {
			// Generated code holds it as an address, which has no order.
			l.add(cn.get(b.key), path, "%s does not apply to an integer shown as an address (display-hint %s)", b.key, a.DisplayHint)
			continue
		}
		if lo, hi := intRange(t); b.lim.big().Cmp(lo) < 0 || b.lim.big().Cmp(hi) > 0 {
			l.add(cn.get(b.key), path, "%s %s does not fit %s (%s..%s)", b.key, limitText(b.lim), t, lo, hi)
		}
	}
	lens := []struct {
		key string
		lim *Limit
	}{{"min-len", c.MinLen}, {"max-len", c.MaxLen}, {"exact-len", c.ExactLen}}
	for _, b := range lens {
		if b.lim == nil {
			continue
		}
		switch {
		case !isLen:
			l.add(cn.get(b.key), path, "%s applies only to string and binary attributes, not %s", b.key, typeText(a))
		case b.lim.Neg:
			l.add(cn.get(b.key), path, "%s %s is negative (%d)", b.key, limitText(b.lim), b.lim.Int64())
		case b.lim.Abs > maxAttrPayload:
			l.add(cn.get(b.key), path, "%s %s is more than an attribute can carry (%d bytes: nla_len is 16 bits with the 4-byte header)", b.key, limitText(b.lim), maxAttrPayload)
		}
	}
	if c.MinLen != nil && c.MaxLen != nil && isLen && !c.MaxLen.Neg && c.MinLen.Abs > c.MaxLen.Abs {
		l.add(cn.get("min-len"), path, "min-len %s is greater than max-len %s", limitText(c.MinLen), limitText(c.MaxLen))
	}
	if a.Struct != nil && isLen {
		l.lensAdmit(cn, path, c, fmt.Sprintf("struct %q", a.Struct.Name), a.Struct.Size)
	}
	if t == TypeBinary && isLen {
		switch a.DisplayHint {
		case "ipv4":
			l.lensAdmit(cn, path, c, "an ipv4 address", 4)
		case "ipv6":
			l.lensAdmit(cn, path, c, "an ipv6 address", 16)
		case "ipv4-or-v6":
			l.lensAdmit(cn, path, c, "an ipv4 address", 4)
			l.lensAdmit(cn, path, c, "an ipv6 address", 16)
		}
	}
	if c.FlagsMask != nil && !(isInt && !t.IsSigned()) {
		l.add(cn.get("flags-mask"), path, "flags-mask applies only to unsigned integer attributes, not %s", typeText(a))
	}
	if c.UnterminatedOK && t != TypeString {
		l.add(cn.get("unterminated-ok"), path, "unterminated-ok applies only to string attributes, not %s", typeText(a))
	}
}

// lensAdmit reports a length check that a value of a fixed size (a struct,
// an address) can never meet, or that would reject every value.
func (l *loader) lensAdmit(cn *node, path string, c *Checks, what string, size int) {
	for _, b := range []struct {
		key  string
		lim  *Limit
		fail func(uint64) bool
	}{
		{"min-len", c.MinLen, func(v uint64) bool { return v > uint64(size) }},
		{"max-len", c.MaxLen, func(v uint64) bool { return v < uint64(size) }},
		{"exact-len", c.ExactLen, func(v uint64) bool { return v != uint64(size) }},
	} {
		if b.lim != nil && !b.lim.Neg && b.fail(b.lim.Abs) {
			l.add(cn.get(b.key), path, "%s %s cannot hold for %s (%d bytes), which the attribute carries", b.key, limitText(b.lim), what, size)
		}
	}
}

func isAddrHint(h string) bool { return h == "ipv4" || h == "ipv6" || h == "ipv4-or-v6" }

// typeText names an attribute's type for messages: "u32", "indexed-array
// of string", "binary array of u16".
func typeText(a *Attr) string {
	switch {
	case a.Type == TypeIndexedArray:
		return "indexed-array of " + string(a.SubType)
	case a.Type == TypeBinary && a.SubType != "":
		return "binary array of " + string(a.SubType)
	}
	return string(a.Type)
}

// enumUse is an integer that carries an enum or flags: an attribute, a
// struct member or a flags-mask check.
type enumUse struct {
	t       AttrType
	asFlags bool
	where   string
}

// holds reports whether the use can carry entry e of d. A negative enum
// value on a signed type must fit its range; any other value is a bit
// pattern that must fit the width; an enum used as flags is the bit
// 1 << value.
func (u enumUse) holds(d *Definition, e *EnumEntry) bool {
	lo, hi := intRange(u.t)
	umax := hi
	if u.t.IsSigned() {
		umax = new(big.Int).Sub(new(big.Int).Lsh(new(big.Int).Neg(lo), 1), big.NewInt(1))
	}
	v := new(big.Int).SetUint64(e.Value)
	switch {
	case d.Kind == DefEnum && u.asFlags:
		if e.Value >= 64 {
			return false
		}
		v.Lsh(big.NewInt(1), uint(e.Value))
	case d.Kind == DefEnum && u.t.IsSigned() && int64(e.Value) < 0:
		return v.SetInt64(int64(e.Value)).Cmp(lo) >= 0
	}
	return v.Cmp(umax) <= 0
}

// enumFits reports enum or flags entries that no integer carrying the
// definition can hold: a flag bit past the width of every attribute that
// uses the flags, an enum value past the range of every one. A use
// narrower than the widest is allowed: rtnetlink's ifaddrmsg carries the
// low 8 of the address flags whose 32-bit attribute carries them all.
func (l *loader) enumFits(d *Definition, uses []enumUse) {
	widest := uses[0]
	for _, u := range uses[1:] {
		if u.t.bits() > widest.t.bits() {
			widest = u
		}
	}
	path := "definitions[" + d.Name + "]"
	for _, e := range d.Entries {
		held := false
		for _, u := range uses {
			held = held || u.holds(d, e)
		}
		if held {
			continue
		}
		what := fmt.Sprintf("value %d", e.Value)
		switch {
		case d.Kind == DefFlags:
			what = fmt.Sprintf("bit %d", bits.Len64(e.Value)-1)
		case widest.asFlags:
			what = fmt.Sprintf("value %d, used as the flag 1<<%d", e.Value, e.Value)
		case widest.t.IsSigned() && int64(e.Value) < 0:
			what = fmt.Sprintf("value %d", int64(e.Value))
		}
		l.add(&node{pos: e.Pos}, path, "%s entry %q (%s) does not fit %s, the widest integer that carries %q (%s)", d.Kind, e.Name, what, widest.t, d.Name, widest.where)
	}
}

// selectorIsValue reports a sub-message selector that cannot select: the
// format is chosen by comparing the selector's value with the format
// values, so the selector must be an integer or a string, found in the
// same set or (at run time) in an enclosing message.
func (l *loader) selectorIsValue(a *Attr, n *node, path string) {
	if a.SelectorName == "" {
		return
	}
	if s := a.SelectorAttr; s != nil {
		if s.Type != "" && !isSelectorType(s.Type) {
			l.add(n.get("selector"), path, "selector %q is %s, not an integer or string attribute", a.SelectorName, typeText(s))
		}
		return
	}
	var kinds []string
	for _, s := range l.f.AttributeSets {
		if o := s.Attr(a.SelectorName); o != nil {
			if o.Type == "" || isSelectorType(o.Type) {
				return
			}
			kinds = append(kinds, typeText(o))
		}
	}
	if len(kinds) > 0 {
		l.add(n.get("selector"), path, "selector %q is %s in every set that has it, not an integer or string attribute", a.SelectorName, kinds[0])
	}
}

func isSelectorType(t AttrType) bool { return t.IsScalar() || t == TypeString }

// notifyChains reports notifications that never reach an op with replies:
// a notify naming itself, or a chain of notifies that loops.
func (l *loader) notifyChains() {
	for _, op := range l.f.Operations.List {
		seen := map[*Op]bool{op: true}
		for t := op.Notify; t != nil; t = t.Notify {
			if seen[t] {
				l.add(l.opNodes[op].get("notify"), "operations.list["+op.Name+"]", "notify %q forms a cycle: no operation in it has replies of its own", op.Notify.Name)
				break
			}
			seen[t] = true
		}
	}
}
