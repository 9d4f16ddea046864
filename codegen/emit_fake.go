package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// FakePackage is the name of the typed fake package generated beside a
// package named pkg (ethtool's is ethtooltest), in the folder of that name.
func FakePackage(pkg string) string { return pkg + "test" }

// emitFake writes <pkg>test/zfake.go: a fake kernel serving the family,
// with a typed handler setter per do and dump and a typed sender per
// notification, built on genltest. It imports the family's package by
// g.opts.ImportPath.
func (g *gen) emitFake(f *GeneratedFile) {
	pkg, imp := g.opts.Package, g.opts.ImportPath
	f.imports[imp], f.aliases[pkg] = pkg, true
	q := func(name string) string { return pkg + "." + name }
	f.SetPackageDoc(g.fakeDoc())
	f.Import("testing")
	f.P("// Fake is a fake kernel serving the ", g.f.Name, " family. Requests of an op")
	f.P("// without a handler fail with EOPNOTSUPP, naming the op.")
	f.P("type Fake struct {")
	f.P("// Kernel is the fake kernel, for what the typed methods do not cover")
	f.P("// (other families, Overrun, RemoveFamily, raw notifications).")
	f.P("Kernel *", f.Q(GoIdent{genltestPath, "Kernel"}))
	f.P()
	f.P("t     testing.TB")
	f.P("ops   ", f.Q(GoIdent{genltestPath, "Ops"}))
	f.P("mu    ", f.Q(GoIdent{"sync", "Mutex"}))
	f.P("conns []*", genlQ(f, "Conn"))
	f.P("}")
	f.P()
	emitFakeNew(f)
	f.P("// Start returns a fake kernel serving the family, for code without a")
	f.P("// testing.TB (examples); Close closes the connections of its clients.")
	f.P("func Start() (*Fake, error) {")
	f.P("f := &Fake{Kernel: ", f.Q(GoIdent{genltestPath, "New"}), "()}")
	f.P("f.ops.Family = ", q("FamilyName"))
	f.P("f.ops.Names = map[uint8]string{")
	cmds := g.fakeCmds()
	for _, o := range cmds {
		f.P("uint8(", q(o.Cmd), "): ", strconv.Quote(o.op.Name), ",")
	}
	f.P("}")
	f.P("ops := map[uint8]", f.Q(GoIdent{genltestPath, "Handler"}), "{}")
	f.P("for cmd := range f.ops.Names {")
	f.P("ops[cmd] = f.ops.Serve")
	f.P("}")
	f.P("_, err := f.Kernel.AddFamily(", f.Q(GoIdent{genltestPath, "Family"}), "{")
	f.P("Name: ", q("FamilyName"), ", Version: ", q("FamilyVersion"), ", HeaderSize: ", q("HeaderSize"), ",")
	if len(g.f.MulticastGroups) > 0 {
		var gs []string
		for _, mg := range g.f.MulticastGroups {
			gs = append(gs, "string("+q(g.groups[mg])+")")
		}
		f.P("Groups: []string{", strings.Join(gs, ", "), "},")
	}
	f.P("Ops: ops,")
	f.P("})")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return f, nil")
	f.P("}")
	f.P()
	emitFakeConns(f, q, "NewConn")
	f.P("// reply is one reply message carrying m after the fixed header hdr.")
	f.P("func reply(cmd uint8, hdr []byte, m interface{ Encode(*", genlQ(f, "Encoder"), ") }) ", f.Q(GoIdent{genltestPath, "Reply"}), " {")
	f.P("var e ", genlQ(f, "Encoder"))
	f.P("m.Encode(&e)")
	f.P("return ", f.Q(GoIdent{genltestPath, "Reply"}), "{Command: cmd, Header: hdr, Attrs: e.Bytes()}")
	f.P("}")
	f.P()
	emitFakeHandleRaw(f, q(g.cmdType), "cmd", "uint8")
	for _, o := range cmds {
		if o.Method != "" {
			g.emitFakeDo(f, o)
		}
		if o.Dump != "" {
			g.emitFakeDump(f, o)
		}
	}
	if len(g.f.MulticastGroups) > 0 {
		for _, o := range g.notifications() {
			if o.op.IsNotification() {
				g.emitFakeNotify(f, o)
			}
		}
	}
}

// fakeDoc is the fake package's doc comment, with an example on the
// family's first do op.
func (g *gen) fakeDoc() string {
	pkg := g.opts.Package
	fp := FakePackage(pkg)
	lines := comment(fmt.Sprintf("Package %s is a fake kernel serving the %s generic netlink family, for tests of code that uses package %s. Set a typed handler per op: requests arrive decoded, replies are encoded for you, and an error becomes the kernel's error ACK (a syscall.Errno, or a *genltest.Error with extended-ACK detail, whose AttrPath names the offending attribute by its ids). Notify methods send typed notifications to the family's groups. Requests and replies cross a real socket to genltest's fake kernel, so the client runs unchanged.", fp, g.f.Name, pkg))
	for _, o := range g.fakeCmds() {
		if o.Method == "" || o.op.Do.Reply == nil {
			continue
		}
		t := pkg + "." + o.set.Name
		lines = append(lines, "//",
			"//\tfake := "+fp+".New(t)",
			"//\tfake.Handle"+o.Method+"(func(ctx context.Context, req *"+t+") (*"+t+", error) {",
			"//\t\treturn &"+t+"{ /* the reply */ }, nil",
			"//\t})",
			"//\trep, err := fake.Client()."+o.Method+"(ctx, &"+t+"{ /* the request */ })")
		break
	}
	return strings.Join(lines, "\n") + "\n"
}

// fakeCmds are the ops a client can send, which the fake serves.
func (g *gen) fakeCmds() []*goOp {
	var out []*goOp
	for _, o := range g.ops {
		if o.set != nil && o.Cmd != "" && (o.Method != "" || o.Dump != "") {
			out = append(out, o)
		}
	}
	return out
}

// fakeDecode prints the decoding of a request r into req, fixed header
// included.
func (g *gen) fakeDecode(f *GeneratedFile, o *goOp) {
	f.P("req := new(", g.opts.Package, ".", o.set.Name, ")")
	if o.header != nil && o.set.Header == o.header {
		f.P("if err := req.", o.set.HeaderField, ".UnmarshalBinary(r.Header); err != nil {")
		f.P("return nil, err")
		f.P("}")
	}
	f.P("if err := req.Decode(r.Attrs); err != nil {")
	f.P("return nil, err")
	f.P("}")
}

// fakeReply returns the expression of the reply message carrying m.
func (g *gen) fakeReply(f *GeneratedFile, o *goOp, m string) string {
	return g.fakeMessage(f, o, "uint8", rawReplyID(o), m)
}

func (g *gen) fakeCtx(f *GeneratedFile) string {
	return "ctx " + f.Q(identContext) + ", r " + f.Q(GoIdent{genltestPath, "Request"})
}

func (g *gen) emitFakeDo(f *GeneratedFile, o *goOp) {
	g.emitFakeDoOf(f, o, "uint8", []string{
		"// the request as the client sent it; an error it returns becomes the",
		"// kernel's error ACK. nil removes the handler.",
	})
}

func (g *gen) emitFakeDump(f *GeneratedFile, o *goOp) {
	g.emitFakeDumpOf(f, o, "uint8", []string{
		"// request as the client sent it and returns the objects the dump",
		"// yields. An error with no objects fails the dump's start; after",
		"// objects it ends the dump, as a kernel failing midway does. nil",
		"// removes the handler.",
	})
}

func (g *gen) emitFakeNotify(f *GeneratedFile, o *goOp) {
	t := "*" + g.opts.Package + "." + o.set.Name
	name := "Notify" + GoName(o.op.Name)
	group := "group"
	if mg := o.op.Mcgrp; mg != nil {
		f.P("// ", name, " sends m as a ", o.op.Name, " notification to the ", mg.Name, " group's")
		f.P("// subscribers.")
		f.P("func (f *Fake) ", name, "(m ", t, ") error {")
		group = "string(" + g.opts.Package + "." + g.groups[mg] + ")"
	} else {
		f.P("// ", name, " sends m as a ", o.op.Name, " notification to the subscribers of")
		f.P("// group (the spec names none).")
		f.P("func (f *Fake) ", name, "(group ", g.opts.Package, ".Group, m ", t, ") error {")
		group = "string(group)"
	}
	r := g.fakeReply(f, o, "m")
	f.P("return f.Kernel.NotifyMessage(", g.opts.Package, ".FamilyName, ", group, ", ", r, ")")
	f.P("}")
	f.P()
}
