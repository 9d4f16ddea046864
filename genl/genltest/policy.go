package genltest

import (
	"slices"
	"syscall"

	"github.com/ynlgo/ynl/genl"
)

// nlctrl policy dump attributes (linux/genetlink.h).
const (
	ctrlAttrPolicy   = 8
	ctrlAttrOpPolicy = 9
	ctrlAttrOp       = 10
	ctrlPolicyDo     = 1
	ctrlPolicyDump   = 2
)

// errnoNoData is Linux's ENODATA, which not every GOOS's syscall package names.
const errnoNoData = syscall.Errno(61)

// ctrlGetPolicy answers the CTRL_CMD_GETPOLICY dump from Family.Policy,
// the way the kernel lays it out: one message per op, then one per
// attribute of every policy reachable from the ops. Like the kernel, it
// reports a dump-only op (one whose OpFlags lack genl.OpDo) as command 0.
func (k *Kernel) ctrlGetPolicy(req Request) ([]Reply, error) {
	var name string
	var id uint16
	op := -1
	w := genl.NewWalker(req.Attrs, nil)
	for w.Next() {
		switch w.Type() {
		case ctrlAttrFamilyID:
			id = w.Uint16()
		case ctrlAttrFamilyName:
			name = w.String()
		case ctrlAttrOp:
			op = int(w.Uint32())
		}
	}
	if err := w.Err(); err != nil {
		return nil, &Error{Errno: syscall.EINVAL, Message: err.Error()}
	}
	k.mu.Lock()
	fam := k.byName[name]
	if id != 0 {
		fam = k.byID[id]
	}
	k.mu.Unlock()
	switch {
	case fam == nil:
		return nil, syscall.ENOENT
	case fam.Policy == nil:
		return nil, errnoNoData
	}
	ops := fam.Policy.Ops
	if op >= 0 {
		if op > 0xff {
			return nil, syscall.ENOENT
		}
		o, ok := fam.Policy.Op(uint8(op))
		switch {
		case !ok && slices.Contains(fam.cmds(), uint8(op)):
			return nil, errnoNoData // an op without a policy
		case !ok:
			return nil, syscall.ENOENT
		}
		ops = []genl.OpPolicy{o}
	}
	return policyReplies(fam, ops), nil
}

// policyReplies lays out ops and the policies they reach, numbering the
// policies in the order they are first reached, as the kernel does.
func policyReplies(fam *family, ops []genl.OpPolicy) []Reply {
	idx := map[*genl.Policy]uint32{}
	var order []*genl.Policy
	var add func(p *genl.Policy)
	add = func(p *genl.Policy) {
		if p == nil {
			return
		}
		if _, ok := idx[p]; ok {
			return
		}
		idx[p] = uint32(len(order))
		order = append(order, p)
	}
	for _, o := range ops {
		add(o.Do)
		add(o.Dump)
	}
	for i := 0; i < len(order); i++ { // order grows as nests are reached
		for _, typ := range order[i].Types() {
			add(order[i].Attrs[typ].Nested)
		}
	}

	var out []Reply
	for _, o := range ops {
		if o.Do == nil && o.Dump == nil {
			continue
		}
		var e genl.Encoder
		e.Uint16(ctrlAttrFamilyID, fam.ID)
		n := e.Nest(ctrlAttrOpPolicy)
		cmd := o.Cmd
		if fam.opFlags(cmd)&genl.OpDo == 0 {
			cmd = 0 // the kernel's report of a dump-only op
		}
		c := e.Nest(uint16(cmd))
		if o.Do != nil {
			e.Uint32(ctrlPolicyDo, idx[o.Do])
		}
		if o.Dump != nil {
			e.Uint32(ctrlPolicyDump, idx[o.Dump])
		}
		e.End(c)
		e.End(n)
		out = append(out, Reply{Command: ctrlCmdGetPolicy, Attrs: e.Bytes()})
	}
	for i, p := range order {
		for _, typ := range p.Types() {
			out = append(out, Reply{Command: ctrlCmdGetPolicy, Attrs: policyEntry(fam.ID, uint32(i), typ, p.Attrs[typ], idx)})
		}
	}
	return out
}

// policyEntry encodes one attribute of policy i.
func policyEntry(famID uint16, i uint32, typ uint16, ap *genl.AttrPolicy, idx map[*genl.Policy]uint32) []byte {
	var e genl.Encoder
	e.Uint16(ctrlAttrFamilyID, famID)
	n := e.Nest(ctrlAttrPolicy)
	pn := e.Nest(uint16(i))
	an := e.Nest(typ)
	a := *ap
	if a.Nested != nil {
		pi := idx[a.Nested]
		a.PolicyIndex = &pi
		if a.NestedMaxType == nil {
			mt := uint32(maxType(a.Nested))
			a.NestedMaxType = &mt
		}
	}
	AppendAttrPolicy(&e, &a)
	e.End(an)
	e.End(pn)
	e.End(n)
	return e.Bytes()
}

func maxType(p *genl.Policy) uint16 {
	var m uint16
	for t := range p.Attrs {
		m = max(m, t)
	}
	return m
}
