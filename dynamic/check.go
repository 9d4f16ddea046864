package dynamic

import (
	"github.com/ynlgo/ynl/family"
)

// Check enforces the spec's checks on a request object v of set, after
// Encode or EncodeMessage accepted it: min and max of integers (within
// their type's range), min-len, max-len and exact-len of strings and
// binary data, and flags-mask of unsigned integers, recursing into nests
// and into the sub-message format each selector picks. The rules are those of the generated Validate methods, so a request the
// generated client rejects is rejected here too, before it is sent. Keys in
// hdr, a fixed header (may be nil), are not attributes. The error is a
// *PathError with Op "check" naming the JSON path.
func Check(hdr *family.Definition, set *family.AttrSet, v map[string]any) error {
	var skip map[string]bool
	if hdr != nil {
		skip = memberNames(hdr)
	}
	c := &checker{}
	return c.attrs(set, v, nil, skip)
}

// checker keeps the objects being checked, outermost first, so a
// sub-message finds its selector as the encoder does.
type checker struct {
	enc encoder
}

func (c *checker) attrs(set *family.AttrSet, v map[string]any, path *pathNode, skip map[string]bool) error {
	if set == nil {
		return nil
	}
	c.enc.stack = append(c.enc.stack, v)
	defer func() { c.enc.stack = c.enc.stack[:len(c.enc.stack)-1] }()
	for _, a := range set.Attributes {
		val, ok := v[a.Name]
		if !ok || skip[a.Name] {
			continue
		}
		p := join(path, a.Name)
		list, isList := val.([]any)
		if (a.MultiAttr || a.Type == family.TypeIndexedArray) && isList {
			for i, item := range list {
				if err := c.one(a, item, index(p, i)); err != nil {
					return err
				}
			}
			continue
		}
		if err := c.one(a, val, p); err != nil {
			return err
		}
	}
	return nil
}

// one checks a single value of attribute a (an element, for multi-attr
// and indexed-array attributes).
func (c *checker) one(a *family.Attr, val any, path *pathNode) error {
	t := a.Type
	if t == family.TypeIndexedArray {
		t = a.SubType
	}
	switch {
	case t == family.TypeNest:
		if obj, ok := object(val); ok {
			return c.attrs(a.Nested, obj, path, nil)
		}
	case t == family.TypeSubMessage:
		if obj, ok := object(val); ok {
			return c.subMessage(a, obj, path)
		}
	case t.IsScalar():
		return checkScalar(a, t, val, path)
	case t == family.TypeString:
		if s, ok := val.(string); ok {
			return checkLen(a.Checks, len(s), false, path)
		}
	case t == family.TypeBinary:
		if !plainBytes(a) {
			return nil
		}
		if s, ok := val.(string); ok {
			if p, err := parseBytes(a.DisplayHint, s); err == nil {
				return checkLen(a.Checks, len(p), true, path)
			}
		}
	}
	return nil
}

// subMessage checks the attributes of the format the selector picks.
func (c *checker) subMessage(a *family.Attr, obj map[string]any, path *pathNode) error {
	sel, ok := c.enc.selector(a.SelectorName)
	if !ok || a.SubMessage == nil {
		return nil // Encode reports it
	}
	f := a.SubMessage.Format(sel)
	if f == nil || f.AttrSet == nil {
		return nil
	}
	var skip map[string]bool
	if f.FixedHeader != nil {
		skip = memberNames(f.FixedHeader)
	}
	return c.attrs(f.AttrSet, obj, path, skip)
}

// plainBytes says whether a binary attribute is raw bytes (or a MAC
// address), the kinds whose lengths the generated code checks; structs,
// addresses, UUIDs and scalar arrays have their length fixed by their type.
func plainBytes(a *family.Attr) bool {
	if a.Struct != nil || a.SubType.IsScalar() {
		return false
	}
	switch a.DisplayHint {
	case "ipv4", "ipv6", "ipv4-or-v6", "uuid":
		return false
	}
	return true
}

// checkScalar checks min, max and flags-mask. A limit outside the type's
// range cannot be broken by a value the encoder accepted, and is ignored
// as the generated code ignores it.
func checkScalar(a *family.Attr, t family.AttrType, val any, path *pathNode) error {
	if t == family.TypeU32 && a.ByteOrder == family.BigEndian && a.DisplayHint == "ipv4" {
		return nil // an address, not a number
	}
	c := a.Checks
	if c.Min == nil && c.Max == nil && c.FlagsMask == nil {
		return nil
	}
	n, err := scalarNumber(a.Enum, a.EnumAsFlags, a.DisplayHint, val)
	if err != nil {
		return nil // Encode reports it
	}
	lo, hi := intRange(t.IsSigned(), typeBits(t))
	if l := c.Min; l != nil && cmpNum(limitNum(l), lo) > 0 && cmpNum(limitNum(l), hi) <= 0 && cmpNum(n, limitNum(l)) < 0 {
		return checkErr(path, "less than "+limitText(l))
	}
	if l := c.Max; l != nil && cmpNum(limitNum(l), hi) < 0 && cmpNum(limitNum(l), lo) >= 0 && cmpNum(n, limitNum(l)) > 0 {
		return checkErr(path, "greater than "+limitText(l))
	}
	if m := c.FlagsMask; m != nil && !t.IsSigned() {
		var mask uint64
		for _, e := range m.Entries {
			mask |= e.Value
		}
		if n.abs&^mask != 0 {
			return checkErr(path, "has bits outside the "+m.Name+" flags")
		}
	}
	return nil
}

// checkLen checks a string's or binary's length in bytes; exact-len
// applies to binary data only, as in the generated code.
func checkLen(c family.Checks, n int, binary bool, path *pathNode) error {
	switch {
	case c.MinLen != nil && c.MinLen.Uint64() > 0 && uint64(n) < c.MinLen.Uint64():
		return checkErr(path, "shorter than "+limitText(c.MinLen)+" bytes")
	case c.MaxLen != nil && uint64(n) > c.MaxLen.Uint64():
		return checkErr(path, "longer than "+limitText(c.MaxLen)+" bytes")
	case binary && c.ExactLen != nil && uint64(n) != c.ExactLen.Uint64():
		return checkErr(path, "not "+limitText(c.ExactLen)+" bytes long")
	}
	return nil
}

func checkErr(path *pathNode, msg string) error {
	return &PathError{Op: "check", Path: path.String(), Msg: msg}
}

// limitNum converts a spec limit to a number.
func limitNum(l *family.Limit) number { return number{neg: l.Neg && l.Abs != 0, abs: l.Abs} }

// cmpNum compares two numbers: -1, 0 or +1.
func cmpNum(x, y number) int {
	switch {
	case x.neg != y.neg:
		if x.neg {
			return -1
		}
		return 1
	case x.abs == y.abs:
		return 0
	case (x.abs < y.abs) != x.neg:
		return -1
	}
	return 1
}

// limitText is a limit for messages: its value, and its symbol if any
// ("15 (IFNAMSIZ-1)").
func limitText(l *family.Limit) string {
	v := limitNum(l).String()
	if l.Name != "" && l.Name != v {
		return v + " (" + l.Name + ")"
	}
	return v
}
