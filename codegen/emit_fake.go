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
	f.P("// New returns a fake kernel serving the family, for the duration of t.")
	f.P("func New(t testing.TB) *Fake {")
	f.P("t.Helper()")
	f.P("f, err := Start()")
	f.P("if err != nil {")
	f.P("t.Fatal(err)")
	f.P("}")
	f.P("f.t = t")
	f.P("t.Cleanup(func() { _ = f.Close() })")
	f.P("return f")
	f.P("}")
	f.P()
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
	f.P("// Dial returns a client over a new connection to the fake kernel.")
	f.P("func (f *Fake) Dial() (*", q("Client"), ", error) {")
	f.P("c, err := f.Kernel.NewConn()")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("f.mu.Lock()")
	f.P("f.conns = append(f.conns, c)")
	f.P("f.mu.Unlock()")
	f.P("return ", q("New"), "(c), nil")
	f.P("}")
	f.P()
	f.P("// Client is Dial for tests: it fails the test of New on error (and")
	f.P("// panics on a fake made by Start).")
	f.P("func (f *Fake) Client() *", q("Client"), " {")
	f.P("c, err := f.Dial()")
	f.P("if err != nil {")
	f.P("if f.t != nil {")
	f.P("f.t.Fatal(err)")
	f.P("}")
	f.P("panic(err)")
	f.P("}")
	f.P("return c")
	f.P("}")
	f.P()
	f.P("// Close closes the connections of the fake's clients.")
	f.P("func (f *Fake) Close() error {")
	f.P("f.mu.Lock()")
	f.P("conns := f.conns")
	f.P("f.conns = nil")
	f.P("f.mu.Unlock()")
	f.P("var errs []error")
	f.P("for _, c := range conns {")
	f.P("errs = append(errs, c.Close())")
	f.P("}")
	f.P("return ", f.Q(GoIdent{"errors", "Join"}), "(errs...)")
	f.P("}")
	f.P()
	f.P("// reply is one reply message carrying m after the fixed header hdr.")
	f.P("func reply(cmd uint8, hdr []byte, m interface{ Encode(*", genlQ(f, "Encoder"), ") }) ", f.Q(GoIdent{genltestPath, "Reply"}), " {")
	f.P("var e ", genlQ(f, "Encoder"))
	f.P("m.Encode(&e)")
	f.P("return ", f.Q(GoIdent{genltestPath, "Reply"}), "{Command: cmd, Header: hdr, Attrs: e.Bytes()}")
	f.P("}")
	f.P()
	f.P("// HandleRaw sets h to answer the do (dump false) or the dumps of cmd with")
	f.P("// raw replies, replacing a typed handler: for tests that build the")
	f.P("// kernel's messages attribute by attribute. nil removes the handler.")
	f.P("func (f *Fake) HandleRaw(cmd ", q(g.cmdType), ", dump bool, h ", f.Q(GoIdent{genltestPath, "Handler"}), ") {")
	f.P("if h == nil {")
	f.P("f.ops.Set(uint8(cmd), dump, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(uint8(cmd), dump, func(_ ", f.Q(identContext), ", r ", f.Q(GoIdent{genltestPath, "Request"}), ") ([]", f.Q(GoIdent{genltestPath, "Reply"}), ", error) { return h(r) })")
	f.P("}")
	f.P()
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
	id := o.Cmd
	if o.Reply != "" {
		id = o.Reply
	}
	hdr := "nil"
	if o.header != nil {
		if o.set.Header == o.header {
			f.P("hdr, _ := ", m, ".", o.set.HeaderField, ".MarshalBinary()")
			hdr = "hdr"
		} else {
			hdr = "make([]byte, " + g.opts.Package + "." + o.header.Size + ")"
		}
	}
	return "reply(uint8(" + g.opts.Package + "." + id + "), " + hdr + ", " + m + ")"
}

func (g *gen) fakeCtx(f *GeneratedFile) string {
	return "ctx " + f.Q(identContext) + ", r " + f.Q(GoIdent{genltestPath, "Request"})
}

func (g *gen) emitFakeDo(f *GeneratedFile, o *goOp) {
	t := "*" + g.opts.Package + "." + o.set.Name
	f.P("// Handle", o.Method, " sets the handler of ", o.op.Name, " requests (do): h gets")
	if o.op.Do.Reply == nil {
		f.P("// the request as the client sent it; an error it returns becomes the")
		f.P("// kernel's error ACK. nil removes the handler.")
		f.P("func (f *Fake) Handle", o.Method, "(h func(ctx ", f.Q(identContext), ", req ", t, ") error) {")
	} else {
		f.P("// the request as the client sent it and returns the reply (nil: the")
		f.P("// kernel only acknowledges), or an error that becomes the kernel's")
		f.P("// error ACK. nil removes the handler.")
		f.P("func (f *Fake) Handle", o.Method, "(h func(ctx ", f.Q(identContext), ", req ", t, ") (", t, ", error)) {")
	}
	f.P("if h == nil {")
	f.P("f.ops.Set(uint8(", g.opts.Package, ".", o.Cmd, "), false, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(uint8(", g.opts.Package, ".", o.Cmd, "), false, func(", g.fakeCtx(f), ") ([]", f.Q(GoIdent{genltestPath, "Reply"}), ", error) {")
	g.fakeDecode(f, o)
	if o.op.Do.Reply == nil {
		f.P("return nil, h(ctx, req)")
	} else {
		f.P("rep, err := h(ctx, req)")
		f.P("if err != nil || rep == nil {")
		f.P("return nil, err")
		f.P("}")
		r := g.fakeReply(f, o, "rep")
		f.P("return []", f.Q(GoIdent{genltestPath, "Reply"}), "{", r, "}, nil")
	}
	f.P("})")
	f.P("}")
	f.P()
}

func (g *gen) emitFakeDump(f *GeneratedFile, o *goOp) {
	t := "*" + g.opts.Package + "." + o.set.Name
	f.P("// Handle", o.Dump, " sets the handler of ", o.op.Name, " dumps: h gets the")
	f.P("// request as the client sent it and returns the objects the dump")
	f.P("// yields. An error with no objects fails the dump's start; after")
	f.P("// objects it ends the dump, as a kernel failing midway does. nil")
	f.P("// removes the handler.")
	f.P("func (f *Fake) Handle", o.Dump, "(h func(ctx ", f.Q(identContext), ", req ", t, ") ([]", t, ", error)) {")
	f.P("if h == nil {")
	f.P("f.ops.Set(uint8(", g.opts.Package, ".", o.Cmd, "), true, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(uint8(", g.opts.Package, ".", o.Cmd, "), true, func(", g.fakeCtx(f), ") ([]", f.Q(GoIdent{genltestPath, "Reply"}), ", error) {")
	g.fakeDecode(f, o)
	f.P("objs, err := h(ctx, req)")
	f.P("out := make([]", f.Q(GoIdent{genltestPath, "Reply"}), ", 0, len(objs))")
	f.P("for _, m := range objs {")
	r := g.fakeReply(f, o, "m")
	f.P("out = append(out, ", r, ")")
	f.P("}")
	f.P("return out, err")
	f.P("})")
	f.P("}")
	f.P()
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
