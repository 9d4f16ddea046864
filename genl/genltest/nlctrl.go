package genltest

import (
	"cmp"
	"slices"
	"syscall"

	"github.com/ynlgo/ynl/genl"
)

// nlctrl commands and attributes (linux/genetlink.h).
const (
	ctrlCmdNewFamily   = 1
	ctrlCmdDelFamily   = 2
	ctrlCmdGetFamily   = 3
	ctrlCmdNewMcastGrp = 7
	ctrlCmdDelMcastGrp = 8
	ctrlCmdGetPolicy   = 10

	ctrlAttrFamilyID   = 1
	ctrlAttrFamilyName = 2
	ctrlAttrVersion    = 3
	ctrlAttrHdrSize    = 4
	ctrlAttrMaxAttr    = 5
	ctrlAttrOps        = 6
	ctrlAttrMcastGrps  = 7

	ctrlAttrOpID    = 1
	ctrlAttrOpFlags = 2

	ctrlAttrMcastGrpName = 1
	ctrlAttrMcastGrpID   = 2
)

// ctrlHandler returns nlctrl's handler for req, or nil.
func (k *Kernel) ctrlHandler(req Request) Handler {
	switch {
	case req.Command == ctrlCmdGetFamily && req.Dump:
		return k.ctrlDumpFamilies
	case req.Command == ctrlCmdGetFamily:
		return k.ctrlGetFamily
	case req.Command == ctrlCmdGetPolicy && req.Dump:
		return k.ctrlGetPolicy
	}
	return nil
}

// ctrlGetFamily answers CTRL_CMD_GETFAMILY for one family, by id or name.
func (k *Kernel) ctrlGetFamily(req Request) ([]Reply, error) {
	var name string
	var id uint16
	var byID, byName bool
	w := genl.NewWalker(req.Attrs, nil)
	for w.Next() {
		switch w.Type() {
		case ctrlAttrFamilyID:
			id, byID = w.Uint16(), true
		case ctrlAttrFamilyName:
			name, byName = w.String(), true
		}
	}
	if err := w.Err(); err != nil {
		return nil, &Error{Errno: syscall.EINVAL, Message: err.Error(), Offset: genl.Some(w.Offset())}
	}
	k.mu.Lock()
	var fam *family
	switch {
	case byID:
		fam = k.byID[id]
	case byName:
		fam = k.byName[name]
	default:
		k.mu.Unlock()
		return nil, syscall.EINVAL
	}
	k.mu.Unlock()
	if fam == nil {
		return nil, syscall.ENOENT
	}
	return []Reply{{Command: ctrlCmdNewFamily, Attrs: familyAttrs(fam)}}, nil
}

// ctrlDumpFamilies answers the CTRL_CMD_GETFAMILY dump: every family.
func (k *Kernel) ctrlDumpFamilies(Request) ([]Reply, error) {
	k.mu.Lock()
	fams := make([]*family, 0, len(k.byID))
	for _, f := range k.byID {
		fams = append(fams, f)
	}
	k.mu.Unlock()
	slices.SortFunc(fams, func(a, b *family) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]Reply, len(fams))
	for i, f := range fams {
		out[i] = Reply{Command: ctrlCmdNewFamily, Attrs: familyAttrs(f)}
	}
	return out, nil
}

// familyAttrs describes f as nlctrl does (ctrl_fill_info).
func familyAttrs(f *family) []byte {
	var e genl.Encoder
	e.String(ctrlAttrFamilyName, f.Name)
	e.Uint16(ctrlAttrFamilyID, f.ID)
	e.Uint32(ctrlAttrVersion, uint32(f.Version))
	e.Uint32(ctrlAttrHdrSize, f.HeaderSize)
	e.Uint32(ctrlAttrMaxAttr, f.MaxAttr)
	if cmds := f.cmds(); len(cmds) > 0 {
		ops := e.Nest(ctrlAttrOps)
		for i, cmd := range cmds {
			op := e.Nest(uint16(i + 1))
			e.Uint32(ctrlAttrOpID, uint32(cmd))
			e.Uint32(ctrlAttrOpFlags, uint32(f.opFlags(cmd)))
			e.End(op)
		}
		e.End(ops)
	}
	if len(f.Groups) > 0 {
		grps := e.Nest(ctrlAttrMcastGrps)
		for i, g := range f.Groups {
			appendGroup(&e, uint16(i+1), g, f.groups[g])
		}
		e.End(grps)
	}
	return e.Bytes()
}

func appendGroup(e *genl.Encoder, typ uint16, name string, id uint32) {
	n := e.Nest(typ)
	e.String(ctrlAttrMcastGrpName, name)
	e.Uint32(ctrlAttrMcastGrpID, id)
	e.End(n)
}

// cmds returns the family's commands, sorted.
func (f *family) cmds() []uint8 {
	seen := map[uint8]bool{}
	for c := range f.Ops {
		seen[c] = true
	}
	for c := range f.OpFlags {
		seen[c] = true
	}
	out := make([]uint8, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// opFlags returns the capability flags nlctrl reports for cmd: OpFlags'
// entry or OpDo|OpDump, plus OpHasPolicy when Policy covers the op.
func (f *family) opFlags(cmd uint8) genl.OpFlags {
	fl, ok := f.OpFlags[cmd]
	if !ok {
		fl = genl.OpDo | genl.OpDump
	}
	if f.Policy != nil {
		if op, ok := f.Policy.Op(cmd); ok && (op.Do != nil || op.Dump != nil) {
			fl |= genl.OpHasPolicy
		}
	}
	return fl
}

// announce tells nlctrl's notify group about an added (NEWFAMILY, then a
// NEWMCAST_GRP per group) or removed (a DELMCAST_GRP per group, then
// DELFAMILY) family, as the kernel does on (un)registration.
func (k *Kernel) announce(cmd uint8, f *family) {
	var msgs [][]byte
	group := func(gcmd uint8, name string) []byte {
		var e genl.Encoder
		e.String(ctrlAttrFamilyName, f.Name)
		e.Uint16(ctrlAttrFamilyID, f.ID)
		n := e.Nest(ctrlAttrMcastGrps)
		appendGroup(&e, 1, name, f.groups[name])
		e.End(n)
		return ctrlNotification(gcmd, e.Bytes())
	}
	if cmd == ctrlCmdNewFamily {
		msgs = append(msgs, ctrlNotification(cmd, familyAttrs(f)))
		for _, g := range f.Groups {
			msgs = append(msgs, group(ctrlCmdNewMcastGrp, g))
		}
	} else {
		for _, g := range f.Groups {
			msgs = append(msgs, group(ctrlCmdDelMcastGrp, g))
		}
		msgs = append(msgs, ctrlNotification(cmd, familyAttrs(f)))
	}
	for _, m := range msgs {
		k.multicast(ctrlNotifyGroup, m)
	}
}

func ctrlNotification(cmd uint8, attrs []byte) []byte {
	return appendMsg(nil, ctrlID, 0, 0, 0, genlPayload(cmd, ctrlVersion, nil, attrs))
}
