package genl

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
)

// Family describes a generic netlink family as the kernel reports it
// through nlctrl.
type Family struct {
	// Name is the family name.
	Name string
	// ID is the netlink message type of the family's messages.
	ID uint16
	// Version is the family's version.
	Version uint8
	// HeaderSize is the size of the family's fixed header.
	HeaderSize uint32
	// MaxAttr is the highest top-level attribute type.
	MaxAttr uint32
	// Ops lists the commands the kernel implements.
	Ops []Op
	// Groups lists the multicast groups.
	Groups []Group
}

// Op is a command of a family with its capability flags.
type Op struct {
	// ID is the command.
	ID uint32
	// Flags holds the GENL_* capability flags.
	Flags OpFlags
}

// OpFlags holds the kernel's capability flags for a command
// (GENL_ADMIN_PERM, GENL_CMD_CAP_*).
type OpFlags uint32

// Capability flags of an op, with the kernel's values.
const (
	OpAdminPerm    OpFlags = 0x01 // GENL_ADMIN_PERM: needs CAP_NET_ADMIN
	OpDo           OpFlags = 0x02 // GENL_CMD_CAP_DO: has a do handler
	OpDump         OpFlags = 0x04 // GENL_CMD_CAP_DUMP: has a dump handler
	OpHasPolicy    OpFlags = 0x08 // GENL_CMD_CAP_HASPOL: validates attributes
	OpUnsAdminPerm OpFlags = 0x10 // GENL_UNS_ADMIN_PERM: needs CAP_NET_ADMIN in the user namespace
)

var opFlagNames = []struct {
	f    OpFlags
	name string
}{{OpAdminPerm, "admin-perm"}, {OpDo, "do"}, {OpDump, "dump"}, {OpHasPolicy, "has-policy"}, {OpUnsAdminPerm, "uns-admin-perm"}}

// CtrlNames names the flags as the kernel's nlctrl spec does (its op-flags
// entries: "admin-perm", "cmd-cap-do", "cmd-cap-dump", "cmd-cap-haspol",
// "uns-admin-perm"); unknown bits are left out. No flags give an empty,
// non-nil list.
func (f OpFlags) CtrlNames() []string {
	names := []string{}
	for _, b := range [...]struct {
		bit  OpFlags
		name string
	}{{OpAdminPerm, "admin-perm"}, {OpDo, "cmd-cap-do"}, {OpDump, "cmd-cap-dump"},
		{OpHasPolicy, "cmd-cap-haspol"}, {OpUnsAdminPerm, "uns-admin-perm"}} {
		if f&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	return names
}

// String lists the flags as "do|dump|has-policy"; unknown bits print in
// hex, no flags as "0".
func (f OpFlags) String() string {
	var b []byte
	for _, n := range opFlagNames {
		if f&n.f != 0 {
			if len(b) > 0 {
				b = append(b, '|')
			}
			b = append(b, n.name...)
			f &^= n.f
		}
	}
	if f != 0 || len(b) == 0 {
		if len(b) > 0 {
			b = append(b, '|')
		}
		b = strconv.AppendUint(append(b, "0x"...), uint64(f), 16)
	}
	if string(b) == "0x0" {
		return "0"
	}
	return string(b)
}

// Group is a multicast group of a family.
type Group struct {
	// Name is the group name.
	Name string
	// ID is the group id to join.
	ID uint32
}

// Op returns the op with command cmd, if the kernel lists it.
func (f *Family) Op(cmd uint8) (Op, bool) {
	for _, op := range f.Ops {
		if op.ID == uint32(cmd) {
			return op, true
		}
	}
	return Op{}, false
}

// Group returns the multicast group called name, if the family has it.
func (f *Family) Group(name string) (Group, bool) {
	for _, g := range f.Groups {
		if g.Name == name {
			return g, true
		}
	}
	return Group{}, false
}

// nlctrl, the family that describes the others, has fixed ids.
const (
	ctrlFamilyID    = 0x10 // GENL_ID_CTRL
	ctrlNotifyGroup = 0x10 // nlctrl's "notify" group id, fixed as GENL_ID_CTRL
	ctrlVersion     = 2
	genlNameSize    = 16 // GENL_NAMSIZ, with the terminating NUL
)

// nlctrl commands and attributes (linux/genetlink.h).
const (
	ctrlCmdNewFamily   = 1
	ctrlCmdDelFamily   = 2
	ctrlCmdGetFamily   = 3
	ctrlCmdNewMcastGrp = 7
	ctrlCmdDelMcastGrp = 8

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

// ctrlNames names nlctrl's attributes in errors of resolver requests.
var ctrlNames = &NameTable{Names: []string{
	ctrlAttrFamilyID: "family-id", ctrlAttrFamilyName: "family-name",
	ctrlAttrVersion: "version", ctrlAttrHdrSize: "hdrsize", ctrlAttrMaxAttr: "maxattr",
	ctrlAttrOps: "ops", ctrlAttrMcastGrps: "mcast-groups",
}}

// ctrlFamily describes nlctrl before it has been resolved, so the resolver
// can ask nlctrl about nlctrl.
var ctrlFamily = &Family{
	Name: "nlctrl", ID: ctrlFamilyID, Version: ctrlVersion,
	Ops: []Op{{ID: ctrlCmdGetFamily, Flags: OpDo | OpDump}},
}

// resolver caches families by name and id for one Conn.
type resolver struct {
	c *Conn

	mu   sync.Mutex               // serializes writers of snap
	snap atomic.Pointer[famCache] // read without locks

	// fetches counts getfamily requests sent to the kernel.
	fetches atomic.Uint64

	watchMu  sync.Mutex
	watch    *watcher
	watchOff bool // started once already, or stopped
}

func (r *resolver) init(c *Conn) {
	r.c = c
	r.snap.Store(&famCache{byName: map[string]*Family{}, byID: map[uint16]*Family{}})
}

// Family returns the family called name, from the cache or from nlctrl.
// A family the kernel does not know yields an error matching
// os.ErrNotExist. The returned Family is shared: do not modify it.
func (c *Conn) Family(ctx context.Context, name string) (*Family, error) {
	if f := c.res.cached(name, 0); f != nil {
		return f, nil
	}
	if name == "" {
		return nil, errors.New("genl: empty family name")
	}
	return c.res.resolve(ctx, name, 0)
}

// FamilyByID returns the family with id id, from the cache or from nlctrl.
func (c *Conn) FamilyByID(ctx context.Context, id uint16) (*Family, error) {
	if f := c.res.cached("", id); f != nil {
		return f, nil
	}
	return c.res.resolve(ctx, "", id)
}

// Families dumps every family the kernel has registered, and refreshes the
// cache with them.
func (c *Conn) Families(ctx context.Context) ([]*Family, error) {
	r := &c.res
	r.startWatch()
	gen := r.generation()
	r.fetches.Add(1)
	req := &Request{Family: "nlctrl", Command: ctrlCmdGetFamily, OpName: "getfamily", Names: ctrlNames}
	var fams []*Family
	var err error
	_, derr := c.dump(ctx, ctrlFamily, req, func(m Message, _ error) bool {
		var f *Family
		if f, err = parseFamily(m.Data); err != nil {
			return false
		}
		fams = append(fams, f)
		return true
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	r.store(gen, fams...)
	return fams, nil
}

// resolve asks nlctrl for a family by name (or by id when name is "").
func (r *resolver) resolve(ctx context.Context, name string, id uint16) (*Family, error) {
	// Watch first: a change that lands between the lookup and the store
	// then bumps the generation and keeps the stale answer out.
	if len(name) >= genlNameSize {
		return nil, &notFoundError{name: name}
	}
	r.startWatch()
	gen := r.generation()
	r.fetches.Add(1)
	var e Encoder
	if name != "" {
		e.String(ctrlAttrFamilyName, name)
	} else {
		e.Uint16(ctrlAttrFamilyID, id)
	}
	req := &Request{Family: "nlctrl", Command: ctrlCmdGetFamily, Attrs: e.Bytes(), OpName: "getfamily", Names: ctrlNames}
	msgs, err := r.c.do(ctx, ctrlFamily, req)
	if err != nil {
		if errors.Is(err, syscall.ENOENT) {
			return nil, &notFoundError{name: name, id: id, err: err}
		}
		return nil, err
	}
	if len(msgs) != 1 {
		return nil, errors.New("genl: nlctrl getfamily: want 1 reply, got " + itoa(len(msgs)))
	}
	f, err := parseFamily(msgs[0].Data)
	if err != nil {
		return nil, err
	}
	r.store(gen, f)
	return f, nil
}

// parseFamily decodes a CTRL_CMD_NEWFAMILY message (after the genl header).
func parseFamily(b []byte) (*Family, error) {
	f := &Family{}
	w := NewWalker(b, ctrlNames.Names)
	for w.Next() {
		switch w.Type() {
		case ctrlAttrFamilyID:
			f.ID = w.Uint16()
		case ctrlAttrFamilyName:
			f.Name = w.String()
		case ctrlAttrVersion:
			f.Version = uint8(w.Uint32())
		case ctrlAttrHdrSize:
			f.HeaderSize = w.Uint32()
		case ctrlAttrMaxAttr:
			f.MaxAttr = w.Uint32()
		case ctrlAttrOps:
			f.Ops = parseOps(&w)
		case ctrlAttrMcastGrps:
			f.Groups = parseGroups(&w)
		}
	}
	if err := w.Err(); err != nil {
		return nil, errors.New("genl: nlctrl family: " + err.Error())
	}
	if f.Name == "" || f.ID == 0 {
		return nil, errors.New("genl: nlctrl family: reply lacks the family name or id")
	}
	return f, nil
}

// parseOps decodes CTRL_ATTR_OPS: a nest of nests, one per op. Errors are
// set on the outer walker w.
func parseOps(w *Walker) []Op {
	var ops []Op
	outer := NewWalker(w.Data(), nil)
	for outer.Next() {
		var op Op
		in := NewWalker(outer.Data(), []string{ctrlAttrOpID: "id", ctrlAttrOpFlags: "flags"})
		for in.Next() {
			switch in.Type() {
			case ctrlAttrOpID:
				op.ID = in.Uint32()
			case ctrlAttrOpFlags:
				op.Flags = OpFlags(in.Uint32())
			}
		}
		if err := in.Err(); err != nil {
			w.Fail("op: " + err.Error())
			return nil
		}
		ops = append(ops, op)
	}
	if err := outer.Err(); err != nil {
		w.Fail(err.Error())
	}
	return ops
}

// parseGroups decodes CTRL_ATTR_MCAST_GROUPS like parseOps.
func parseGroups(w *Walker) []Group {
	var groups []Group
	outer := NewWalker(w.Data(), nil)
	for outer.Next() {
		var g Group
		in := NewWalker(outer.Data(), []string{ctrlAttrMcastGrpName: "name", ctrlAttrMcastGrpID: "id"})
		for in.Next() {
			switch in.Type() {
			case ctrlAttrMcastGrpName:
				g.Name = in.String()
			case ctrlAttrMcastGrpID:
				g.ID = in.Uint32()
			}
		}
		if err := in.Err(); err != nil {
			w.Fail("group: " + err.Error())
			return nil
		}
		groups = append(groups, g)
	}
	if err := outer.Err(); err != nil {
		w.Fail(err.Error())
	}
	return groups
}
