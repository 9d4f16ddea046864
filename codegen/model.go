package codegen

import (
	"strings"

	"github.com/ynlgo/ynl/family"
)

// gen holds a family and the Go names chosen for everything in it. Names
// are picked once, up front, in spec order, so emitters only look them up.
type gen struct {
	f    *family.Family
	opts Options
	pkg  namespace
	// ownNames are the Go names the spec's definitions, sets and
	// sub-messages have in full, which no shortened name may take.
	ownNames map[string]bool

	defs    map[*family.Definition]*goDef
	sets    map[*family.AttrSet]*goSet
	setList []*goSet
	ops     []*goOp
	groups  map[*family.McastGroup]string

	cmdType   string // type of request command ids
	replyType string // type of reply and notification ids ("" when unified)

	subMsgs map[*family.SubMessage]*goSubMsg
	subList []*goSubMsg

	usesBitfield32 bool
	// repeatedSets are the sets that are elements of a multi-attr or
	// indexed-array attribute; see decodeString.
	repeatedSets map[*goSet]bool
	desc         []byte // the family descriptor, or nil
	compact      []byte // its compact form, for the descriptor package, or nil
	// slots number the Go types decoders take from a genl.Arena; see slot.
	slots map[string]int
}

// goDef is a definition with its Go names.
type goDef struct {
	d       *family.Definition
	Name    string   // Go type (or constant) name
	Under   string   // underlying type of an enum or flags type
	Entries []string // constant names of enum entries, parallel to d.Entries
	Members []string // field names, parallel to d.Members ("" for pad)
	Size    string   // constant naming a struct's size
	names   string   // variable: names of flags (and of a mask's bits)

	// mask is the bit-mask type of an enum some attribute or member uses
	// with enum-as-flags (VersionMask), or nil. A mask type's own goDef
	// has bitOf set to the enum whose entries number its bits.
	mask   *goDef
	bitOf  *goDef
	maskOf string // a mask's constructor function (VersionMaskOf)
}

// typeOf is the Go type of a scalar typed by def: the enum or flags type,
// or, with enum-as-flags on an enum, its mask type.
func (g *gen) typeOf(def *family.Definition, asFlags bool) *goDef {
	gd := g.defs[def]
	if gd != nil && asFlags && gd.mask != nil {
		return gd.mask
	}
	return gd
}

// enumsAsFlags returns the enums that some attribute or struct member uses
// as a bit mask (enum-as-flags): bit 1<<v stands for the entry of value v.
// Flags definitions are masks already and are not listed.
func (g *gen) enumsAsFlags() map[*family.Definition]bool {
	out := map[*family.Definition]bool{}
	add := func(d *family.Definition, asFlags bool) {
		if d != nil && asFlags && d.Kind == family.DefEnum {
			out[d] = true
		}
	}
	for _, s := range g.f.AttributeSets {
		for _, a := range s.Attributes {
			add(a.Enum, a.EnumAsFlags)
		}
	}
	for _, d := range g.f.Definitions {
		for _, m := range d.Members {
			add(m.Enum, m.EnumAsFlags)
		}
	}
	return out
}

// goSet is an attribute set with its Go names.
type goSet struct {
	s      *family.AttrSet
	Name   string // struct type
	names  string // variable: attribute names for the walker
	table  string // variable: the genl.NameTable
	Fields []*goField
	Consts []string // attribute id constants, parallel to s.Attributes

	Header      *goDef // fixed header carried by messages of this set
	HeaderField string
}

// goField is one struct field: an attribute and how it is held in Go.
type goField struct {
	a     *family.Attr
	Name  string
	Const string
	shape shape
	el    elem
	ntv   int // levels of a nest-type-value
	// Getter is the nil-safe getter of a pointer field (GetHeader), or ""
	// when the field is not a pointer or the name is a field's.
	Getter string
}

// shape is how a field holds its attribute's values.
type shape int

const (
	shSingle   shape = iota // one value (Opt, pointer, or nil-able)
	shMulti                 // multi-attr: a slice, one attribute per element
	shIndexed               // indexed-array: a slice in one nest
	shBinArray              // binary with a scalar sub-type: a slice in one attribute
	shNTV                   // nest-type-value: nested maps keyed by type
)

// goOp is an operation with its Go names.
type goOp struct {
	op     *family.Op
	Method string // client method for do
	Dump   string // client method for dump
	Cmd    string // request id constant ("" if none)
	Reply  string // reply/notification id constant ("" if none or unified)
	set    *goSet
	header *goDef
}

func newGen(f *family.Family, opts Options) *gen {
	g := &gen{
		f:       f,
		opts:    opts,
		pkg:     namespace{},
		defs:    map[*family.Definition]*goDef{},
		sets:    map[*family.AttrSet]*goSet{},
		groups:  map[*family.McastGroup]string{},
		subMsgs: map[*family.SubMessage]*goSubMsg{},
	}
	for _, n := range []string{"FamilyName", "FamilyVersion", "HeaderSize", "Protocol",
		"Client", "Dial", "New", "Notification", "Subscription", "Group",
		"Descriptor", "Bitfield32", "DecodeNotification", "ErrNoReply",
		// Unexported helpers of the generated code.
		"encodeAddr", "decodeAddr", "decodeUUID", "bitfield32", "message",
		"request", "dump", "decodeReply", "opError", "descriptor", "decoder",
		"headerDecoder", "decodeData", "decodeDataIn", "do", "notFit",
		// The netlink-raw client's (emit_rawclient.go).
		"Batch", "NewBatch", "batchItem", "batchHeader", "batchBeginType",
		"batchEndType", "batchBeginOp", "batchEndOp", "groupID"} {
		g.pkg.take(n, "")
	}
	g.cmdType = g.pkg.take("Cmd", "")
	if f.Operations.Directional() {
		g.replyType = g.pkg.take("ReplyCmd", "")
	}
	g.ownNames = g.stutterNames()
	g.nameDefs()
	g.nameSubMsgs()
	g.nameSets()
	g.nameOps()
	for _, mg := range f.MulticastGroups {
		g.groups[mg] = g.pkg.take("Group"+GoName(mg.Name), "_")
	}
	return g
}

func (g *gen) nameDefs() {
	asFlags := g.enumsAsFlags()
	wide := g.wideDefs()
	for _, d := range g.f.Definitions {
		gd := &goDef{d: d, Name: g.typeName(d.Name, false, "Type")}
		if d.Kind == family.DefFlags {
			gd.names = g.pkg.take(lowerName(d.Name)+"Names", "_")
		}
		g.defs[d] = gd
		switch d.Kind {
		case family.DefEnum, family.DefFlags:
			gd.Under = "uint32"
			for _, e := range d.Entries {
				if e.Value > 1<<32-1 {
					gd.Under = "uint64"
				}
			}
			if wide[d] && d.Kind == family.DefFlags {
				gd.Under = "uint64" // a u64 mask may carry bits the spec does not name yet
			}
			for _, e := range d.Entries {
				gd.Entries = append(gd.Entries, g.entryName(gd, e))
			}
			if asFlags[d] {
				g.nameMask(gd, wide[d])
			}
		case family.DefStruct:
			gd.Size = g.pkg.take(gd.Name+"Size", "_")
			fields := namespace{}
			for _, m := range d.Members {
				n := ""
				if m.Type != "pad" {
					n = fields.take(GoName(m.Name), "_")
				}
				gd.Members = append(gd.Members, n)
			}
		}
	}
}

// wideDefs returns the definitions some u64 or s64 attribute or struct
// member carries (netdev's xdp-act in xdp-features): their flags types
// get the attribute's width, so no bit of the wire value is dropped.
func (g *gen) wideDefs() map[*family.Definition]bool {
	out := map[*family.Definition]bool{}
	for _, s := range g.f.AttributeSets {
		for _, a := range s.Attributes {
			if a.Enum != nil && (a.Type == family.TypeU64 || a.Type == family.TypeS64) {
				out[a.Enum] = true
			}
		}
	}
	for _, d := range g.f.Definitions {
		for _, m := range d.Members {
			if m.Enum != nil && (m.Type == "u64" || m.Type == "s64") {
				out[m.Enum] = true
			}
		}
	}
	return out
}

// entryName names the constant of an enum or flags entry: the type name
// and the entry's, without the part of the entry repeating the type's name
// or name-prefix when what is left names no other entry and is free.
func (g *gen) entryName(gd *goDef, e *family.EnumEntry) string {
	full := gd.Name + GoName(e.Name)
	if rest, ok := trimOwner(e.Name, gd.d.Name, gd.d.NamePrefix); ok {
		short := gd.Name + GoName(rest)
		clash := g.pkg[short]
		for _, o := range gd.d.Entries {
			clash = clash || o != e && GoName(o.Name) == GoName(rest)
		}
		if !clash {
			return g.pkg.take(short, "_")
		}
	}
	return g.pkg.take(full, "_")
}

// nameMask names the mask type of an enum used with enum-as-flags. Its
// underlying type holds the enum's highest bit, or 64 when a u64 carries it.
func (g *gen) nameMask(gd *goDef, wide bool) {
	m := &goDef{d: gd.d, bitOf: gd, Under: "uint32"}
	if wide {
		m.Under = "uint64"
	}
	m.Name = g.pkg.take(gd.Name+"Mask", "_")
	m.maskOf = g.pkg.take(m.Name+"Of", "_")
	m.names = g.pkg.take(lowerName(gd.d.Name)+"MaskNames", "_")
	for _, e := range gd.d.Entries {
		if e.Value >= 32 {
			m.Under = "uint64"
		}
	}
	gd.mask = m
}

func (g *gen) nameSets() {
	for _, s := range g.f.AttributeSets {
		gs := &goSet{s: s, Name: g.typeName(s.Name, true, "Attrs")}
		gs.names = g.pkg.take(lowerName(s.Name)+"Names", "_")
		gs.table = g.pkg.take(lowerName(s.Name)+"Table", "_")
		g.sets[s] = gs
		g.setList = append(g.setList, gs)
	}
	// The main set's short ids (AttrWiphy) come last, so that one another
	// set's id already has falls back to the long form (AttrNl80211AttrsWiphy).
	for _, main := range []bool{false, true} {
		for _, gs := range g.setList {
			if (gs.Name == "Attrs") != main {
				continue
			}
			for _, a := range gs.s.Attributes {
				id := attrConstPrefix(gs) + attrBase(gs.s, a)
				if main && g.pkg[id] {
					id = "Attr" + GoName(gs.s.Name) + attrBase(gs.s, a)
				}
				if a.Type == family.TypeUnused {
					// Unspec placeholders: no field carries them, so
					// their ids stay out of the API (the drift test
					// still checks them).
					id = "attr" + strings.TrimPrefix(id, "Attr")
				}
				gs.Consts = append(gs.Consts, g.pkg.take(id, "_"))
			}
		}
	}
	// Fixed headers belong to the sets of the ops that carry them.
	for _, op := range g.f.Operations.List {
		if op.FixedHeader != nil && op.AttrSet != nil {
			if gs := g.sets[op.AttrSet]; gs.Header == nil {
				gs.Header = g.defs[op.FixedHeader]
			}
		}
	}
	for _, gs := range g.setList {
		g.nameFields(gs)
	}
	g.nameSubFields()
}

func (g *gen) nameFields(gs *goSet) {
	ns := namespace{"Encode": true, "Decode": true, "Validate": true}
	if gs.Header != nil {
		gs.HeaderField = ns.take(gs.Header.Name, "_")
	}
	for i, a := range gs.s.Attributes {
		if a.Type == family.TypePad || a.Type == family.TypeUnused {
			continue
		}
		fl := &goField{a: a, Name: ns.take(attrBase(gs.s, a), "_"), Const: gs.Consts[i]}
		g.classify(fl)
		gs.Fields = append(gs.Fields, fl)
	}
	for _, fl := range gs.Fields {
		if fl.shape == shSingle && fl.el.byRef() && !ns["Get"+fl.Name] {
			fl.Getter = ns.take("Get"+fl.Name, "")
		}
	}
}

// attrBase is the Go name of an attribute within its set: its spec name
// made Go, less a leading repeat of the set's name ("team-ifindex" in set
// team is Ifindex) when that leaves a name no other attribute of the set
// has and no generated method takes.
func attrBase(s *family.AttrSet, a *family.Attr) string {
	rest, ok := trimOwner(a.Name, s.Name)
	if !ok {
		return GoName(a.Name)
	}
	short := GoName(rest)
	switch short {
	case "Encode", "Decode", "Validate":
		return GoName(a.Name)
	}
	for _, o := range s.Attributes {
		if o != a && GoName(o.Name) == short {
			return GoName(a.Name)
		}
	}
	return short
}

// classify picks a field's shape and element.
func (g *gen) classify(fl *goField) {
	a := fl.a
	switch {
	case a.Type == family.TypeIndexedArray:
		fl.shape = shIndexed
		fl.el = g.elemOf(a, a.SubType)
	case a.Type == family.TypeNestTypeValue:
		fl.shape = shNTV
		fl.ntv = max(len(a.TypeValue), 1)
		fl.el = elem{kind: ekNest, set: g.sets[a.Nested]}
	case a.Type == family.TypeBinary && a.SubType.IsScalar() && a.Struct == nil:
		fl.shape = shBinArray
		fl.el = elem{kind: ekScalar, t: a.SubType, be: a.ByteOrder == family.BigEndian, enum: g.typeOf(a.Enum, a.EnumAsFlags)}
	default:
		fl.el = g.elemOf(a, a.Type)
		if a.MultiAttr && fl.el.kind != ekFlag {
			fl.shape = shMulti
		}
	}
	if fl.el.kind == ekBitfield {
		g.usesBitfield32 = true
	}
}

// elemOf returns the element an attribute (or an indexed-array entry) of
// wire type t holds.
func (g *gen) elemOf(a *family.Attr, t family.AttrType) elem {
	be := a.ByteOrder == family.BigEndian
	switch {
	case t.IsScalar():
		if t == family.TypeU32 && be && a.DisplayHint == "ipv4" {
			return elem{kind: ekAddr, addrLen: 4}
		}
		return elem{kind: ekScalar, t: t, be: be, enum: g.typeOf(a.Enum, a.EnumAsFlags)}
	case t == family.TypeString:
		return elem{kind: ekString}
	case t == family.TypeFlag:
		return elem{kind: ekFlag}
	case t == family.TypeBitfield32:
		return elem{kind: ekBitfield}
	case t == family.TypeNest:
		if a.Nested == nil {
			return elem{kind: ekBytes}
		}
		return elem{kind: ekNest, set: g.sets[a.Nested]}
	case t == family.TypeBinary:
		return g.binaryElem(a)
	case t == family.TypeSubMessage && a.SubMessage != nil && !a.MultiAttr:
		return elem{kind: ekSubMsg, sub: g.subMsgs[a.SubMessage]}
	}
	// Anything newer: the raw payload.
	return elem{kind: ekBytes}
}

func (g *gen) binaryElem(a *family.Attr) elem {
	if a.Struct != nil {
		return elem{kind: ekStruct, strct: g.defs[a.Struct]}
	}
	switch a.DisplayHint {
	case "mac":
		return elem{kind: ekMAC}
	case "ipv4":
		return elem{kind: ekAddr, addrLen: 4}
	case "ipv6":
		return elem{kind: ekAddr, addrLen: 16}
	case "ipv4-or-v6":
		return elem{kind: ekAddr}
	case "uuid":
		return elem{kind: ekUUID}
	}
	return elem{kind: ekBytes}
}

func (g *gen) nameOps() {
	client := namespace{"Close": true, "Conn": true, "Subscribe": true}
	for _, op := range g.f.Operations.List {
		o := &goOp{op: op, header: g.defs[op.FixedHeader]}
		if op.AttrSet != nil {
			o.set = g.sets[op.AttrSet]
		}
		base := GoName(op.Name)
		if op.RequestValue != 0 || !g.f.Operations.Directional() {
			o.Cmd = g.pkg.take("Cmd"+base, "_")
		}
		if g.f.Operations.Directional() && op.ReplyValue != 0 {
			if op.IsNotification() {
				o.Reply = g.pkg.take("Cmd"+base, "_")
			} else {
				o.Reply = g.pkg.take("Cmd"+base+"Reply", "_")
			}
		}
		if op.Do != nil && g.canSend(op) {
			o.Method = client.take(base, "Do")
		}
		if op.Dump != nil && g.canSend(op) {
			o.Dump = client.take(base+"Dump", "_")
		}
		g.ops = append(g.ops, o)
	}
}

// notifications returns the ops whose messages the kernel multicasts: the
// notifications and events, then, for ids no notification has, the ops
// with replies (some families multicast a reply as the notification of a
// change: nlctrl's getfamily reply announces new families).
func (g *gen) notifications() []*goOp {
	var out []*goOp
	seen := map[int]bool{}
	add := func(o *goOp) {
		if v := g.replyValue(o.op); v != 0 && !seen[v] {
			seen[v] = true
			out = append(out, o)
		}
	}
	for _, o := range g.ops {
		if o.op.IsNotification() && o.set != nil {
			add(o)
		}
	}
	for _, o := range g.ops {
		if !o.op.IsNotification() && o.set != nil && hasReply(o.op) {
			add(o)
		}
	}
	return out
}

func hasReply(op *family.Op) bool {
	return op.Do != nil && op.Do.Reply != nil || op.Dump != nil && op.Dump.Reply != nil
}

// canSend reports whether the op can be sent as a request. In
// directional specs that takes a request id; in unified ones any op with
// a do or dump can be, command 0 included (wireguard's get-device is 0).
func (g *gen) canSend(op *family.Op) bool {
	if g.f.Operations.Directional() {
		return op.RequestValue != 0
	}
	return op.Do != nil || op.Dump != nil
}

// requestValue is the command id the op is sent with (0 if it cannot be
// sent).
func (g *gen) requestValue(op *family.Op) int {
	if g.f.Operations.Directional() {
		return op.RequestValue
	}
	if op.IsNotification() && op.Do == nil && op.Dump == nil {
		return 0
	}
	return op.Value
}

// replyValue is the id of the op's replies and notifications.
func (g *gen) replyValue(op *family.Op) int {
	if g.f.Operations.Directional() {
		return op.ReplyValue
	}
	return op.Value
}
