package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// emitFamily writes zfamily.go: the package doc, the family's name,
// version and header size, its command ids and multicast groups.
func (g *gen) emitFamily(f *GeneratedFile) {
	f.SetPackageDoc(g.packageDoc())
	if !g.f.Protocol.IsGenetlink() {
		f.P("// FamilyName is the family's name in its spec.")
		f.P("const FamilyName = ", strconv.Quote(g.f.Name))
		f.P()
		f.P("// Protocol is the netlink protocol number the family is reached on.")
		f.P("const Protocol = ", g.f.ProtoNum)
		f.P()
	} else {
		f.P("// FamilyName is the generic netlink family name, as the kernel registers it.")
		f.P("const FamilyName = ", strconv.Quote(g.f.Name))
		f.P()
	}
	f.P("// FamilyVersion is the family version the spec describes.")
	f.P("const FamilyVersion = ", g.f.Version)
	f.P()
	size := 0
	if h := g.f.Operations.FixedHeader; h != nil {
		size = h.Size
	}
	f.P("// HeaderSize is the size in bytes of the family's fixed header, which")
	f.P("// every message carries between the generic netlink header and the")
	f.P("// attributes (0: the family has none).")
	f.P("const HeaderSize = ", size)
	f.P()
	g.emitCmds(f)
	g.emitGroups(f)
}

// emitCmds writes the command id types and constants.
func (g *gen) emitCmds(f *GeneratedFile) {
	type cmd struct {
		name, op string
		value    int
		rank     int // which of the ops sharing an id names it: the lowest
	}
	var req, rep []cmd
	for _, o := range g.ops {
		if o.Cmd != "" {
			v := g.requestValue(o.op)
			if v == 0 {
				v = o.op.Value
			}
			req = append(req, cmd{o.Cmd, o.op.Name, v, 0})
		}
		if o.Reply != "" {
			rep = append(rep, cmd{o.Reply, o.op.Name, o.op.ReplyValue, replyRank(o)})
		}
	}
	under := "uint8"
	if !g.f.Protocol.IsGenetlink() {
		under = "uint16" // netlink message types
	}
	emit := func(typ, doc string, cmds []cmd) {
		f.P("// ", typ, " ", doc)
		f.P("type ", typ, " ", under)
		f.P()
		f.P("// Values of ", typ, ", one per operation.")
		f.P("const (")
		for _, c := range cmds {
			f.P("\t", c.name, " ", typ, " = ", c.value, " // ", c.op)
		}
		f.P(")")
		f.P()
		f.P("// String returns the spec name of the operation, or the number.")
		if typ == g.replyType {
			f.P("// An id several operations share is named by its notification, else")
			f.P("// by the operation sent with that id, as the kernel names it.")
		}
		f.P("func (c ", typ, ") String() string {")
		f.P("switch c {")
		// A shared id is named by its lowest-ranked op, the first of them
		// on a tie.
		best := map[int]cmd{}
		for _, c := range cmds {
			if b, ok := best[c.value]; !ok || c.rank < b.rank {
				best[c.value] = c
			}
		}
		seen := map[int]bool{}
		for _, c := range cmds {
			if seen[c.value] {
				continue
			}
			seen[c.value] = true
			c = best[c.value]
			f.P("case ", c.name, ":")
			f.P("return ", strconv.Quote(c.op))
		}
		f.P("}")
		f.P("return ", f.Q(GoIdent{"strconv", "Itoa"}), "(int(c))")
		f.P("}")
		f.P()
	}
	if g.replyType == "" {
		emit(g.cmdType, "is a command id: the genetlink header's cmd of requests, replies and notifications.", req)
		return
	}
	emit(g.cmdType, "is a command id the user sends (the family numbers its messages by direction).", req)
	emit(g.replyType, "is a message id the kernel sends: replies (named after their request, with a Reply suffix) and notifications.", rep)
}

// replyRank orders the ops that share a reply id by how well they name
// it as the kernel does: nl80211 sends id 19 (NL80211_CMD_NEW_STATION) as
// the reply to get-station and as the new-station notification, and
// devlink id 7 (DEVLINK_CMD_PORT_NEW) as the reply to port-get and to
// port-new. A notification or event of the id names it first, then an op
// sent with the id that also replies with it (the id is that op's
// command), then any other op.
func replyRank(o *goOp) int {
	switch {
	case o.op.IsNotification():
		return 0
	case o.op.RequestValue != 0 && o.op.RequestValue == o.op.ReplyValue:
		return 1
	}
	return 2
}

func (g *gen) emitGroups(f *GeneratedFile) {
	if len(g.f.MulticastGroups) == 0 {
		return
	}
	f.P("// Group is the name of a multicast group of the family.")
	f.P("type Group string")
	f.P()
	f.P("// The family's multicast groups.")
	f.P("const (")
	for _, mg := range g.f.MulticastGroups {
		for _, l := range comment(mg.Doc) {
			f.P(l)
		}
		f.P(g.groups[mg], " Group = ", strconv.Quote(mg.Name))
	}
	f.P(")")
	f.P()
}

// packageDoc is the package comment: the family doc and a usage example.
func (g *gen) packageDoc() string {
	var b strings.Builder
	p := func(s string) { b.WriteString(strings.TrimRight("// "+s, " ") + "\n") }
	pkg := g.opts.Package
	if g.f.Protocol.IsGenetlink() {
		p(fmt.Sprintf("Package %s is a client of the %s generic netlink family.", pkg, g.f.Name))
	} else {
		p(fmt.Sprintf("Package %s is a client of the %s netlink family (classic", pkg, g.f.Name))
		p(fmt.Sprintf("netlink, protocol %d: its message types are the ops' values).", g.f.ProtoNum))
	}
	if d := comment(g.f.Doc); len(d) > 0 {
		p("")
		for _, l := range d {
			b.WriteString(l + "\n")
		}
	}
	p("")
	p("Every attribute set of the spec is a struct; optional scalars are")
	p("genl.Opt values, so an explicit zero is sent. Attributes the spec does")
	p("not know are skipped when decoding. Indexed arrays are slices whose")
	p("elements are sent with indices counting from 1; any index is accepted")
	p("when decoding.")
	if ex := g.example(); ex != nil {
		p("")
		p("Usage:")
		p("")
		for _, l := range ex {
			p("\t" + l)
		}
	}
	return b.String()
}

// example returns a short usage example from the family's first do and
// dump operations.
func (g *gen) example() []string {
	ex := []string{
		fmt.Sprintf("c, err := %s.Dial(ctx, nil)", g.opts.Package),
		"if err != nil {",
		"\treturn err",
		"}",
		"defer c.Close()",
	}
	n := len(ex)
	for _, o := range g.ops {
		if o.Method != "" && o.set != nil && o.op.Do.Reply != nil && len(ex) == n {
			ex = append(ex,
				fmt.Sprintf("reply, err := c.%s(ctx, &%s.%s{ /* request attributes */ })", o.Method, g.opts.Package, o.set.Name),
				"if err != nil {", "\treturn err", "}", "fmt.Println(reply)")
		}
	}
	for _, o := range g.ops {
		if o.Dump != "" && o.set != nil {
			ex = append(ex,
				fmt.Sprintf("for msg, err := range c.%s(ctx, nil) {", o.Dump),
				"\tif err != nil {", "\t\treturn err", "\t}", "\tfmt.Println(msg)", "}")
			break
		}
	}
	if len(ex) == n {
		return nil
	}
	return ex
}
