package uapi

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// Result is the comparison of one family with its headers.
type Result struct {
	Headers []string
	// Compared holds every value the header has, with the header's value.
	Compared []Compared
	// Missing are the model's names the header lacks.
	Missing []Value
	// Extra are the header's names, in an enum or struct the model
	// covers, that the model lacks: "NAME = value", or "struct S.m".
	Extra []string
	// UsedAlias holds the aliases the comparison used.
	UsedAlias map[string]bool
}

// Compared is one value looked up in the header.
type Compared struct {
	Value
	CName string // the name found (Name, or one of Alt)
	Got   string
}

// Equal reports whether the header agrees. A negative header value
// equals its 32-bit two's complement: C gives 1 << 31 and -1 (RXH_DISCARD,
// SPEED_UNKNOWN) as int, where the wire's u32 carries 0x80000000 and
// 0xffffffff.
func (c Compared) Equal() bool {
	if c.Got == c.Value.Want {
		return true
	}
	if c.Kind == AttrType {
		return c.Want == "NLA_STRING" && c.Got == "NLA_NUL_STRING"
	}
	got, err1 := strconv.ParseInt(c.Got, 10, 64)
	want, err2 := strconv.ParseInt(c.Value.Want, 10, 64)
	return err1 == nil && err2 == nil && got < 0 && got >= -1<<31 && want == int64(uint32(got))
}

// Differences returns the compared values the header disagrees with.
func (r *Result) Differences() []Compared {
	var out []Compared
	for _, c := range r.Compared {
		if !c.Equal() {
			out = append(out, c)
		}
	}
	return out
}

// Oracle compiles C against a kernel source tree's UAPI headers.
type Oracle struct {
	// Kernel is the folder holding include/uapi and arch/x86/include/uapi.
	Kernel string
	// CC is the C compiler ("gcc" when empty).
	CC string
	// Dir is a scratch folder.
	Dir string
	// Headers are included besides those the model names: the headers
	// of a classic netlink family's structs, which its spec does not
	// always name.
	Headers []string
	// Classic marks a classic netlink (netlink-raw) family: its spec may
	// name no header of its own, and its hand-written headers prefix
	// struct members with the struct's abbreviation (ndm_family).
	Classic bool
	// LayoutsOnly limits the comparison to the structs: their sizes,
	// member offsets, widths and byte order.
	LayoutsOnly bool
}

func (o *Oracle) includes() ([]string, error) {
	// The arch headers that Kbuild generates as wrappers of asm-generic
	// (asm/types.h, asm/errno.h, ...) are not in the source tree: a
	// folder whose asm is asm-generic stands in for them, searched last.
	gen := filepath.Join(o.Dir, "asm-generic-wrappers")
	if err := os.MkdirAll(gen, 0o755); err != nil {
		return nil, err
	}
	link := filepath.Join(gen, "asm")
	if _, err := os.Lstat(link); err != nil {
		if err := os.Symlink(filepath.Join(o.Kernel, "include", "uapi", "asm-generic"), link); err != nil {
			return nil, err
		}
	}
	// headers_install strips <linux/compiler.h> and the sparse
	// annotations from what it installs; in the source tree some UAPI
	// headers still include it (if.h) and use them (byteorder).
	stub := filepath.Join(gen, "linux", "compiler.h")
	if err := os.MkdirAll(filepath.Dir(stub), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(stub, []byte("#define __user\n#define __force\n#define __iomem\n"), 0o644); err != nil {
		return nil, err
	}
	return []string{
		"-D__EXPORTED_HEADERS__",
		"-I", filepath.Join(o.Kernel, "include", "uapi"),
		"-I", filepath.Join(o.Kernel, "arch", "x86", "include", "uapi"),
		"-I", gen,
	}, nil
}

// headers returns the family's UAPI header and those its definitions and
// attribute sets name, where the UAPI tree has them.
func (o *Oracle) headers(f *family.Family) []string {
	var hs []string
	seen := map[string]bool{}
	add := func(h string) {
		if h == "" || seen[h] {
			return
		}
		seen[h] = true
		for _, d := range []string{"include/uapi", "arch/x86/include/uapi"} {
			if _, err := os.Stat(filepath.Join(o.Kernel, d, h)); err == nil {
				hs = append(hs, h)
				return
			}
		}
	}
	if h := Header(f); o.Classic {
		add(h) // a classic family's spec may name no header of its own
	} else {
		hs, seen[h] = append(hs, h), true
	}
	for _, d := range f.Definitions {
		add(d.Header)
	}
	for _, s := range f.AttributeSets {
		add(s.Header)
	}
	for _, h := range o.Headers {
		add(h)
	}
	return hs
}

func (o *Oracle) cc() string {
	if o.CC != "" {
		return o.CC
	}
	return "gcc"
}

func (o *Oracle) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

// Compare compares f with its headers. alias maps names of ours to the
// header's name for them, where a hand-written header departs from the C
// generator's naming.
func (o *Oracle) Compare(f *family.Family, alias map[string]string) (*Result, error) {
	inc, err := o.includes()
	if err != nil {
		return nil, err
	}
	base := filepath.Join(o.Dir, strings.ReplaceAll(f.Name, "-", "_"))
	r := &Result{Headers: o.headers(f)}
	var pre strings.Builder
	pre.WriteString("#include <stdio.h>\n#include <stddef.h>\n")
	for _, h := range r.Headers {
		fmt.Fprintf(&pre, "#include <%s>\n", h)
	}
	if err := os.WriteFile(base+".h.c", []byte(pre.String()), 0o644); err != nil {
		return nil, err
	}
	text, err := o.run(o.cc(), append(append([]string{"-E", "-dD"}, inc...), base+".h.c")...)
	if err != nil {
		return nil, err
	}
	names := ParseHeader(string(text))
	docs, err := o.docTypes(r.Headers)
	if err != nil {
		return nil, err
	}

	vals := Values(f)
	if o.LayoutsOnly {
		vals = slices.DeleteFunc(vals, func(v Value) bool { return v.Struct == "" })
	}
	r.UsedAlias = map[string]bool{}
	for i := range vals {
		v := &vals[i]
		if v.Struct == "" {
			if a, key, ok := lookupAlias(alias, v.ID()); ok {
				v.Alias = a
				r.UsedAlias[key] = true
				v.Group = aliasGroup(v.Group, key, alias[key])
			}
			for j, alt := range v.Alt {
				if a, key, ok := lookupAlias(alias, alt); ok {
					v.Alt[j] = a
					r.UsedAlias[key] = true
				}
			}
			continue
		}
		if to, ok := alias[v.Struct+".*"]; ok {
			r.UsedAlias[v.Struct+".*"] = true
			to = strings.TrimSuffix(to, ".*")
			v.Name = strings.Replace(v.Name, "struct "+v.Struct, "struct "+to, 1)
			v.Struct = to
		}
		key := v.Struct + "." + v.Member
		m, ok := alias[key]
		if ok {
			r.UsedAlias[key] = true
		} else if o.Classic {
			m, ok = prefixedMember(names, v.Struct, v.Member)
		}
		if ok && v.Member != "" {
			v.Name = strings.Replace(strings.Replace(v.Name, ", "+v.Member+")", ", "+m+")", 1), "."+v.Member+")", "."+m+")", 1)
			v.Member = m
		}
	}
	var prog strings.Builder
	prog.WriteString(pre.String())
	prog.WriteString("int main(void)\n{\n")
	var present []Compared
	ours := map[string]bool{}
	for _, v := range vals {
		c, ok := resolve(names, docs, v)
		if !ok && v.Kind == AttrType {
			continue // the header's kernel-doc does not give the attribute's type
		}
		if !ok {
			r.Missing = append(r.Missing, v)
			continue
		}
		ours[c.CName] = true
		if v.Struct != "" {
			first, _, _ := strings.Cut(v.Member, ".") // a path marks the member holding it
			ours["struct "+v.Struct+"."+first] = true
		}
		i := len(present)
		switch v.Kind {
		case Int:
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%lld\\n\", (long long)(%s));\n", i, c.CName)
		case AttrType:
			c.Got = docs[strings.TrimSuffix(strings.TrimPrefix(c.CName, "type("), ")")]
		case String:
			if !names.IsString(c.CName) {
				fmt.Fprintf(&prog, "\tprintf(\"%d=%%lld\\n\", (long long)(%s));\n", i, c.CName)
			} else {
				fmt.Fprintf(&prog, "\tprintf(\"%d=\\\"%%s\\\"\\n\", %s);\n", i, c.CName)
			}
		case SizeOf:
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%zu\\n\", sizeof(struct %s));\n", i, v.Struct)
		case OffsetOf:
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%zu\\n\", offsetof(struct %s, %s));\n", i, v.Struct, v.Member)
		case MemberSz:
			if m, _ := names.Member(v.Struct, v.Member); m.Flexible {
				c.Got = "0" // a flexible array has no size of its own
				break
			}
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%zu\\n\", sizeof(((struct %s *)0)->%s));\n", i, v.Struct, v.Member)
		case ByteOrder:
			m, _ := names.Member(v.Struct, v.Member)
			c.Got = byteOrder(m.Type)
		case Signedness:
			m, _ := names.Member(v.Struct, v.Member)
			if c.Got = cSignedness(m.Type); c.Got == "" {
				continue // an enum or other type whose sign the header leaves to the compiler
			}
		}
		present = append(present, c)
	}
	// Implicit padding: the offsets and sizes of every member of the
	// structs the model has, to check a pad member the header leaves
	// unnamed covers no member.
	layout := map[string]int{}
	for _, s := range sortedStructs(vals) {
		for _, m := range names.Structs[s] {
			k := len(present) + len(layout)
			layout[s+"."+m.Name] = k
			if m.Flexible {
				fmt.Fprintf(&prog, "\tprintf(\"%d=%%zu,0\\n\", offsetof(struct %s, %s));\n", k, s, m.Name)
				continue
			}
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%zu,%%zu\\n\", offsetof(struct %s, %s), sizeof(((struct %s *)0)->%s));\n", k, s, m.Name, s, m.Name)
		}
	}
	extras := extraNames(vals, names, ours, maxNames(f))
	extraAt := len(present) + len(layout)
	for i, x := range extras {
		if !strings.HasPrefix(x, "struct ") {
			fmt.Fprintf(&prog, "\tprintf(\"%d=%%lld\\n\", (long long)(%s));\n", extraAt+i, x)
		}
	}
	prog.WriteString("\treturn 0;\n}\n")
	if err := os.WriteFile(base+".c", []byte(prog.String()), 0o644); err != nil {
		return nil, err
	}
	if _, err := o.run(o.cc(), append(append([]string{"-O0", "-w", "-o", base}, inc...), base+".c")...); err != nil {
		return nil, err
	}
	out, err := o.run(base)
	if err != nil {
		return nil, err
	}
	got := map[int]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		i, _ := strconv.Atoi(k)
		got[i] = v
	}
	for i := range present {
		if k := present[i].Kind; k != ByteOrder && k != Signedness && k != AttrType && present[i].Got == "" {
			present[i].Got = got[i]
		}
	}
	r.Compared = present
	r.checkPads(vals, names, layout, got)
	for i, x := range extras {
		v, ok := got[extraAt+i]
		switch {
		case !ok:
			r.Extra = append(r.Extra, x)
		case strings.HasSuffix(x, "_UNSPEC") && v == "0":
			// id 0, which hand-written headers name and no message carries
		default:
			r.Extra = append(r.Extra, x+" = "+v)
		}
	}
	return r, nil
}

// prefixedMember finds the header's name for member m of struct s where
// a hand-written header prefixes its members with the struct's
// abbreviation (ndm_family for family, rtgen_family) or spells them in
// capitals (DP, Wlog): the one member named m but for case, or ending in
// "_"+m.
func prefixedMember(n *Names, s, m string) (string, bool) {
	if _, ok := n.Member(s, m); ok || m == "" {
		return "", false
	}
	found := ""
	for _, x := range n.Structs[s] {
		if strings.EqualFold(x.Name, m) || strings.HasSuffix(strings.ToLower(x.Name), "_"+m) {
			if found != "" {
				return "", false // ambiguous
			}
			found = x.Name
		}
	}
	return found, found != ""
}

// isPad reports whether a header's member is named as padding.
func isPad(name string) bool { return strings.Contains(strings.ToLower(name), "pad") }

// lookupAlias finds name in alias, whose keys may hold one '*' (a
// prefix or suffix rule: "NL80211_COMMANDS_*" -> "NL80211_CMD_*"); it
// returns the header's name and the key used.
func lookupAlias(alias map[string]string, name string) (string, string, bool) {
	if a, ok := alias[name]; ok {
		return a, name, true
	}
	best, key := "", ""
	for from, to := range alias { // the longest matching rule wins
		pre, suf, ok := strings.Cut(from, "*")
		if !ok || !strings.HasPrefix(name, pre) || !strings.HasSuffix(name, suf) || len(name) < len(pre)+len(suf) || len(from) <= len(key) {
			continue
		}
		mid := name[len(pre) : len(name)-len(suf)]
		best, key = strings.Replace(to, "*", mid, 1), from
	}
	return best, key, key != ""
}

// aliasGroup renames the enum prefix group by a prefix rule from -> to
// ("CONNTRACK_A_TUPLE_ATTRS_*" -> "CTA_*"), so that the header's names
// in the enum the rule points to that the model lacks are reported.
func aliasGroup(group, from, to string) string {
	pre, suf, ok := strings.Cut(from, "*")
	if !ok || suf != "" || !strings.HasPrefix(group, pre) || isExpr(to) {
		return group
	}
	tpre, _, _ := strings.Cut(to, "*")
	return tpre + group[len(pre):]
}

// resolve finds v's name in the header: docs holds the kernel-doc types
// of attributes. An alias may be a C expression over the header's names
// ("NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWTABLE", a netfilter message
// type).
func resolve(n *Names, docs map[string]string, v Value) (Compared, bool) {
	c := Compared{Value: v, CName: v.Name}
	if v.Kind == AttrType {
		id := v.ID()
		if v.Alias != "" {
			id = v.Alias
		}
		c.CName = "type(" + id + ")"
		_, ok := docs[id]
		return c, ok
	}

	if v.Struct != "" && v.Alias == "" {
		if _, ok := n.Structs[v.Struct]; !ok {
			return c, false
		}
		if v.Kind == SizeOf {
			return c, true
		}
		_, ok := n.Member(v.Struct, v.Member)
		return c, ok
	}
	first := v.Name
	if v.Alias != "" {
		first = v.Alias
	}
	for _, name := range append([]string{first}, v.Alt...) {
		if has(n, name) {
			c.CName = name
			return c, true
		}
	}
	return c, false
}

// has reports whether the header has name, or every name in an
// expression.
func has(n *Names, name string) bool {
	if !isExpr(name) {
		return n.Has(name)
	}
	for _, id := range reIdent.FindAllString(name, -1) {
		if !n.Has(id) {
			return false
		}
	}
	return true
}

// isExpr reports whether an alias is a C expression rather than a name.
func isExpr(alias string) bool {
	return alias != "" && reIdent.FindString(alias) != alias
}

// docTypes reads the kernel-doc attribute types of the headers' sources.
func (o *Oracle) docTypes(headers []string) (map[string]string, error) {
	out := map[string]string{}
	for _, h := range headers {
		for _, d := range []string{"include/uapi", "arch/x86/include/uapi"} {
			b, err := os.ReadFile(filepath.Join(o.Kernel, d, h))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			for k, t := range DocTypes(string(b)) {
				out[k] = t
			}
		}
	}
	return out, nil
}

// checkPads turns the pad members the header does not name into
// comparisons: the pad's bytes must overlap no member the header has.
func (r *Result) checkPads(vals []Value, n *Names, layout map[string]int, got map[int]string) {
	var missing []Value
	for _, v := range r.Missing {
		if v.Group != "pad" {
			missing = append(missing, v)
			continue
		}
		if _, ok := n.Structs[v.Struct]; !ok {
			missing = append(missing, v)
			continue
		}
		off, _ := strconv.Atoi(v.Want)
		size := padSize(vals, v)
		verdict := fmt.Sprintf("%d", off)
		span := func(m CMember) (int, int) {
			var mo, ms int
			fmt.Sscanf(got[layout[v.Struct+"."+m.Name]], "%d,%d", &mo, &ms)
			return mo, ms
		}
		for _, m := range n.Structs[v.Struct] {
			mo, ms := span(m)
			// A member holding others is a group (__struct_group's
			// union), whose padding is that of the members it holds.
			group := false
			for _, x := range n.Structs[v.Struct] {
				xo, xs := span(x)
				group = group || x.Name != m.Name && mo <= xo && xo+xs <= mo+ms && xs < ms
			}
			if off < mo+ms && mo < off+size && !isPad(m.Name) && !group {
				verdict = fmt.Sprintf("overlaps %s at %d..%d", m.Name, mo, mo+ms-1)
				break
			}
		}
		c := Compared{Value: v, CName: "(implicit padding)", Got: verdict}
		r.Compared = append(r.Compared, c)
	}
	r.Missing = missing
}

func padSize(vals []Value, pad Value) int {
	// The pad member's size is not a Value of its own: it runs to the next
	// member's offset, or to the struct's end.
	off, _ := strconv.Atoi(pad.Want)
	end := -1
	for _, v := range vals {
		if v.Struct != pad.Struct {
			continue
		}
		x, _ := strconv.Atoi(v.Want)
		switch {
		case v.Kind == SizeOf && end < 0:
			end = x
		case v.Kind == OffsetOf && x > off && (end < 0 || x < end):
			end = x
		}
	}
	if end < off {
		return 0
	}
	return end - off
}

func sortedStructs(vals []Value) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vals {
		if v.Struct != "" && !seen[v.Struct] {
			seen[v.Struct] = true
			out = append(out, v.Struct)
		}
	}
	sort.Strings(out)
	return out
}

// maxNames are the count and max names the C generator renders after
// each enum, which no model value stands for.
func maxNames(f *family.Family) map[string]bool {
	m := map[string]bool{}
	for _, s := range []string{f.CmdMaxName, f.CmdCntName} {
		if s != "" {
			m[cUpper(s)] = true
		}
	}
	for _, s := range f.AttributeSets {
		for _, x := range []string{s.AttrMaxName, s.AttrCntName} {
			if x != "" {
				m[cUpper(x)] = true
			}
		}
	}
	for _, d := range f.Definitions {
		if d.EnumCntName != "" {
			m[cUpper(d.EnumCntName)] = true
		}
	}
	return m
}

// extraNames lists the header's names in the enums and structs the model
// covers that the model lacks.
func extraNames(vals []Value, n *Names, ours map[string]bool, max map[string]bool) []string {
	var out []string
	groups := map[string]bool{}
	for _, v := range vals {
		if v.Group != "" && v.Group != "pad" {
			groups[v.Group] = true
		}
	}
	seen := map[string]bool{}
	for _, consts := range n.Enums {
		// The enum is covered when one of our names is in it.
		var grp []string
		for _, c := range consts {
			if ours[c] {
				for g := range groups {
					if strings.HasPrefix(c, g) {
						grp = append(grp, g)
					}
				}
			}
		}
		if len(grp) == 0 {
			continue
		}
		for _, c := range consts {
			if ours[c] || seen[c] || strings.HasPrefix(c, "__") || max[c] {
				continue
			}
			g := longestPrefix(c, grp)
			if g == "" || c == g+"MAX" || c == g+"MASK" {
				continue
			}
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, s := range sortedStructs(vals) {
		for _, m := range n.Structs[s] {
			// A pad the header names is checked against ours by
			// checkPads; a pad we lack shows in the struct's size.
			if !ours["struct "+s+"."+m.Name] && !isPad(m.Name) {
				out = append(out, "struct "+s+"."+m.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

func longestPrefix(s string, prefixes []string) string {
	best := ""
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// signedness is "signed" or "unsigned" for a model's integer type, "" for
// other types.
func signedness(typ string) string {
	switch typ {
	case "s8", "s16", "s32", "s64", "sint":
		return "signed"
	case "u8", "u16", "u32", "u64", "uint":
		return "unsigned"
	}
	return ""
}

// nlaType is the NLA_* policy type the kernel gives an attribute of the
// model's type, as a header's kernel-doc names it ("(NLA_U32)"); "" for
// the types a kernel-doc does not name.
func nlaType(a *family.Attr) string {
	switch t := string(a.Type); t {
	case "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64":
		return "NLA_" + strings.ToUpper(t)
	case "string":
		return "NLA_STRING"
	case "binary":
		return "NLA_BINARY"
	case "nest", "indexed-array", "nest-type-value":
		return "NLA_NESTED"
	case "flag":
		return "NLA_FLAG"
	}
	return ""
}
