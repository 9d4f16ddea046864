package codegen

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

var (
	identContext = GoIdent{"context", "Context"}
	identSeq2    = GoIdent{"iter", "Seq2"}
)

// emitClient writes zclient.go: the Client with one method per do and
// dump operation, and subscriptions with typed notifications.
func (g *gen) emitClient(f *GeneratedFile) {
	f.PSource(strings.ReplaceAll(clientSrc, "FAMILY", g.f.Name), "context", "errors", "fmt", "iter", genlPath)
	g.emitHeaderMethods(f)
	for _, o := range g.ops {
		if o.set == nil {
			continue
		}
		if o.Method != "" {
			g.emitDo(f, o)
		}
		if o.Dump != "" {
			g.emitDump(f, o)
		}
	}
	g.emitNotifications(f)
}

// emitHeaderMethods writes the fixed-header helpers of sets that carry one.
func (g *gen) emitHeaderMethods(f *GeneratedFile) {
	for _, gs := range g.setList {
		if gs.Header == nil {
			continue
		}
		h := gs.Header
		f.P("// encodeHeader returns the fixed header of a request carrying m.")
		f.P("func (m *", gs.Name, ") encodeHeader() []byte {")
		f.P("b := make([]byte, ", h.Size, ")")
		f.P("if m != nil {")
		f.P("m.", gs.HeaderField, ".put(b)")
		f.P("}")
		f.P("return b")
		f.P("}")
		f.P()
		f.P("func (m *", gs.Name, ") decodeHeader(b []byte) { m.", gs.HeaderField, ".get(b) }")
		f.P()
	}
}

// opHeader returns the expressions of an op's fixed header bytes and of
// its length on the wire (aligned to 4).
func (g *gen) opHeader(o *goOp, req string) (hdr, hdrLen string) {
	if o.header == nil {
		return "nil", "0"
	}
	n := strconv.Itoa((o.header.d.Size + 3) &^ 3)
	if o.set.Header == o.header {
		return req + ".encodeHeader()", n
	}
	return "make([]byte, " + o.header.Size + ")", n
}

// opDoc returns an op's doc comment: what the method does, the spec doc,
// the attributes it sends and receives and the privileges it needs.
func (g *gen) opDoc(o *goOp, first string, mode *family.OpMode) []string {
	out := docLines(first, o.op.Doc)
	var notes []string
	if mode != nil && mode.Request != nil && len(mode.Request.Attributes) > 0 {
		notes = append(notes, "Request attributes: "+g.attrList(o.set, mode.Request.Attributes)+".")
	}
	if mode != nil && mode.Reply != nil && len(mode.Reply.Attributes) > 0 {
		notes = append(notes, "Reply attributes: "+g.attrList(o.set, mode.Reply.Attributes)+".")
	}
	if slices.Contains(o.op.Flags, "admin-perm") {
		notes = append(notes, "The kernel requires CAP_NET_ADMIN.")
	} else if slices.Contains(o.op.Flags, "uns-admin-perm") {
		notes = append(notes, "The kernel requires CAP_NET_ADMIN in the network namespace's user namespace.")
	}
	for _, n := range notes {
		out = append(out, "//")
		out = append(out, comment(n)...)
	}
	return out
}

// attrList names attributes by their Go field names.
func (g *gen) attrList(gs *goSet, attrs []*family.Attr) string {
	var names []string
	for _, a := range attrs {
		name := a.Name
		for _, fl := range gs.Fields {
			if fl.a.Name == a.Name {
				name = fl.Name
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

func (g *gen) emitDo(f *GeneratedFile, o *goOp) {
	op, gs := o.op, o.set
	takesReq := op.Do.Request != nil || o.header != nil
	hasReply := op.Do.Reply != nil
	first := fmt.Sprintf("%s sends the %s command.", o.Method, op.Name)
	if hasReply {
		first = fmt.Sprintf("%s sends the %s command and returns the kernel's reply.", o.Method, op.Name)
	}
	for _, l := range g.opDoc(o, first, op.Do) {
		f.P(l)
	}
	params := "ctx " + f.Q(identContext)
	req := "(*" + gs.Name + ")(nil)"
	if takesReq {
		params += ", req *" + gs.Name
		req = "req"
	}
	hdr, hdrLen := g.opHeader(o, req)
	call := fmt.Sprintf("c.do(ctx, %s, %q, %s, %s, %s)", o.Cmd, op.Name, hdr, req, gs.table)
	emitDoMethod(f, o, params, call, hdrLen)
}

func (g *gen) emitDump(f *GeneratedFile, o *goOp) {
	op, gs := o.op, o.set
	first := fmt.Sprintf("%s dumps %s: it yields each object the kernel reports. Breaking out of the loop ends the dump. With genl.ReuseValues it yields one value, overwritten for each object.", o.Dump, op.Name)
	nests := g.dumpNests(o)
	if len(nests) > 0 {
		first += fmt.Sprintf(" The request always carries %s: a nil request, or one that leaves it nil, sends it empty (the caller's request is not changed).", joinFieldNames(nests))
	}
	for _, l := range g.opDoc(o, first, op.Dump) {
		f.P(l)
	}
	hdr, hdrLen := g.opHeader(o, "req")
	f.P("func (c *Client) ", o.Dump, "(ctx ", f.Q(identContext), ", req *", gs.Name, ", opts ...", f.Q(identDumpOption), ") ", f.Q(identSeq2), "[*", gs.Name, ", error] {")
	if len(nests) > 0 {
		var cond []string
		for _, fl := range nests {
			cond = append(cond, "req."+fl.Name+" == nil")
		}
		f.P("if req == nil || ", strings.Join(cond, " || "), " {")
		f.P("r := new(", gs.Name, ")")
		f.P("if req != nil {")
		f.P("*r = *req")
		f.P("}")
		for _, fl := range nests {
			f.P("if r.", fl.Name, " == nil {")
			f.P("r.", fl.Name, " = new(", fl.el.goType(f), ")")
			f.P("}")
		}
		f.P("req = r")
		f.P("}")
	}
	f.P("return dump[", gs.Name, "](ctx, c, ", o.Cmd, ", ", strconv.Quote(op.Name), ", ", hdr, ", ", hdrLen, ", req, ", gs.table, ", opts)")
	f.P("}")
	f.P()
}

// emitDoMethod writes the method of o's do: params are its parameters,
// call the expression sending the request and returning the replies, and
// hdrLen the length of the fixed header a reply starts with.
func emitDoMethod(f *GeneratedFile, o *goOp, params, call, hdrLen string) {
	gs := o.set
	if o.op.Do.Reply == nil {
		f.P("func (c *Client) ", o.Method, "(", params, ") error {")
		f.P("_, err := ", call)
		f.P("return err")
		f.P("}")
		f.P()
		return
	}
	f.P("func (c *Client) ", o.Method, "(", params, ") (*", gs.Name, ", error) {")
	f.P("msgs, err := ", call)
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("rep := new(", gs.Name, ")")
	f.P("if err := decodeReply(", strconv.Quote(o.op.Name), ", msgs, ", hdrLen, ", rep); err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return rep, nil")
	f.P("}")
	f.P()
}

// dumpNests returns the fields of o's dump request that Options.DumpNests
// names, in the set's order.
func (g *gen) dumpNests(o *goOp) []*goField {
	if len(g.opts.DumpNests) == 0 || o.op.Dump == nil || o.op.Dump.Request == nil {
		return nil
	}
	var out []*goField
	for _, fl := range o.set.Fields {
		if slices.Contains(g.opts.DumpNests, fl.a.Name) && slices.Contains(o.op.Dump.Request.Attributes, fl.a) &&
			fl.shape == shSingle && fl.el.kind == ekNest {
			out = append(out, fl)
		}
	}
	return out
}

// checkDumpNests fails when a name of Options.DumpNests is not a nest
// attribute of any dump's request (a misspelled flag would otherwise
// change nothing, silently).
func (g *gen) checkDumpNests() error {
	if len(g.opts.DumpNests) > 0 && !g.f.Protocol.IsGenetlink() {
		return fmt.Errorf("dump nests %q: only generic netlink clients take them, family %q is %s", g.opts.DumpNests, g.f.Name, g.f.Protocol)
	}
	for _, name := range g.opts.DumpNests {
		found := false
		for _, o := range g.ops {
			if o.set == nil || o.Dump == "" {
				continue
			}
			for _, fl := range g.dumpNests(o) {
				found = found || fl.a.Name == name
			}
		}
		if !found {
			return fmt.Errorf("dump nest %q: no dump request of family %q carries a nest attribute of that name", name, g.f.Name)
		}
	}
	return nil
}

// joinFieldNames lists fields' names for a comment: "A", "A and B".
func joinFieldNames(fls []*goField) string {
	names := make([]string, len(fls))
	for i, fl := range fls {
		names[i] = fl.Name
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
