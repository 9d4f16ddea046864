// Package uapi compares the numbers of a family model with the kernel's
// UAPI headers, compiled by a C compiler: command ids (request and reply),
// attribute ids, enum values, flag bits, multicast group names, the family
// name and version, and the size, offsets, widths and byte order of every
// struct. Names are derived from the model the way the kernel's C
// generator (tools/net/ynl/pyynl/ynl_gen_c.py) derives them, so a value is
// looked up by the name the header gives it, never by position.
//
// It is the oracle of the test in this folder, which runs it over every
// prebuilt family; it has no other users.
package uapi

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// Value is one number (or string) of the model, under the C name the
// kernel's headers give it.
type Value struct {
	// Name is the C identifier, or for struct layout a key such as
	// "sizeof(struct ovs_key_arp)" or "offsetof(struct ovs_key_arp, arp_op)".
	Name string
	// Want is the model's value: a decimal integer, a quoted string, or
	// for byte order "big-endian", "little-endian" or "host".
	Want string
	// What says where in the model the value comes from.
	What string
	// Kind says how the C program prints it.
	Kind Kind
	// Struct and Member name the struct member a layout value is about.
	Struct, Member string
	// Alias is the header's name for the value where it departs from the
	// C generator's rule (a hand-written header); it is tried first.
	Alias string
	// Alt lists other names the header may give the value (a reply id's
	// name in a hand-written header); the first the header has is used.
	Alt []string
	// Group is the C prefix of the enum the name belongs to ("" when it is
	// alone, as a define is); header names with this prefix that the model
	// lacks are reported.
	Group string
}

// ID is the C name a value is about: Name, or for an attribute's type
// ("type(NFTA_TABLE_NAME)") the attribute's name.
func (v Value) ID() string {
	if v.Kind == AttrType {
		return strings.TrimSuffix(strings.TrimPrefix(v.Name, "type("), ")")
	}
	return v.Name
}

// Kind is how a Value is printed by the C program.
type Kind int

// The kinds of values.
const (
	Int        Kind = iota // an integer constant
	String                 // a string define
	SizeOf                 // sizeof(struct S)
	OffsetOf               // offsetof(struct S, m)
	MemberSz               // sizeof(((struct S *)0)->m)
	ByteOrder              // the member's declared type: __be*, __le* or host
	Signedness             // the member's declared type: signed or unsigned
	AttrType               // the NLA_* type the header's kernel-doc gives an attribute
)

func cUpper(s string) string { return strings.ReplaceAll(strings.ToUpper(s), "-", "_") }
func cLower(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }

// ident is the family's identifier name: its name with '_' for '-'.
func ident(f *family.Family) string { return strings.ReplaceAll(f.Name, "-", "_") }

// Header returns the family's UAPI header, as the C generator picks it.
func Header(f *family.Family) string {
	if f.UAPIHeader != "" {
		return f.UAPIHeader
	}
	return "linux/" + ident(f) + ".h"
}

// Values lists every number of f under its C name.
func Values(f *family.Family) []Value {
	var vs []Value
	vs = append(vs, familyValues(f)...)
	for _, d := range f.Definitions {
		vs = append(vs, definitionValues(f, d)...)
	}
	for _, s := range f.AttributeSets {
		vs = append(vs, attrSetValues(f, s)...)
	}
	vs = append(vs, opValues(f)...)
	for _, g := range f.MulticastGroups {
		name := g.CName
		if name == "" {
			name = ident(f) + "-mcgrp-" + g.Name
		}
		if f.Protocol == family.ProtocolNetlinkRaw {
			// a classic group is joined by its number
			vs = append(vs, Value{Name: cUpper(name), Want: strconv.Itoa(g.Value), What: "mcast group " + g.Name + " number"})
			continue
		}
		vs = append(vs, Value{Name: cUpper(name), Want: strconv.Quote(g.Name), Kind: String, What: "mcast group " + g.Name})
	}
	return vs
}

func familyValues(f *family.Family) []Value {
	fam := f.CFamilyName
	if fam == "" {
		fam = f.Name + "_FAMILY_NAME"
	}
	ver := f.CVersionName
	if ver == "" {
		ver = f.Name + "_FAMILY_VERSION"
	}
	return []Value{
		{Name: cUpper(fam), Want: strconv.Quote(f.Name), Kind: String, What: "family name"},
		{Name: cUpper(ver), Want: strconv.Itoa(f.Version), What: "family version"},
	}
}

func definitionValues(f *family.Family, d *family.Definition) []Value {
	if d.Scope != "" && d.Scope != "uapi" {
		return nil // not in the UAPI header (the C generator keeps it kernel-side)
	}
	what := fmt.Sprintf("definitions[%s]", d.Name)
	switch d.Kind {
	case family.DefConst:
		pfx := d.NamePrefix
		if pfx == "" {
			pfx = ident(f) + "-"
		}
		v := Value{Name: cUpper(pfx + d.Name), Want: strconv.FormatInt(d.Value, 10), What: what}
		if d.IsString {
			v.Want, v.Kind = strconv.Quote(d.StrValue), String
		}
		return []Value{v}
	case family.DefEnum, family.DefFlags:
		pfx := d.NamePrefix
		if pfx == "" {
			pfx = ident(f) + "-" + d.Name + "-"
		}
		var vs []Value
		for _, e := range d.Entries {
			want := strconv.FormatUint(e.Value, 10)
			w := fmt.Sprintf("%s entry %s", what, e.Name)
			if d.Kind == family.DefFlags {
				w = fmt.Sprintf("%s flag %s (bit %d)", what, e.Name, bits.TrailingZeros64(e.Value))
			}
			vs = append(vs, Value{Name: cUpper(pfx + e.Name), Want: want, What: w, Group: cUpper(pfx)})
		}
		return vs
	case family.DefStruct:
		return structValues(d, what)
	}
	return nil
}

func structValues(d *family.Definition, what string) []Value {
	s := "struct " + cLower(d.Name)
	vs := []Value{{Name: "sizeof(" + s + ")", Want: strconv.Itoa(d.Size), Kind: SizeOf, Struct: cLower(d.Name), What: what + " size"}}
	for _, m := range d.Members {
		mn := cLower(m.Name)
		w := fmt.Sprintf("%s member %s", what, m.Name)
		base := Value{Struct: cLower(d.Name), Member: mn}
		if m.Type == "pad" {
			base.Kind, base.Name, base.Want, base.What = OffsetOf, "offsetof("+s+", "+mn+")", strconv.Itoa(m.Offset), w+" (pad)"
			base.Group = "pad" // padding: it may be implicit in C
			vs = append(vs, base)
			continue
		}
		off, sz := base, base
		off.Kind, off.Name, off.Want, off.What = OffsetOf, "offsetof("+s+", "+mn+")", strconv.Itoa(m.Offset), w+" offset"
		sz.Kind, sz.Name, sz.Want, sz.What = MemberSz, "sizeof("+s+"."+mn+")", strconv.Itoa(m.Size), w+" size"
		vs = append(vs, off, sz)
		if m.Size > 1 && m.Type != "string" && m.Type != "binary" {
			bo := base
			order := string(m.ByteOrder)
			if order == "" {
				order = "host"
			}
			bo.Kind, bo.Name, bo.Want, bo.What = ByteOrder, "byteorder("+s+"."+mn+")", order, w+" byte order"
			vs = append(vs, bo)
		}
		if sign := signedness(m.Type); sign != "" {
			sg := base
			sg.Kind, sg.Name, sg.Want, sg.What = Signedness, "signedness("+s+"."+mn+")", sign, w+" signedness"
			vs = append(vs, sg)
		}
	}
	return vs
}

func attrSetValues(f *family.Family, s *family.AttrSet) []Value {
	if s.SubsetOf != nil {
		return nil // shares its parent's ids; not rendered
	}
	pfx := s.NamePrefix
	switch {
	case pfx != "":
	case s.Name == f.Name:
		pfx = ident(f) + "-a-"
	default:
		pfx = ident(f) + "-a-" + s.Name + "-"
	}
	var vs []Value
	for _, a := range s.Attributes {
		name := pfx + a.Name
		if a.NamePrefix != "" {
			name = a.NamePrefix + a.Name
		}
		what := fmt.Sprintf("attribute-sets[%s] attribute %s", s.Name, a.Name)
		vs = append(vs, Value{Name: cUpper(name), Want: strconv.Itoa(a.Value), What: what, Group: cUpper(pfx)})
		if t := nlaType(a); t != "" {
			vs = append(vs, Value{Name: "type(" + cUpper(name) + ")", Want: t, What: what + " type", Kind: AttrType})
		}
	}
	return vs
}

// opValues names the command ids. In the unified model an op has one id.
// In the directional one a request id is the op's C name and a reply id
// is NAME_REPLY in the headers the C generator writes (ethtool); the
// hand-written headers of nl80211, devlink and nlctrl give replies the
// name of the command the kernel answers with (GET_WIPHY is answered by
// NEW_WIPHY), so that name is tried as an alternative.
func opValues(f *family.Family) []Value {
	ops := f.Operations
	pfx := ops.NamePrefix
	if pfx == "" {
		pfx = f.Name + "-cmd-"
	}
	async := ops.AsyncPrefix
	if async == "" {
		async = pfx
	}
	var vs []Value
	for _, op := range ops.List {
		p := pfx
		if op.IsNotification() {
			p = async
		}
		name := cUpper(p + op.Name)
		what := fmt.Sprintf("operations[%s]", op.Name)
		if !ops.Directional() {
			vs = append(vs, Value{Name: name, Want: strconv.Itoa(op.Value), What: what + " id", Group: cUpper(p)})
			continue
		}
		if op.IsNotification() {
			vs = append(vs, Value{Name: name, Want: strconv.Itoa(op.ReplyValue), What: what + " notification id", Group: cUpper(p)})
			continue
		}
		if op.RequestValue != 0 {
			vs = append(vs, Value{Name: name, Want: strconv.Itoa(op.RequestValue), What: what + " request id", Group: cUpper(p)})
		}
		if op.ReplyValue != 0 {
			alt := replyAlternatives(name + "_REPLY")
			if op.ReplyValue == op.RequestValue {
				alt = append([]string{name}, alt...)
			}
			vs = append(vs, Value{Name: name + "_REPLY", Alt: alt, Want: strconv.Itoa(op.ReplyValue), What: what + " reply id", Group: cUpper(p)})
		}
	}
	return vs
}

// replyAlternatives returns the other names a reply id may have in a
// hand-written header: GET_X and GETX answered by NEW_X and NEWX.
func replyAlternatives(name string) []string {
	base, ok := strings.CutSuffix(name, "_REPLY")
	if !ok {
		return nil
	}
	var out []string
	for _, get := range []string{"_GET_", "_GET"} {
		if i := strings.LastIndex(base, get); i >= 0 {
			out = append(out, base[:i]+strings.Replace(base[i:], get, strings.Replace(get, "GET", "NEW", 1), 1))
		}
	}
	return out
}
