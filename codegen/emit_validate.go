package codegen

import (
	"fmt"
	"math/big"
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// emitValidate writes zvalidate.go: a Validate method per attribute-set
// struct enforcing the spec's checks (min, max, lengths, flag masks) so a
// bad request fails before it is sent, naming the attribute path.
func (g *gen) emitValidate(f *GeneratedFile) {
	need := g.needValidate()
	for _, gm := range g.subList {
		g.emitSubMsgValidate(f, gm)
		g.emitSubMsgSelectorCheck(f, gm)
	}
	for _, gs := range g.setList {
		f.P("// Validate checks m against the checks of the ", gs.s.Name, " attribute set")
		f.P("// and of the sets it nests. The error is a *genl.ValidationError")
		f.P("// naming the attribute path.")
		f.P("func (m *", gs.Name, ") Validate() error {")
		if need[gs] {
			f.P("if m == nil {")
			f.P("return nil")
			f.P("}")
			if h := gs.Header; h != nil && g.structFits(h.d) {
				// The fixed header is put as is; a member too large for
				// its width would be cut.
				f.P("if msg := m.", gs.HeaderField, ".fit(); msg != \"\" {")
				f.P("return ", genlQ(f, "Invalid"), "(", strconv.Quote(h.d.Name), ", msg)")
				f.P("}")
			}
			for _, fl := range gs.Fields {
				for _, l := range g.validateField(f, fl, need) {
					f.P(l)
				}
				if fl.el.kind == ekSubMsg && fl.shape == shSingle {
					for _, l := range g.subMsgSelectorCheck(f, gs, fl) {
						f.P(l)
					}
				}
			}
		}
		f.P("return nil")
		f.P("}")
		f.P()
	}
}

// needValidate returns the sets whose Validate has something to check,
// directly or through a nested set.
func (g *gen) needValidate() map[*goSet]bool {
	need := map[*goSet]bool{}
	for changed := true; changed; {
		changed = false
		for _, gs := range g.setList {
			if need[gs] {
				continue
			}
			if gs.Header != nil && g.structFits(gs.Header.d) {
				need[gs], changed = true, true
				continue
			}
			for _, fl := range gs.Fields {
				if len(g.fieldChecks(nil, fl, "x")) > 0 || fl.el.kind == ekNest && need[fl.el.set] || fl.el.kind == ekSubMsg {
					need[gs], changed = true, true
					break
				}
			}
		}
	}
	return need
}

// check is one condition that makes a value invalid, and what to say: msg
// is a constant message, or with expr set a Go string expression.
type check struct {
	bad, msg string
	expr     bool
}

// fieldChecks returns the checks on one element x of a field. f may be nil
// when only the number of checks matters.
func (g *gen) fieldChecks(f *GeneratedFile, fl *goField, x string) []check {
	c := fl.a.Checks
	var out []check
	switch fl.el.kind {
	case ekScalar:
		if hi := fl.el.overflow(); hi != "" {
			// First, so the checks below never see a truncated value.
			out = append(out, check{x + " > " + hi, fmt.Sprintf("notFit(uint64(%s), %q)", x, fl.el.t), true})
		}
		if fl.shape == shBinArray {
			break
		}
		bt := baseType(fl.el.t)
		v := x
		if fl.el.enum != nil {
			v = bt + "(" + x + ")"
		}
		lo, hi := typeRange(bt)
		if c.Min != nil && limitInt(c.Min).Cmp(lo) > 0 && limitInt(c.Min).Cmp(hi) <= 0 {
			out = append(out, check{v + " < " + limitLit(c.Min), "less than " + limitText(c.Min), false})
		}
		if c.Max != nil && limitInt(c.Max).Cmp(hi) < 0 && limitInt(c.Max).Cmp(lo) >= 0 {
			out = append(out, check{v + " > " + limitLit(c.Max), "greater than " + limitText(c.Max), false})
		}
		if m := c.FlagsMask; m != nil && bt[0] == 'u' {
			var mask uint64
			for _, e := range m.Entries {
				mask |= e.Value
			}
			// Flags wider than the field (used whole by a wider
			// attribute) are cut to what the field can hold.
			mask &= hi.Uint64()
			out = append(out, check{fmt.Sprintf("%s&^%#x != 0", v, mask), "has bits outside the " + m.Name + " flags", false})
		}
	case ekString, ekBytes, ekMAC:
		unit := "bytes"
		if c.MinLen != nil && c.MinLen.Uint64() > 0 {
			out = append(out, check{"len(" + x + ") < " + limitLit(c.MinLen), "shorter than " + limitText(c.MinLen) + " " + unit, false})
		}
		if c.MaxLen != nil {
			out = append(out, check{"len(" + x + ") > " + limitLit(c.MaxLen), "longer than " + limitText(c.MaxLen) + " " + unit, false})
		}
		if c.ExactLen != nil && fl.el.kind != ekString {
			out = append(out, check{"len(" + x + ") != " + limitLit(c.ExactLen), "not " + limitText(c.ExactLen) + " " + unit + " long", false})
		}
	case ekStruct:
		out = append(out, g.fitCheck(fl, x)...)
	case ekAddr:
		switch fl.el.addrLen {
		case 4:
			out = append(out, check{"!" + x + ".Unmap().Is4()", "not an IPv4 address", false})
		case 16:
			out = append(out, check{x + ".Is4()", "not an IPv6 address", false})
		}
	}
	return out
}

// validateField returns the statements validating one field.
func (g *gen) validateField(f *GeneratedFile, fl *goField, need map[*goSet]bool) []string {
	v, name := "m."+fl.Name, strconv.Quote(fl.a.Name)
	if fl.el.kind == ekSubMsg && fl.shape == shSingle {
		return []string{"if err := " + v + ".Validate(); err != nil {",
			"return " + genlQ(f, "InvalidIn") + "(err, " + name + ")", "}"}
	}
	if fl.el.kind == ekNest {
		if !need[fl.el.set] {
			return nil
		}
		ret := "return " + genlQ(f, "InvalidIn") + "(err, " + name + ")"
		body := []string{"if err := x.Validate(); err != nil {", ret, "}"}
		switch fl.shape {
		case shSingle:
			return []string{"if x := " + v + "; x != nil {", body[0], body[1], body[2], "}"}
		case shMulti, shIndexed:
			// The element joins the path: its position in a multi-attr
			// (.inners.1.percent), its wire index in an indexed array.
			pos := "i"
			if fl.shape == shIndexed {
				pos = "i+1"
			}
			idx := genlQ(f, "InvalidIn") + "(" + genlQ(f, "InvalidIn") + "(err, " + f.Q(GoIdent{"strconv", "Itoa"}) + "(" + pos + ")), " + name + ")"
			return []string{"for i := range " + v + " {", "if err := " + v + "[i].Validate(); err != nil {", "return " + idx, "}", "}"}
		}
		return nil // nest-type-value values are not validated
	}
	checks := g.fieldChecks(f, fl, "x")
	if len(checks) == 0 {
		return nil
	}
	var out []string
	switch {
	case fl.shape == shMulti || fl.shape == shIndexed || fl.shape == shBinArray:
		out = append(out, "for _, x := range "+v+" {")
	case fl.el.kind == ekAddr:
		out = append(out, "if x := "+v+"; x.IsValid() {")
	case fl.el.kind == ekBytes || fl.el.kind == ekMAC || fl.el.kind == ekStruct:
		out = append(out, "if x := "+v+"; x != nil {")
	default:
		out = append(out, "if x, ok := "+v+".Get(); ok {")
	}
	for _, c := range checks {
		msg := c.msg
		if !c.expr {
			msg = strconv.Quote(msg)
		}
		out = append(out, "if "+c.bad+" {",
			"return "+genlQ(f, "Invalid")+"("+name+", "+msg+")",
			"}")
	}
	return append(out, "}")
}

// typeRange returns the bounds of a Go integer type.
func typeRange(t string) (lo, hi *big.Int) {
	bits, _ := strconv.Atoi(t[len(t)-2:])
	if t[len(t)-1] == '8' {
		bits = 8
	}
	one := big.NewInt(1)
	if t[0] == 'u' {
		return big.NewInt(0), new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits)), one)
	}
	hi = new(big.Int).Sub(new(big.Int).Lsh(one, uint(bits-1)), one)
	return new(big.Int).Neg(new(big.Int).Add(hi, one)), hi
}

func limitInt(l *family.Limit) *big.Int {
	v := new(big.Int).SetUint64(l.Abs)
	if l.Neg {
		v.Neg(v)
	}
	return v
}

// limitLit is a limit as a Go integer literal.
func limitLit(l *family.Limit) string { return limitInt(l).String() }

// limitText is a limit for messages: its value, and its symbol if any.
func limitText(l *family.Limit) string {
	if l.Name != "" && l.Name != limitLit(l) {
		return limitLit(l) + " (" + l.Name + ")"
	}
	return limitLit(l)
}

// emitSubMsgValidate writes Validate for a sub-message type: the checks of
// the format that is set.
func (g *gen) emitSubMsgValidate(f *GeneratedFile, gm *goSubMsg) {
	f.P("// Validate checks the payload of the format that is set. A nil s is valid.")
	f.P("func (s *", gm.Name, ") Validate() error {")
	f.P("if s == nil {")
	f.P("return nil")
	f.P("}")
	for _, sf := range gm.Fields {
		if sf.set == nil {
			continue
		}
		f.P("if err := s.", sf.Name, ".Validate(); err != nil {")
		f.P("return ", genlQ(f, "InvalidIn"), "(err, ", strconv.Quote(sf.f.Value), ")")
		f.P("}")
	}
	f.P("return nil")
	f.P("}")
	f.P()
}
