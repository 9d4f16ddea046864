package codegen

import (
	_ "embed"
	"strings"
	"sync"

	"github.com/ynlgo/ynl/family"
)

// xsysNamesText lists the integer constants of golang.org/x/sys/unix
// (zerrors_linux.go and ztypes_linux.go) that name items of kernel family
// specs, one per line. TestXSysNames regenerates it.
//
//go:embed xsysnames.txt
var xsysNamesText string

var xsysNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(xsysNamesText) {
		m[n] = true
	}
	return m
})

// unixCheck pairs a generated constant with the x/sys constant of the same
// kernel item.
type unixCheck struct {
	cname string // x/sys name
	goExp string // generated constant
}

// cName is the kernel's C spelling of a spec name (c-code-gen.rst).
func cName(s string) string { return strings.ToUpper(strings.ReplaceAll(s, "-", "_")) }

// cNames returns the C names the kernel's generator gives the family's
// items, with the generated constants that hold the same values.
func (g *gen) cNames() []unixCheck {
	var out []unixCheck
	add := func(c, goExp string) { out = append(out, unixCheck{cName(c), goExp}) }
	fam := g.f.Name
	if n := g.f.CVersionName; n != "" {
		add(n, "FamilyVersion")
	} else {
		add(fam+"-family-version", "FamilyVersion")
	}
	ops := g.f.Operations
	prefix := ops.NamePrefix
	if prefix == "" {
		prefix = fam + "-cmd-"
	}
	for _, o := range g.ops {
		if o.Cmd != "" {
			add(prefix+o.op.Name, o.Cmd)
		}
		if o.Reply != "" {
			if o.op.IsNotification() {
				add(prefix+o.op.Name, o.Reply)
			} else {
				add(prefix+o.op.Name+"-reply", o.Reply)
			}
		}
	}
	for _, gs := range g.setList {
		if gs.s.SubsetOf != nil {
			continue
		}
		p := gs.s.NamePrefix
		switch {
		case p != "":
		case gs.s.Name == fam:
			p = fam + "-a-"
		default:
			p = fam + "-a-" + gs.s.Name + "-"
		}
		for i, a := range gs.s.Attributes {
			if a.NamePrefix != "" {
				add(a.NamePrefix+a.Name, gs.Consts[i])
			} else {
				add(p+a.Name, gs.Consts[i])
			}
		}
	}
	for _, d := range g.f.Definitions {
		gd := g.defs[d]
		switch d.Kind {
		case family.DefEnum, family.DefFlags:
			p := d.NamePrefix
			if p == "" {
				p = fam + "-" + d.Name + "-"
			}
			for i, e := range d.Entries {
				add(p+e.Name, gd.Entries[i])
			}
		case family.DefConst:
			if !d.IsString {
				add(d.NamePrefix+d.Name, gd.Name)
			}
		}
	}
	return out
}

// unixChecks returns the checks whose C name x/sys defines, each name once.
func (g *gen) unixChecks() []unixCheck {
	known := xsysNames()
	seen := map[string]bool{}
	var out []unixCheck
	for _, c := range g.cNames() {
		if known[c.cname] && !seen[c.cname] {
			seen[c.cname] = true
			out = append(out, c)
		}
	}
	return out
}

// emitUnixTest writes zunix_linux_test.go, a drift guard: a test that
// compares every generated constant with the golang.org/x/sys/unix constant
// naming the same kernel item.
func (g *gen) emitUnixTest(f *GeneratedFile) {
	f.P("// TestUnixConstants checks the generated constants against the ones of")
	f.P("// golang.org/x/sys/unix, which come from the kernel's UAPI headers.")
	f.P("func TestUnixConstants(t *", f.Q(GoIdent{"testing", "T"}), ") {")
	f.P("for _, c := range []struct {")
	f.P("name      string")
	f.P("got, want uint64")
	f.P("}{")
	unix := f.Import("golang.org/x/sys/unix")
	for _, c := range g.unixChecks() {
		f.P("{\"", c.cname, "\", uint64(", c.goExp, "), uint64(", unix, ".", c.cname, ")},")
	}
	f.P("} {")
	f.P("if c.got != c.want {")
	f.P("t.Errorf(\"%s: generated %d, x/sys/unix has %d\", c.name, c.got, c.want)")
	f.P("}")
	f.P("}")
	f.P("}")
}
