package codegen

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

var (
	identRequestFlag = GoIdent{genlPath, "RequestFlag"}
	identDumpOption  = GoIdent{genlPath, "DumpOption"}
)

// emitRawClient writes zclient.go of a netlink-raw family: the Client
// over a genl.RawConn with one method per do and dump op, the layouts of
// the fixed headers for error paths, typed notifications, Subscribe, and,
// for nfnetlink families with batch ops, the Batch builder.
func (g *gen) emitRawClient(f *GeneratedFile) {
	f.PSource(strings.ReplaceAll(rawClientSrc, "FAMILY", g.f.Name), "context", "errors", "fmt", "iter", genlPath)
	g.emitHeaderMethods(f)
	g.emitLayouts(f)
	// batch-begin and batch-end mean nothing alone: Batch sends them.
	begin, end, _ := g.batchOps()
	for _, o := range g.ops {
		if o.set == nil || begin != nil && (o == begin || o == end) {
			continue
		}
		if o.Method != "" {
			g.emitRawDo(f, o)
		}
		if o.Dump != "" {
			g.emitRawDump(f, o)
		}
	}
	g.emitRawNotifications(f)
	g.emitRawBatch(f)
}

// layoutName is the variable holding a fixed header's genl.HeaderLayout.
func layoutName(d *goDef) string { return lowerName(d.d.Name) + "Layout" }

// emitLayouts writes a genl.HeaderLayout per fixed header the ops send.
func (g *gen) emitLayouts(f *GeneratedFile) {
	seen := map[*goDef]bool{}
	for _, o := range g.ops {
		d := o.header
		if d == nil || seen[d] {
			continue
		}
		seen[d] = true
		f.P("// ", layoutName(d), " names the fields of ", d.Name, " in kernel error paths.")
		f.P("var ", layoutName(d), " = &", genlQ(f, "HeaderLayout"), "{Name: ", strconv.Quote(d.d.Name), ", Fields: []", genlQ(f, "HeaderField"), "{")
		for _, m := range d.d.Members {
			if m.Type == "pad" {
				continue
			}
			f.P("{Name: ", strconv.Quote(m.Name), ", Offset: ", m.Offset, ", Size: ", m.Size, "},")
		}
		f.P("}}")
		f.P()
	}
}

// rawHeader returns an op's fixed header bytes, layout and wire length.
func (g *gen) rawHeader(o *goOp, req string) (hdr, layout, hdrLen string) {
	hdr, hdrLen = g.opHeader(o, req)
	layout = "nil"
	if o.header != nil {
		layout = layoutName(o.header)
	}
	return hdr, layout, hdrLen
}

func (g *gen) emitRawDo(f *GeneratedFile, o *goOp) {
	op, gs := o.op, o.set
	hasReply := op.Do.Reply != nil
	first := fmt.Sprintf("%s sends the %s request.", o.Method, op.Name)
	if hasReply {
		first = fmt.Sprintf("%s sends the %s request and returns the kernel's reply.", o.Method, op.Name)
	}
	for _, l := range g.opDoc(o, first, op.Do) {
		f.P(l)
	}
	hdr, layout, hdrLen := g.rawHeader(o, "req")
	params := "ctx " + f.Q(identContext) + ", req *" + gs.Name + ", flags ..." + f.Q(identRequestFlag)
	call := fmt.Sprintf("c.do(ctx, uint16(%s), %q, %s, %s, req, %s, flags)", o.Cmd, op.Name, hdr, layout, gs.table)
	emitDoMethod(f, o, params, call, hdrLen)
}

func (g *gen) emitRawDump(f *GeneratedFile, o *goOp) {
	op, gs := o.op, o.set
	first := fmt.Sprintf("%s dumps %s: it yields each object the kernel reports. Breaking out of the loop ends the dump. With genl.ReuseValues it yields one value, overwritten for each object. The fields of req's fixed header filter the dump where the kernel supports it.", o.Dump, op.Name)
	for _, l := range g.opDoc(o, first, op.Dump) {
		f.P(l)
	}
	hdr, layout, hdrLen := g.rawHeader(o, "req")
	f.P("func (c *Client) ", o.Dump, "(ctx ", f.Q(identContext), ", req *", gs.Name, ", opts ...", f.Q(identDumpOption), ") ", f.Q(identSeq2), "[*", gs.Name, ", error] {")
	f.P("return dump[", gs.Name, "](ctx, c, uint16(", o.Cmd, "), ", strconv.Quote(op.Name), ", ", hdr, ", ", layout, ", ", hdrLen, ", req, ", gs.table, ", opts)")
	f.P("}")
	f.P()
}

// rawMsgType is a message type the kernel may send and the op whose
// layout (fixed header and attribute set) it has.
type rawMsgType struct {
	value int
	o     *goOp
	id    string // the constant naming the type
}

// rawMsgTypes returns the message types a subscription may deliver, by
// value: the kernel multicasts classic netlink changes with the type of
// the request that makes them (RTM_NEWLINK, RTM_DELLINK, NFT_MSG_NEWTABLE),
// which specs often list only as requests or replies. A type several ops
// share takes the layout of its notification, else of the op sent with
// it, else of the op replying with it.
func (g *gen) rawMsgTypes() []rawMsgType {
	seen := map[int]bool{}
	var out []rawMsgType
	add := func(v int, o *goOp, id string) {
		if v != 0 && !seen[v] && o.set != nil && id != "" {
			seen[v] = true
			out = append(out, rawMsgType{v, o, id})
		}
	}
	for _, o := range g.ops {
		if o.op.IsNotification() {
			add(o.op.ReplyValue, o, g.ntfID(o))
		}
	}
	for _, o := range g.ops {
		if !o.op.IsNotification() {
			add(o.op.RequestValue, o, o.Cmd)
		}
	}
	for _, o := range g.ops {
		add(o.op.ReplyValue, o, g.ntfID(o))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].value < out[j].value })
	return out
}

func (g *gen) emitRawNotifications(f *GeneratedFile) {
	types := g.rawMsgTypes()
	f.P("// Notification is a message received on a subscription: what the")
	f.P("// kernel multicasts when an object changes, typed by its message type.")
	f.P("type Notification struct {")
	f.P("// Type is the netlink message type.")
	f.P("Type uint16")
	f.P("// Op names the spec op whose layout the message has, \"\" for a type")
	f.P("// the spec lacks.")
	f.P("Op string")
	f.P("// Msg is the decoded message, by Type:")
	f.P("//")
	for _, t := range types {
		f.P("//   - ", t.id, " (", t.o.op.Name, "): *", t.o.set.Name)
	}
	f.P("//")
	f.P("// It is nil for a type the spec lacks; Raw still holds the message.")
	f.P("Msg any")
	f.P("// Raw is the message as received.")
	f.P("Raw ", genlQ(f, "RawMessage"))
	f.P("}")
	f.P()
	f.P("// DecodeNotification decodes a message received from the family's")
	f.P("// multicast groups. A type the spec lacks is returned undecoded, in")
	f.P("// Raw, without an error.")
	f.P("func DecodeNotification(m ", genlQ(f, "RawMessage"), ") (Notification, error) {")
	f.P("n := Notification{Type: m.Type, Raw: m}")
	if len(types) > 0 {
		f.P("switch m.Type {")
		for _, t := range types {
			_, hdrLen := g.opHeader(t.o, "")
			f.P("case uint16(", t.id, "):")
			f.P("v := new(", t.o.set.Name, ")")
			f.P("n.Op, n.Msg = ", strconv.Quote(t.o.op.Name), ", v")
			f.P("return n, decodeData(", strconv.Quote(t.o.op.Name), ", m.Data, ", hdrLen, ", v)")
		}
		f.P("}")
	}
	f.P("return n, nil")
	f.P("}")
	f.P()
	if len(g.f.MulticastGroups) == 0 {
		return
	}
	f.P("// groupID returns the number of a multicast group.")
	f.P("func groupID(g Group) (uint32, bool) {")
	f.P("switch g {")
	for _, mg := range g.f.MulticastGroups {
		if mg.Value != 0 {
			f.P("case ", g.groups[mg], ":")
			f.P("return ", mg.Value, ", true")
		}
	}
	f.P("}")
	f.P("return 0, false")
	f.P("}")
	f.P()
	f.PSource(rawSubscriptionSrc, "context", "fmt", "iter", genlPath)
}

// batchOps returns the ops of a batch-capable family that change state
// (a do without a reply), with its batch-begin and batch-end ops; nil
// when the spec has no batch-begin and batch-end.
func (g *gen) batchOps() (begin, end *goOp, ops []*goOp) {
	for _, o := range g.ops {
		switch o.op.Name {
		case "batch-begin":
			begin = o
		case "batch-end":
			end = o
		}
	}
	if begin == nil || end == nil || begin.header == nil || begin.Cmd == "" || end.Cmd == "" {
		return nil, nil, nil
	}
	for _, o := range g.ops {
		if o != begin && o != end && o.set != nil && o.Method != "" && o.op.Do.Reply == nil {
			ops = append(ops, o)
		}
	}
	return begin, end, ops
}

// emitRawBatch writes the Batch builder: a method per state-changing op,
// and the batch-begin and batch-end messages, whose fixed header's res-id
// names the subsystem of the batch's ops (the high byte of their type).
func (g *gen) emitRawBatch(f *GeneratedFile) {
	begin, end, ops := g.batchOps()
	if len(ops) == 0 {
		return
	}
	resID := ""
	for i, m := range begin.header.d.Members {
		if m.Name == "res-id" {
			resID = begin.header.Members[i]
		}
	}
	if resID == "" {
		return
	}
	f.PSource(rawBatchSrc, "context", "fmt", genlPath)
	f.P("const (")
	f.P("batchBeginType = uint16(", begin.Cmd, ")")
	f.P("batchEndType = uint16(", end.Cmd, ")")
	f.P("batchBeginOp = ", strconv.Quote(begin.op.Name))
	f.P("batchEndOp = ", strconv.Quote(end.op.Name))
	f.P(")")
	f.P()
	subsys := g.requestValue(ops[0].op) >> 8
	f.P("// batchHeader is the fixed header of batch-begin and batch-end: res-id")
	f.P("// names the subsystem the batch is for.")
	f.P("func batchHeader() []byte {")
	f.P("b := make([]byte, ", begin.header.Size, ")")
	f.P("h := ", begin.header.Name, "{", resID, ": ", subsys, "}")
	f.P("h.put(b)")
	f.P("return b")
	f.P("}")
	f.P()
	for _, o := range ops {
		hdr, layout, _ := g.rawHeader(o, "req")
		f.P("// ", o.Method, " adds a ", o.op.Name, " request to the batch.")
		f.P("func (b *Batch) ", o.Method, "(req *", o.set.Name, ", flags ...", f.Q(identRequestFlag), ") *Batch {")
		f.P("return b.add(uint16(", o.Cmd, "), ", strconv.Quote(o.op.Name), ", ", hdr, ", ", layout, ", req, ", o.set.table, ", flags)")
		f.P("}")
		f.P()
	}
}
