package family

// subMessageNames creates the sub-messages so attributes can refer to them;
// their formats are resolved once the attribute sets exist.
func (l *loader) subMessageNames(root *node) {
	for i, n := range l.seq(root, "sub-messages", "") {
		path := itemPath("sub-messages", n, i, "name")
		if !l.checkObj(n, path, objSubMessage) {
			continue
		}
		sm := &SubMessage{Name: l.str(n, "name", path), Doc: l.str(n, "doc", path), Pos: n.pos}
		if sm.Name == "" {
			continue
		}
		if l.subs[sm.Name] != nil {
			l.add(n.get("name"), path, "sub-message %q is defined more than once", sm.Name)
			continue
		}
		l.subs[sm.Name] = sm
		l.subNodes = append(l.subNodes, n)
		l.f.SubMessages = append(l.f.SubMessages, sm)
	}
}

// subMessageFormats resolves each format's fixed header and attribute set.
func (l *loader) subMessageFormats() {
	for k, sm := range l.f.SubMessages {
		n := l.subNodes[k]
		path := "sub-messages[" + sm.Name + "]"
		seen := map[string]bool{}
		for i, fn := range l.seq(n, "formats", path) {
			fpath := itemPath(path+".formats", fn, i, "value")
			if !l.checkObj(fn, fpath, objFormat) {
				continue
			}
			f := &Format{Value: l.str(fn, "value", fpath), Pos: fn.pos}
			if name := l.str(fn, "fixed-header", fpath); name != "" {
				f.FixedHeader = l.structRef(fn.get("fixed-header"), fpath, "fixed-header", name)
			}
			if name := l.str(fn, "attribute-set", fpath); name != "" {
				if f.AttrSet = l.sets[name]; f.AttrSet == nil {
					l.add(fn.get("attribute-set"), fpath, "attribute-set %q is not defined", name)
				}
			}
			if f.Value == "" {
				continue
			}
			if seen[f.Value] {
				l.add(fn.get("value"), fpath, "format %q is defined more than once", f.Value)
				continue
			}
			seen[f.Value] = true
			sm.Formats = append(sm.Formats, f)
		}
	}
}

// mcastGroups resolves the multicast groups.
func (l *loader) mcastGroups(root *node) {
	mg := root.get("mcast-groups")
	if mg == nil || !l.checkObj(mg, "mcast-groups", objMcastGroups) {
		return
	}
	values := map[int]string{}
	for i, n := range l.seq(mg, "list", "mcast-groups") {
		path := itemPath("mcast-groups.list", n, i, "name")
		if !l.checkObj(n, path, objMcastGroup) {
			continue
		}
		l.checkName(n, path, patMcastName)
		g := &McastGroup{
			Name:  l.str(n, "name", path),
			CName: l.str(n, "c-define-name", path),
			Flags: l.enumList(n, "flags", path, "op-flags"),
			Pos:   n.pos,
		}
		if g.Name == "" {
			continue
		}
		if l.groups[g.Name] != nil {
			l.add(n.get("name"), path, "multicast group %q is defined more than once", g.Name)
			continue
		}
		if v, ok := l.smallInt(n, "value", path, 1<<31-1); ok {
			g.Value = v
			if other, dup := values[v]; dup {
				l.add(n.get("value"), path, "multicast group %q has the same value (%d) as %q", g.Name, v, other)
			}
			values[v] = g.Name
		}
		l.groups[g.Name] = g
		l.f.MulticastGroups = append(l.f.MulticastGroups, g)
	}
}

// operations resolves the operations section: the ops and their modes,
// then their ids, then their references.
func (l *loader) operations(root *node) {
	on := root.get("operations")
	ops := l.f.Operations
	ops.Model = "unified"
	if on == nil || !l.checkObj(on, "operations", objOperations) {
		return
	}
	const path = "operations"
	if m := l.enum(on, "enum-model", path, "enum-model"); m != "" {
		ops.Model = m
	}
	ops.NamePrefix = l.str(on, "name-prefix", path)
	ops.EnumName, ops.NoEnumName = l.strOrNull(on, "enum-name", path)
	ops.AsyncPrefix = l.str(on, "async-prefix", path)
	ops.AsyncEnum, ops.NoAsyncEnum = l.strOrNull(on, "async-enum", path)
	if name := l.str(on, "fixed-header", path); name != "" {
		ops.FixedHeader = l.structRef(on.get("fixed-header"), path, "fixed-header", name)
	}
	byName := map[string]*Op{}
	for i, n := range l.seq(on, "list", path) {
		opath := itemPath("operations.list", n, i, "name")
		if !l.checkObj(n, opath, objOp) {
			continue
		}
		l.checkName(n, opath, patItemName)
		op := &Op{Name: l.str(n, "name", opath), Doc: l.str(n, "doc", opath), Pos: n.pos}
		if op.Name == "" {
			continue
		}
		if byName[op.Name] != nil {
			l.add(n.get("name"), opath, "operation %q is defined more than once", op.Name)
			continue
		}
		byName[op.Name] = op
		l.opNodes[op] = n
		ops.List = append(ops.List, op)
	}
	if ops.Directional() {
		l.numberDirectional()
	} else {
		l.numberUnified()
	}
	l.checkOpValues()
	for _, op := range ops.List {
		l.opRefs(op, byName)
	}
}

// numberUnified gives every op one id: the first is 1 unless it has a
// value, each next one the previous plus one. Notifications use the id
// only for what the kernel sends.
func (l *loader) numberUnified() {
	val := 1
	for _, op := range l.f.Operations.List {
		n := l.opNodes[op]
		opath := "operations.list[" + op.Name + "]"
		if v, ok := l.smallInt(n, "value", opath, int64(l.maxOpValue())); ok {
			val = v
		}
		if !n.has("value") {
			l.implicitID(op, n, val)
		}
		op.Value = val
		op.ReplyValue = val
		if !isNotify(n) {
			op.RequestValue = val
		}
		val++
	}
}

// isNotify reports whether an op mapping is a notification or event.
func isNotify(n *node) bool { return n.has("notify") || n.has("event") }

// numberDirectional numbers requests and replies apart, as the kernel's
// tools do: a notification or event takes the next reply id (or its own
// value); a do/dump op takes the next request id and, when its do (or, with
// no do, its dump) has a reply, the next reply id; an explicit non-zero
// request or reply value resets that counter.
func (l *loader) numberDirectional() {
	req, rsp := 1, 1
	for _, op := range l.f.Operations.List {
		n := l.opNodes[op]
		opath := "operations.list[" + op.Name + "]"
		switch {
		case isNotify(n):
			if v, ok := l.smallInt(n, "value", opath, int64(l.maxOpValue())); ok {
				rsp = v
			} else if !n.has("value") {
				l.implicitID(op, n, rsp)
			}
			op.ReplyValue = rsp
			rsp++
		case n.has("do") || n.has("dump"):
			key := "do"
			if !n.has("do") {
				key = "dump"
			}
			mode := n.get(key)
			if v, ok := l.smallInt(mode.get("request"), "value", opath+"."+key+".request", int64(l.maxOpValue())); ok && v != 0 {
				req = v
			}
			if v, ok := l.smallInt(mode.get("reply"), "value", opath+"."+key+".reply", int64(l.maxOpValue())); ok && v != 0 {
				rsp = v
			}
			if !mode.get("request").has("value") {
				l.implicitID(op, n, req)
			}
			op.RequestValue = req
			req++
			if mode.has("reply") {
				if !mode.get("reply").has("value") {
					l.implicitID(op, n, rsp)
				}
				op.ReplyValue = rsp
				rsp++
			}
		default:
			l.add(n, opath, "an operation of the directional model needs do, dump, notify or event")
			continue
		}
		op.Value = op.RequestValue
		l.explicitIDs(op)
		if op.Value == 0 {
			op.Value = op.ReplyValue
		}
	}
}

// explicitIDs records the resolved ids in the request and reply blocks of
// the mode that numbers a directional op, so they are explicit in the model
// (and in its Descriptor). It runs before the blocks are resolved, so it
// stores them for opMessage.
func (l *loader) explicitIDs(op *Op) {
	l.msgIDs[op] = [2]int{op.RequestValue, op.ReplyValue}
}

// maxOpValue is the largest message id: a genetlink command is 8 bits
// (genlmsghdr.cmd), a classic netlink message type 16 (nlmsg_type).
func (l *loader) maxOpValue() int {
	if l.proto.IsGenetlink() {
		return 0xff
	}
	return 0xffff
}

// nlmsgMinType is NLMSG_MIN_TYPE: the netlink message types below it are
// the core's control messages (NLMSG_NOOP 1, NLMSG_ERROR 2, NLMSG_DONE 3,
// NLMSG_OVERRUN 4, the rest reserved), which no family can own.
const nlmsgMinType = 0x10

// implicitID reports an id that numbering gave past the largest (a value
// given in the spec is checked where it is read).
func (l *loader) implicitID(op *Op, n *node, v int) {
	if v > l.maxOpValue() {
		l.add(n, "operations.list["+op.Name+"]", "operation %q is numbered %d, past the largest %s %d", op.Name, v, l.opIDKind(), l.maxOpValue())
	}
}

// checkRawIDs reports a netlink-raw id among the control message types.
// In the directional model 0 means the op has no such message.
func (l *loader) checkRawIDs(op *Op) {
	if l.proto.IsGenetlink() {
		return
	}
	for _, v := range []int{op.RequestValue, op.ReplyValue} {
		if v < nlmsgMinType && (v != 0 || !l.f.Operations.Directional()) {
			l.add(valueNode(l.opNodes[op]), "operations.list["+op.Name+"]", "operation %q has message type %d, which is reserved for netlink control messages (types below NLMSG_MIN_TYPE %d: NOOP 1, ERROR 2, DONE 3, OVERRUN 4)", op.Name, v, nlmsgMinType)
			return
		}
	}
}

// opIDKind names what an op id is on the wire, for messages.
func (l *loader) opIDKind() string {
	if l.proto.IsGenetlink() {
		return "genetlink command"
	}
	return "netlink message type"
}

// checkOpValues reports ops that share an id: in the unified model any two
// ops, in the directional model two requests. Replies may share an id in
// the directional model: rtnetlink answers a get with the message type of
// the new-object notification.
func (l *loader) checkOpValues() {
	reqs := map[int]*Op{}
	for _, op := range l.f.Operations.List {
		opath := "operations.list[" + op.Name + "]"
		at := l.opNodes[op]
		l.checkRawIDs(op)
		if !l.f.Operations.Directional() {
			if other := reqs[op.Value]; other != nil {
				l.add(valueNode(at), opath, "operation %q has the same value (%d) as %q", op.Name, op.Value, other.Name)
			}
			reqs[op.Value] = op
			continue
		}
		if v := op.RequestValue; v != 0 {
			if other := reqs[v]; other != nil {
				l.add(at, opath, "operation %q has the same request value (%d) as %q", op.Name, v, other.Name)
			}
			reqs[v] = op
		}
	}
}

// valueNode is the node of an op's value, else the op.
func valueNode(n *node) *node {
	if v := n.get("value"); v != nil {
		return v
	}
	return n
}

// opRefs resolves an op's attribute set, modes, notify target, event,
// multicast group, fixed header and flags.
func (l *loader) opRefs(op *Op, byName map[string]*Op) {
	n := l.opNodes[op]
	path := "operations.list[" + op.Name + "]"
	op.Flags = l.enumList(n, "flags", path, "op-flags")
	op.DontValidate = l.enumList(n, "dont-validate", path, "dont-validate")
	op.ConfigCond = l.str(n, "config-cond", path)
	op.FixedHeader = l.f.Operations.FixedHeader
	if name := l.str(n, "fixed-header", path); name != "" {
		op.FixedHeader = l.structRef(n.get("fixed-header"), path, "fixed-header", name)
	}
	if name := l.str(n, "attribute-set", path); name != "" {
		if op.AttrSet = l.sets[name]; op.AttrSet == nil {
			l.add(n.get("attribute-set"), path, "attribute-set %q is not defined", name)
		}
	}
	if name := l.str(n, "notify", path); name != "" {
		op.Notify = byName[name]
		if op.Notify == nil {
			l.add(n.get("notify"), path, "notify %q is not an operation", name)
		} else if op.AttrSet == nil && !n.has("attribute-set") {
			op.AttrSet = l.notifySet(op.Notify, byName)
		}
	}
	if name := l.str(n, "mcgrp", path); name != "" {
		if op.Mcgrp = l.groups[name]; op.Mcgrp == nil {
			l.add(n.get("mcgrp"), path, "mcgrp %q is not a multicast group", name)
		}
	}
	op.Do = l.opMode(op, n.get("do"), path+".do")
	op.Dump = l.opMode(op, n.get("dump"), path+".dump")
	if ids, ok := l.msgIDs[op]; ok {
		m := op.Do
		if m == nil {
			m = op.Dump
		}
		if m != nil && m.Request != nil {
			m.Request.Value = ids[0]
		}
		if m != nil && m.Reply != nil {
			m.Reply.Value = ids[1]
		}
	}
	if ev := n.get("event"); ev != nil && l.checkObj(ev, path+".event", objEvent) {
		op.Event = &OpMessage{Pos: ev.pos}
		op.Event.Attributes = l.attrList(op, ev, path+".event")
	}
}

// notifySet returns the attribute set of the op a notification notifies,
// following chains of notifications.
func (l *loader) notifySet(op *Op, byName map[string]*Op) *AttrSet {
	for range 8 {
		n := l.opNodes[op]
		if name := n.get("attribute-set").str(); name != "" {
			return l.sets[name]
		}
		t := byName[n.get("notify").str()]
		if t == nil {
			return nil
		}
		op = t
	}
	return nil
}

// opMode resolves a do or dump block.
func (l *loader) opMode(op *Op, n *node, path string) *OpMode {
	if n == nil || !l.checkObj(n, path, objOpMode) {
		return nil
	}
	m := &OpMode{Pre: l.str(n, "pre", path), Post: l.str(n, "post", path)}
	m.Request = l.opMessage(op, n.get("request"), path+".request")
	m.Reply = l.opMessage(op, n.get("reply"), path+".reply")
	return m
}

// opMessage resolves a request or reply block.
func (l *loader) opMessage(op *Op, n *node, path string) *OpMessage {
	if n == nil || !l.checkObj(n, path, objOpMessage) {
		return nil
	}
	m := &OpMessage{Pos: n.pos}
	if v, ok := l.smallInt(n, "value", path, int64(l.maxOpValue())); ok {
		m.Value = v
	}
	m.Attributes = l.attrList(op, n, path)
	return m
}

// attrList resolves the attribute names of a request, reply or event
// against the op's attribute set.
func (l *loader) attrList(op *Op, n *node, path string) []*Attr {
	names := l.strList(n, "attributes", path)
	if len(names) == 0 {
		return nil
	}
	list := n.get("attributes")
	if op.AttrSet == nil {
		if !l.opNodes[op].has("attribute-set") {
			l.add(list, path, "attributes are listed but the operation has no attribute-set")
		}
		return nil
	}
	out := make([]*Attr, 0, len(names))
	for i, name := range names {
		a := op.AttrSet.Attr(name)
		if a == nil {
			at := list
			if i < len(list.items) {
				at = list.items[i]
			}
			l.add(at, path, "attribute %q is not in attribute set %q", name, op.AttrSet.Name)
			continue
		}
		out = append(out, a)
	}
	return out
}
