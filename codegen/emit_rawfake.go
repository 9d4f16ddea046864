package codegen

import (
	"fmt"
	"strconv"
	"strings"
)

// emitRawFake writes <pkg>test/zfake.go for a netlink-raw family: a fake
// classic netlink kernel (genltest.NewRaw) serving the family, with a
// typed handler setter per do and dump, a typed sender per message type a
// subscription may deliver, and, for nfnetlink families with batches, a
// hook run after each batch. It imports the family's package by
// g.opts.ImportPath.
func (g *gen) emitRawFake(f *GeneratedFile) {
	pkg, imp := g.opts.Package, g.opts.ImportPath
	f.imports[imp], f.aliases[pkg] = pkg, true
	q := func(name string) string { return pkg + "." + name }
	gt := func(name string) string { return f.Q(GoIdent{genltestPath, name}) }
	begin, end, _ := g.batchOps()
	f.SetPackageDoc(g.rawFakeDoc())
	f.Import("testing")
	f.P("// Fake is a fake kernel serving the ", g.f.Name, " family. Requests of an op")
	f.P("// without a handler fail with EOPNOTSUPP, naming the op.")
	f.P("type Fake struct {")
	f.P("// Kernel is the fake classic netlink kernel, for what the typed")
	f.P("// methods do not cover (raw notifications, other families).")
	f.P("Kernel *", gt("Kernel"))
	f.P()
	f.P("t     testing.TB")
	f.P("ops   ", gt("RawOps"))
	f.P("mu    ", f.Q(GoIdent{"sync", "Mutex"}))
	f.P("conns []*", genlQ(f, "RawConn"))
	if begin != nil {
		f.P("batch func(commit bool)")
	}
	f.P("}")
	f.P()
	emitFakeNew(f)
	cmds := g.rawFakeCmds()
	f.P("// Start returns a fake kernel serving the family, for code without a")
	f.P("// testing.TB (examples); Close closes the connections of its clients.")
	f.P("func Start() (*Fake, error) {")
	f.P("f := &Fake{Kernel: ", gt("NewRaw"), "(", q("Protocol"), ")}")
	f.P("f.ops.Family = ", q("FamilyName"))
	f.P("f.ops.Names = map[uint16]string{")
	for _, o := range cmds {
		f.P("uint16(", q(o.Cmd), "): ", strconv.Quote(o.op.Name), ",")
	}
	f.P("}")
	f.P("ops := map[uint16]", gt("Handler"), "{}")
	f.P("for typ := range f.ops.Names {")
	f.P("ops[typ] = f.ops.Serve")
	f.P("}")
	f.P("err := f.Kernel.AddRawFamily(", gt("RawFamily"), "{")
	f.P("Name: ", q("FamilyName"), ",")
	f.P("Ops: ops,")
	f.P("HeaderSizes: map[uint16]uint32{")
	for _, o := range cmds {
		if o.header != nil {
			f.P("uint16(", q(o.Cmd), "): ", q(o.header.Size), ",")
		}
	}
	f.P("},")
	var groups []string
	for _, mg := range g.f.MulticastGroups {
		if mg.Value != 0 {
			groups = append(groups, fmt.Sprintf("string(%s): %d,", q(g.groups[mg]), mg.Value))
		}
	}
	if len(groups) > 0 {
		f.P("Groups: map[string]uint32{")
		for _, l := range groups {
			f.P(l)
		}
		f.P("},")
	}
	if begin != nil {
		f.P("BatchBegin: uint16(", q(begin.Cmd), "), BatchEnd: uint16(", q(end.Cmd), "),")
		f.P("BatchDone: f.batchDone,")
	}
	f.P("})")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return f, nil")
	f.P("}")
	f.P()
	emitFakeConns(f, q, "NewRawConn")
	f.P("// reply is one message of type typ carrying m after the fixed header hdr.")
	f.P("func reply(typ uint16, hdr []byte, m interface{ Encode(*", genlQ(f, "Encoder"), ") }) ", gt("Reply"), " {")
	f.P("var e ", genlQ(f, "Encoder"))
	f.P("m.Encode(&e)")
	f.P("return ", gt("Reply"), "{Type: typ, Header: hdr, Attrs: e.Bytes()}")
	f.P("}")
	f.P()
	emitFakeHandleRaw(f, q(g.cmdType), "typ", "uint16")
	if begin != nil {
		f.P("// OnBatch sets h to run after each batch the kernel receives, with")
		f.P("// whether it commits: false when a request of it failed, so that")
		f.P("// none applies. Handlers see the requests of a batch as they come")
		f.P("// (genltest.RequestOf(ctx).Batch is true); a fake keeping state")
		f.P("// stages them and applies or drops them here. nil removes it.")
		f.P("func (f *Fake) OnBatch(h func(commit bool)) {")
		f.P("f.mu.Lock()")
		f.P("f.batch = h")
		f.P("f.mu.Unlock()")
		f.P("}")
		f.P()
		f.P("func (f *Fake) batchDone(commit bool) {")
		f.P("f.mu.Lock()")
		f.P("h := f.batch")
		f.P("f.mu.Unlock()")
		f.P("if h != nil {")
		f.P("h(commit)")
		f.P("}")
		f.P("}")
		f.P()
	}
	for _, o := range cmds {
		if o.Method != "" {
			g.emitRawFakeDo(f, o)
		}
		if o.Dump != "" {
			g.emitRawFakeDump(f, o)
		}
	}
	for _, t := range g.rawMsgTypes() {
		if begin != nil && (t.o == begin || t.o == end) {
			continue // batch framing is never multicast
		}
		g.emitRawFakeNotify(f, t)
	}
}

// rawFakeDoc is the raw fake package's doc comment.
func (g *gen) rawFakeDoc() string {
	pkg := g.opts.Package
	fp := FakePackage(pkg)
	lines := comment(fmt.Sprintf("Package %s is a fake kernel serving the %s classic netlink family, for tests of code that uses package %s. Set a typed handler per op: requests arrive decoded, fixed header included, replies are encoded for you, and an error becomes the kernel's error ACK (a syscall.Errno, or a *genltest.Error with extended-ACK detail, whose AttrPath names the offending attribute by its ids and HeaderOffset a field of the fixed header). Notify methods send typed notifications to the family's groups. Requests and replies cross a real socket to genltest's fake classic netlink kernel, so the client runs unchanged.", fp, g.f.Name, pkg))
	for _, o := range g.rawFakeCmds() {
		if o.Dump == "" {
			continue
		}
		t := pkg + "." + o.set.Name
		lines = append(lines, "//",
			"//\tfake := "+fp+".New(t)",
			"//\tfake.Handle"+o.Dump+"(func(ctx context.Context, req *"+t+") ([]*"+t+", error) {",
			"//\t\treturn []*"+t+"{ /* the objects */ }, nil",
			"//\t})",
			"//\tfor obj, err := range fake.Client()."+o.Dump+"(ctx, &"+t+"{}) {",
			"//\t\t// ...",
			"//\t}")
		break
	}
	return strings.Join(lines, "\n") + "\n"
}

// rawFakeCmds are the ops a raw client can send, which the fake serves:
// batch-begin and batch-end frame batches and are no ops of their own.
func (g *gen) rawFakeCmds() []*goOp {
	begin, end, _ := g.batchOps()
	var out []*goOp
	for _, o := range g.fakeCmds() {
		if begin == nil || o != begin && o != end {
			out = append(out, o)
		}
	}
	return out
}

// rawReplyID is the constant naming the type of o's replies.
func rawReplyID(o *goOp) string {
	if o.Reply != "" {
		return o.Reply
	}
	return o.Cmd
}

func (g *gen) emitRawFakeDo(f *GeneratedFile, o *goOp) {
	g.emitFakeDoOf(f, o, "uint16", []string{
		"// the request as the client sent it (its flags, genl.Create and",
		"// the like, are in genltest.RequestOf(ctx).Flags); an error it",
		"// returns becomes the kernel's error ACK. nil removes the handler.",
	})
}

func (g *gen) emitRawFakeDump(f *GeneratedFile, o *goOp) {
	g.emitFakeDumpOf(f, o, "uint16", []string{
		"// request as the client sent it, fixed header (the dump's filter)",
		"// included, and returns the objects the dump yields. An error with no",
		"// objects fails the dump's start; after objects it ends the dump, as a",
		"// kernel failing midway does. nil removes the handler.",
	})
}

// emitRawFakeNotify writes the sender of one message type a subscription
// may deliver (see rawMsgTypes): to the op's group when the spec names
// one, else to a group the caller picks.
func (g *gen) emitRawFakeNotify(f *GeneratedFile, t rawMsgType) {
	pkg := g.opts.Package
	o := t.o
	typ := "*" + pkg + "." + o.set.Name
	name := "Notify" + strings.TrimPrefix(t.id, "Cmd")
	group := "string(group)"
	if mg := o.op.Mcgrp; mg != nil && o.op.IsNotification() && mg.Value != 0 {
		f.P("// ", name, " sends m as a ", t.id, " message (", o.op.Name, ") to the ", mg.Name)
		f.P("// group's subscribers.")
		f.P("func (f *Fake) ", name, "(m ", typ, ") error {")
		group = "string(" + pkg + "." + g.groups[mg] + ")"
	} else if len(g.f.MulticastGroups) > 0 {
		f.P("// ", name, " sends m as a ", t.id, " message (", o.op.Name, ") to the")
		f.P("// subscribers of group, as the kernel multicasts a change.")
		f.P("func (f *Fake) ", name, "(group ", pkg, ".Group, m ", typ, ") error {")
	} else {
		return
	}
	r := g.fakeMessage(f, o, "uint16", t.id, "m")
	f.P("return f.Kernel.NotifyRaw(", pkg, ".FamilyName, ", group, ", ", r, ")")
	f.P("}")
	f.P()
}
