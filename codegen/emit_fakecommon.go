package codegen

// The parts of the typed fakes (<pkg>test/zfake.go) that generic and
// classic netlink families share. key is the Go type of the ops' key in
// genltest: uint8 (a command) or uint16 (a message type).

// emitFakeNew writes New, over the Start the caller writes.
func emitFakeNew(f *GeneratedFile) {
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
}

// emitFakeConns writes Dial, Client and Close; newConn is the Kernel's
// method that connects (NewConn, NewRawConn).
func emitFakeConns(f *GeneratedFile, q func(string) string, newConn string) {
	f.P("// Dial returns a client over a new connection to the fake kernel.")
	f.P("func (f *Fake) Dial() (*", q("Client"), ", error) {")
	f.P("c, err := f.Kernel.", newConn, "()")
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
}

// emitFakeHandleRaw writes HandleRaw, whose op parameter param has the
// family's type cmdType.
func emitFakeHandleRaw(f *GeneratedFile, cmdType, param, key string) {
	gt := func(name string) string { return f.Q(GoIdent{genltestPath, name}) }
	f.P("// HandleRaw sets h to answer the do (dump false) or the dumps of ", param, " with")
	f.P("// raw replies, replacing a typed handler: for tests that build the")
	f.P("// kernel's messages attribute by attribute. nil removes the handler.")
	f.P("func (f *Fake) HandleRaw(", param, " ", cmdType, ", dump bool, h ", gt("Handler"), ") {")
	f.P("if h == nil {")
	f.P("f.ops.Set(", key, "(", param, "), dump, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(", key, "(", param, "), dump, func(_ ", f.Q(identContext), ", r ", gt("Request"), ") ([]", gt("Reply"), ", error) { return h(r) })")
	f.P("}")
	f.P()
}

// fakeMessage returns the expression of the message of type id (a
// constant of the family's package) carrying m with o's fixed header.
func (g *gen) fakeMessage(f *GeneratedFile, o *goOp, key, id, m string) string {
	pkg := g.opts.Package
	hdr := "nil"
	if o.header != nil {
		if o.set.Header == o.header {
			f.P("hdr, _ := ", m, ".", o.set.HeaderField, ".MarshalBinary()")
			hdr = "hdr"
		} else {
			hdr = "make([]byte, " + pkg + "." + o.header.Size + ")"
		}
	}
	return "reply(" + key + "(" + pkg + "." + id + "), " + hdr + ", " + m + ")"
}

// emitFakeDoOf writes the typed handler setter of o's do; ackDoc is the
// doc of one whose op has no reply, after "h gets".
func (g *gen) emitFakeDoOf(f *GeneratedFile, o *goOp, key string, ackDoc []string) {
	pkg := g.opts.Package
	t := "*" + pkg + "." + o.set.Name
	rep := f.Q(GoIdent{genltestPath, "Reply"})
	f.P("// Handle", o.Method, " sets the handler of ", o.op.Name, " requests (do): h gets")
	if o.op.Do.Reply == nil {
		for _, l := range ackDoc {
			f.P(l)
		}
		f.P("func (f *Fake) Handle", o.Method, "(h func(ctx ", f.Q(identContext), ", req ", t, ") error) {")
	} else {
		f.P("// the request as the client sent it and returns the reply (nil: the")
		f.P("// kernel only acknowledges), or an error that becomes the kernel's")
		f.P("// error ACK. nil removes the handler.")
		f.P("func (f *Fake) Handle", o.Method, "(h func(ctx ", f.Q(identContext), ", req ", t, ") (", t, ", error)) {")
	}
	f.P("if h == nil {")
	f.P("f.ops.Set(", key, "(", pkg, ".", o.Cmd, "), false, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(", key, "(", pkg, ".", o.Cmd, "), false, func(", g.fakeCtx(f), ") ([]", rep, ", error) {")
	g.fakeDecode(f, o)
	if o.op.Do.Reply == nil {
		f.P("return nil, h(ctx, req)")
	} else {
		f.P("rep, err := h(ctx, req)")
		f.P("if err != nil || rep == nil {")
		f.P("return nil, err")
		f.P("}")
		r := g.fakeMessage(f, o, key, rawReplyID(o), "rep")
		f.P("return []", rep, "{", r, "}, nil")
	}
	f.P("})")
	f.P("}")
	f.P()
}

// emitFakeDumpOf writes the typed handler setter of o's dump; doc is its
// doc after "h gets the".
func (g *gen) emitFakeDumpOf(f *GeneratedFile, o *goOp, key string, doc []string) {
	pkg := g.opts.Package
	t := "*" + pkg + "." + o.set.Name
	rep := f.Q(GoIdent{genltestPath, "Reply"})
	f.P("// Handle", o.Dump, " sets the handler of ", o.op.Name, " dumps: h gets the")
	for _, l := range doc {
		f.P(l)
	}
	f.P("func (f *Fake) Handle", o.Dump, "(h func(ctx ", f.Q(identContext), ", req ", t, ") ([]", t, ", error)) {")
	f.P("if h == nil {")
	f.P("f.ops.Set(", key, "(", pkg, ".", o.Cmd, "), true, nil)")
	f.P("return")
	f.P("}")
	f.P("f.ops.Set(", key, "(", pkg, ".", o.Cmd, "), true, func(", g.fakeCtx(f), ") ([]", rep, ", error) {")
	g.fakeDecode(f, o)
	f.P("objs, err := h(ctx, req)")
	f.P("out := make([]", rep, ", 0, len(objs))")
	f.P("for _, m := range objs {")
	r := g.fakeMessage(f, o, key, rawReplyID(o), "m")
	f.P("out = append(out, ", r, ")")
	f.P("}")
	f.P("return out, err")
	f.P("})")
	f.P("}")
	f.P()
}
