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
	g.emitClientType(f)
	g.emitClientHelpers(f)
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

func (g *gen) emitClientType(f *GeneratedFile) {
	ctx, conn := f.Q(identContext), genlQ(f, "Conn")
	f.P("// Client sends the ", g.f.Name, " family's operations over a genl.Conn.")
	f.P("// It is safe for concurrent use.")
	f.P("//")
	f.P("// Requests are checked against the spec (their Validate method) before")
	f.P("// they are sent; set NoValidate, or use genl.WithoutValidation for one")
	f.P("// call, to send them as they are. genl.WithFlags adds request flags")
	f.P("// (create, excl, replace, append) to a call.")
	f.P("type Client struct {")
	f.P("conn *", conn)
	f.P("own  bool")
	f.P()
	f.P("// NoValidate turns off the check of requests against the spec.")
	f.P("NoValidate bool")
	f.P("}")
	f.P()
	f.P("// Dial opens a generic netlink connection and returns a client over it;")
	f.P("// Close closes the connection. opts may be nil.")
	f.P("func Dial(ctx ", ctx, ", opts *", genlQ(f, "DialOptions"), ") (*Client, error) {")
	f.P("c, err := ", genlQ(f, "Dial"), "(ctx, opts)")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return &Client{conn: c, own: true}, nil")
	f.P("}")
	f.P()
	f.P("// New returns a client over an existing connection, which Close leaves open.")
	f.P("func New(c *", conn, ") *Client { return &Client{conn: c} }")
	f.P()
	f.P("// Conn returns the client's connection.")
	f.P("func (c *Client) Conn() *", conn, " { return c.conn }")
	f.P()
	f.P("// Close closes the connection if Dial opened it.")
	f.P("func (c *Client) Close() error {")
	f.P("if c.own {")
	f.P("return c.conn.Close()")
	f.P("}")
	f.P("return nil")
	f.P("}")
	f.P()
}

func (g *gen) emitClientHelpers(f *GeneratedFile) {
	ctx, enc := f.Q(identContext), genlQ(f, "Encoder")
	f.P("// message is an attribute-set struct sent in a request.")
	f.P("type message interface {")
	f.P("Encode(*", enc, ")")
	f.P("Validate() error")
	f.P("}")
	f.P()
	f.P("// request builds the request of an op: validated, then encoded after")
	f.P("// the fixed header hdr. m may be nil.")
	f.P("func (c *Client) request(ctx ", ctx, ", cmd Cmd, op string, hdr []byte, m message, names *", genlQ(f, "NameTable"), ") (*", genlQ(f, "Request"), ", error) {")
	f.P("var e ", enc)
	f.P("if m != nil {")
	f.P("if !c.NoValidate && !", genlQ(f, "ValidationDisabled"), "(ctx) {")
	f.P("if err := m.Validate(); err != nil {")
	f.P("return nil, opError(op, err)")
	f.P("}")
	f.P("}")
	f.P("m.Encode(&e)")
	f.P("if err := e.Err(); err != nil {")
	f.P("return nil, opError(op, err)")
	f.P("}")
	f.P("}")
	f.P("return &", genlQ(f, "Request"), "{")
	f.P("Family:  FamilyName,")
	f.P("Command: uint8(cmd),")
	f.P("Flags:   ", genlQ(f, "FlagsFrom"), "(ctx),")
	f.P("Header:  hdr,")
	f.P("Attrs:   e.Bytes(),")
	f.P("OpName:  op,")
	f.P("Names:   names,")
	f.P("}, nil")
	f.P("}")
	f.P()
	f.P("// do sends a request and waits for its replies and ACK.")
	f.P("func (c *Client) do(ctx ", ctx, ", cmd Cmd, op string, hdr []byte, m message, names *", genlQ(f, "NameTable"), ") ([]", genlQ(f, "Message"), ", error) {")
	f.P("r, err := c.request(ctx, cmd, op, hdr, m, names)")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return c.conn.Do(ctx, r)")
	f.P("}")
	f.P()
	g.emitDecodeHelpers(f)
}

func (g *gen) emitDecodeHelpers(f *GeneratedFile) {
	ctx, msg := f.Q(identContext), genlQ(f, "Message")
	errorf := f.Q(GoIdent{"fmt", "Errorf"})
	f.P("// decoder is an attribute-set struct received in a reply.")
	f.P("type decoder interface {")
	f.P("Decode([]byte) error")
	f.P("}")
	f.P()
	f.P("// headerDecoder is a struct whose messages carry a fixed header.")
	f.P("type headerDecoder interface {")
	f.P("decodeHeader([]byte)")
	f.P("}")
	f.P()
	f.P("// decodeData decodes a message's data: hdrLen bytes of fixed header,")
	f.P("// then the attributes.")
	f.P("func decodeData(op string, b []byte, hdrLen int, m decoder) error {")
	f.P("if len(b) < hdrLen {")
	f.P("return opError(op, ", errorf, "(\"message of %d bytes is shorter than its %d-byte fixed header\", len(b), hdrLen))")
	f.P("}")
	f.P("if h, ok := m.(headerDecoder); ok && hdrLen > 0 {")
	f.P("h.decodeHeader(b)")
	f.P("}")
	f.P("if err := m.Decode(b[hdrLen:]); err != nil {")
	f.P("return opError(op, err)")
	f.P("}")
	f.P("return nil")
	f.P("}")
	f.P()
	f.P("// decodeReply decodes the first reply of a do op into m.")
	f.P("func decodeReply(op string, msgs []", msg, ", hdrLen int, m decoder) error {")
	f.P("if len(msgs) == 0 {")
	f.P("return opError(op, ", f.Q(GoIdent{"errors", "New"}), "(\"the kernel sent no reply\"))")
	f.P("}")
	f.P("return decodeData(op, msgs[0].Data, hdrLen, m)")
	f.P("}")
	f.P()
	f.P("// opError prefixes err with the family and op names.")
	f.P("func opError(op string, err error) error {")
	f.P("return ", errorf, "(\"%s %s: %w\", FamilyName, op, err)")
	f.P("}")
	f.P()
	f.P("// dump sends a dump request and yields each decoded reply.")
	f.P("func dump[T any, P interface {")
	f.P("*T")
	f.P("decoder")
	f.P("}](ctx ", ctx, ", c *Client, cmd Cmd, op string, hdr []byte, hdrLen int, m message, names *", genlQ(f, "NameTable"), ") ", f.Q(identSeq2), "[*T, error] {")
	f.P("return func(yield func(*T, error) bool) {")
	f.P("r, err := c.request(ctx, cmd, op, hdr, m, names)")
	f.P("if err != nil {")
	f.P("yield(nil, err)")
	f.P("return")
	f.P("}")
	f.P("for msg, err := range c.conn.Dump(ctx, r) {")
	f.P("if err != nil {")
	f.P("if !yield(nil, err) {")
	f.P("return")
	f.P("}")
	f.P("continue")
	f.P("}")
	f.P("v := P(new(T))")
	f.P("if err := decodeData(op, msg.Data, hdrLen, v); err != nil {")
	f.P("if !yield(nil, err) {")
	f.P("return")
	f.P("}")
	f.P("continue")
	f.P("}")
	f.P("if !yield(v, nil) {")
	f.P("return")
	f.P("}")
	f.P("}")
	f.P("}")
	f.P("}")
	f.P()
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
	if !hasReply {
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
	f.P("if err := decodeReply(", strconv.Quote(op.Name), ", msgs, ", hdrLen, ", rep); err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return rep, nil")
	f.P("}")
	f.P()
}

func (g *gen) emitDump(f *GeneratedFile, o *goOp) {
	op, gs := o.op, o.set
	first := fmt.Sprintf("%s dumps %s: it yields each object the kernel reports. Breaking out of the loop ends the dump.", o.Dump, op.Name)
	for _, l := range g.opDoc(o, first, op.Dump) {
		f.P(l)
	}
	hdr, hdrLen := g.opHeader(o, "req")
	f.P("func (c *Client) ", o.Dump, "(ctx ", f.Q(identContext), ", req *", gs.Name, ") ", f.Q(identSeq2), "[*", gs.Name, ", error] {")
	f.P("return dump[", gs.Name, "](ctx, c, ", o.Cmd, ", ", strconv.Quote(op.Name), ", ", hdr, ", ", hdrLen, ", req, ", gs.table, ")")
	f.P("}")
	f.P()
}
