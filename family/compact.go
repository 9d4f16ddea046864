package family

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
)

// The compact form is the resolved model in a binary encoding that
// ParseCompact turns back into a Family without parsing or resolving
// anything: a program that embeds many families (a command line) decodes
// only the one it uses, in a few allocations, where parsing the JSON
// descriptor costs a tokenizer, a node tree and a resolver pass.
//
// Layout: the magic "ynlc", a format version, then the number of items of
// each kind (so the decoder allocates each kind once and references can
// point forward), then the family, its definitions, attribute sets (each
// with its attributes), operations, multicast groups and sub-messages, in
// model order. Integers are varints, strings are a length and the bytes,
// booleans are packed into one varint per item, a slice is its length plus
// one (0 for nil) and a reference to a definition, set, attribute, op,
// group or sub-message is its index plus one (0 for nil). Positions are a
// line and a column: the file is the name ParseCompact is given.

const (
	compactMagic   = "ynlc"
	compactVersion = 1
)

// compact item kinds, in header order.
const (
	kDef = iota
	kEntry
	kMember
	kSet
	kAttr
	kOp
	kGroup
	kSub
	kFormat
	kMsgAttr // the attributes lists of OpMessages
	kStr     // the strings of string lists
	kLimit
	kMode
	kMsg
	kCount
)

// CompactDescriptor returns the family in the compact form ParseCompact
// reads. The model encoded is the one Parse makes of f's Descriptor, so
// ParseCompact(name, c) is equal to Parse(name, desc), positions included:
// the two can stand in for each other.
func (f *Family) CompactDescriptor() ([]byte, error) {
	desc, err := f.Descriptor()
	if err != nil {
		return nil, err
	}
	g, err := Parse(f.FileName, desc)
	if err != nil {
		return nil, fmt.Errorf("family: descriptor of %s does not parse: %w", f.Name, err)
	}
	return g.marshalCompact()
}

type compactEnc struct {
	b      []byte
	n      [kCount]int
	defs   map[*Definition]int
	sets   map[*AttrSet]int
	attrs  map[*Attr]int
	ops    map[*Op]int
	groups map[*McastGroup]int
	subs   map[*SubMessage]int
	err    error
}

// marshalCompact encodes f as it is, positions without their file.
func (f *Family) marshalCompact() ([]byte, error) {
	e := &compactEnc{
		defs: map[*Definition]int{}, sets: map[*AttrSet]int{}, attrs: map[*Attr]int{},
		ops: map[*Op]int{}, groups: map[*McastGroup]int{}, subs: map[*SubMessage]int{},
	}
	for i, d := range f.Definitions {
		e.defs[d] = i
	}
	for i, s := range f.AttributeSets {
		e.sets[s] = i
		for _, a := range s.Attributes {
			e.attrs[a] = len(e.attrs)
		}
	}
	ops := f.Operations
	if ops == nil {
		ops = &Operations{}
	}
	for i, o := range ops.List {
		e.ops[o] = i
	}
	for i, g := range f.MulticastGroups {
		e.groups[g] = i
	}
	for i, s := range f.SubMessages {
		e.subs[s] = i
	}

	e.str(f.Name)
	e.str(string(f.Protocol))
	e.str(f.Doc)
	e.int(int64(f.Version))
	e.int(int64(f.ProtoNum))
	e.str(f.UAPIHeader)
	e.str(f.CFamilyName)
	e.str(f.CVersionName)
	e.flags(f.MaxByDefine)
	e.str(f.CmdMaxName)
	e.str(f.CmdCntName)
	e.str(f.KernelPolicy)
	e.pos(f.Pos)

	e.count(kDef, len(f.Definitions), f.Definitions == nil)
	for _, d := range f.Definitions {
		e.def(d)
	}
	e.count(kSet, len(f.AttributeSets), f.AttributeSets == nil)
	for _, s := range f.AttributeSets {
		e.set(s)
	}
	e.str(ops.Model)
	e.str(ops.NamePrefix)
	e.str(ops.EnumName)
	e.str(ops.AsyncPrefix)
	e.str(ops.AsyncEnum)
	e.flags(ops.NoEnumName, ops.NoAsyncEnum)
	e.defRef(ops.FixedHeader)
	e.count(kOp, len(ops.List), ops.List == nil)
	for _, o := range ops.List {
		e.op(o)
	}
	e.count(kGroup, len(f.MulticastGroups), f.MulticastGroups == nil)
	for _, g := range f.MulticastGroups {
		e.str(g.Name)
		e.str(g.CName)
		e.int(int64(g.Value))
		e.strs(g.Flags)
		e.str(g.ConfigCond)
		e.str(g.Doc)
		e.pos(g.Pos)
	}
	e.count(kSub, len(f.SubMessages), f.SubMessages == nil)
	for _, s := range f.SubMessages {
		e.str(s.Name)
		e.str(s.Doc)
		e.count(kFormat, len(s.Formats), s.Formats == nil)
		for _, ft := range s.Formats {
			e.str(ft.Value)
			e.defRef(ft.FixedHeader)
			e.setRef(ft.AttrSet)
			e.pos(ft.Pos)
		}
		e.pos(s.Pos)
	}
	if e.err != nil {
		return nil, e.err
	}
	out := append([]byte(compactMagic), compactVersion)
	for _, n := range e.n {
		out = binary.AppendUvarint(out, uint64(n))
	}
	return append(out, e.b...), nil
}

func (e *compactEnc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *compactEnc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *compactEnc) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *compactEnc) pos(p Pos) {
	e.uint(uint64(p.Line))
	e.uint(uint64(p.Col))
}

func (e *compactEnc) flags(bs ...bool) {
	var v uint64
	for i, b := range bs {
		if b {
			v |= 1 << i
		}
	}
	e.uint(v)
}

// count writes a slice's length (plus one; 0 for nil) and counts its
// items of kind k.
func (e *compactEnc) count(k, n int, isNil bool) {
	if isNil {
		e.uint(0)
		return
	}
	e.uint(uint64(n) + 1)
	e.n[k] += n
}

func (e *compactEnc) strs(ss []string) {
	e.count(kStr, len(ss), ss == nil)
	for _, s := range ss {
		e.str(s)
	}
}

// ref writes the index plus one of a referenced item, 0 for nil; an item
// the family does not hold is an error.
func ref[T any](e *compactEnc, m map[*T]int, p *T, what string) {
	if p == nil {
		e.uint(0)
		return
	}
	i, ok := m[p]
	if !ok && e.err == nil {
		e.err = errors.New("family: compact form: a reference to a " + what + " the family does not list")
	}
	e.uint(uint64(i) + 1)
}

func (e *compactEnc) defRef(d *Definition) { ref(e, e.defs, d, "definition") }
func (e *compactEnc) setRef(s *AttrSet)    { ref(e, e.sets, s, "attribute set") }
func (e *compactEnc) attrRef(a *Attr)      { ref(e, e.attrs, a, "attribute") }

func (e *compactEnc) limit(l *Limit) {
	if l == nil {
		e.uint(0)
		return
	}
	e.n[kLimit]++
	e.flags(true, l.Neg)
	e.uint(l.Abs)
	e.str(l.Name)
}

func (e *compactEnc) def(d *Definition) {
	e.str(d.Name)
	e.str(string(d.Kind))
	e.str(d.Doc)
	e.str(d.Header)
	e.str(d.Scope)
	e.int(d.Value)
	e.str(d.StrValue)
	e.flags(d.IsString, d.NoEnumName, d.RenderMax)
	e.str(d.NamePrefix)
	e.str(d.EnumName)
	e.str(d.EnumCntName)
	e.int(d.ValueStart)
	e.count(kEntry, len(d.Entries), d.Entries == nil)
	for _, x := range d.Entries {
		e.str(x.Name)
		e.uint(x.Value)
		e.str(x.Doc)
		e.pos(x.Pos)
	}
	e.count(kMember, len(d.Members), d.Members == nil)
	for _, m := range d.Members {
		e.str(m.Name)
		e.str(m.Type)
		e.int(int64(m.Len))
		e.str(string(m.ByteOrder))
		e.str(m.Doc)
		e.defRef(m.Enum)
		e.flags(m.EnumAsFlags)
		e.defRef(m.Struct)
		e.str(m.DisplayHint)
		e.int(int64(m.Offset))
		e.int(int64(m.Size))
		e.pos(m.Pos)
	}
	e.int(int64(d.Size))
	e.pos(d.Pos)
}

func (e *compactEnc) set(s *AttrSet) {
	e.str(s.Name)
	e.str(s.NamePrefix)
	e.str(s.EnumName)
	e.flags(s.NoEnumName)
	e.str(s.Doc)
	e.str(s.AttrCntName)
	e.str(s.AttrMaxName)
	e.str(s.Header)
	e.setRef(s.SubsetOf)
	e.pos(s.Pos)
	e.count(kAttr, len(s.Attributes), s.Attributes == nil)
	for _, a := range s.Attributes {
		if a.Set != s && e.err == nil {
			e.err = fmt.Errorf("family: compact form: attribute %s of set %s belongs to another set", a.Name, s.Name)
		}
		e.str(a.Name)
		e.int(int64(a.Value))
		e.str(string(a.Type))
		e.str(a.Doc)
		e.flags(a.MultiAttr, a.EnumAsFlags, a.Checks.UnterminatedOK, a.Checks.Sparse)
		e.str(string(a.ByteOrder))
		e.str(a.DisplayHint)
		e.str(a.NamePrefix)
		e.setRef(a.Nested)
		e.str(string(a.SubType))
		e.strs(a.TypeValue)
		e.defRef(a.Struct)
		e.defRef(a.Enum)
		ref(e, e.subs, a.SubMessage, "sub-message")
		e.str(a.SelectorName)
		e.attrRef(a.SelectorAttr)
		c := &a.Checks
		e.limit(c.Min)
		e.limit(c.Max)
		e.limit(c.MinLen)
		e.limit(c.MaxLen)
		e.limit(c.ExactLen)
		e.defRef(c.FlagsMask)
		e.attrRef(a.Parent)
		e.pos(a.Pos)
	}
}

func (e *compactEnc) msg(m *OpMessage) {
	if m == nil {
		e.uint(0)
		return
	}
	e.uint(1)
	e.n[kMsg]++
	e.int(int64(m.Value))
	e.count(kMsgAttr, len(m.Attributes), m.Attributes == nil)
	for _, a := range m.Attributes {
		e.attrRef(a)
	}
	e.pos(m.Pos)
}

func (e *compactEnc) mode(m *OpMode) {
	if m == nil {
		e.uint(0)
		return
	}
	e.uint(1)
	e.n[kMode]++
	e.msg(m.Request)
	e.msg(m.Reply)
	e.str(m.Pre)
	e.str(m.Post)
}

func (e *compactEnc) op(o *Op) {
	e.str(o.Name)
	e.str(o.Doc)
	e.int(int64(o.RequestValue))
	e.int(int64(o.ReplyValue))
	e.int(int64(o.Value))
	e.setRef(o.AttrSet)
	e.strs(o.Flags)
	e.strs(o.DontValidate)
	e.str(o.ConfigCond)
	e.defRef(o.FixedHeader)
	e.mode(o.Do)
	e.mode(o.Dump)
	ref(e, e.ops, o.Notify, "operation")
	e.msg(o.Event)
	ref(e, e.groups, o.Mcgrp, "multicast group")
	e.pos(o.Pos)
}

// ParseCompact decodes a family in the compact form (CompactDescriptor).
// name is the file name of its positions and, reduced to its base name,
// the Family's FileName, as for Parse. The strings of the model share
// data's memory. The model is not validated again: the compact form is
// made of a family that was.
func ParseCompact(name, data string) (f *Family, err error) {
	d := &compactDec{s: data, file: name}
	if len(data) < len(compactMagic)+1 || data[:len(compactMagic)] != compactMagic {
		return nil, errors.New("family: not a compact family descriptor")
	}
	if v := data[len(compactMagic)]; v != compactVersion {
		return nil, fmt.Errorf("family: compact descriptor version %d, this package reads %d", v, compactVersion)
	}
	d.i = len(compactMagic) + 1
	var total uint64
	for k := range d.n {
		n := d.uint()
		total += n
		if n > uint64(len(data)) || total > uint64(len(data)) { // every item takes a byte or more
			return nil, d.fail()
		}
		d.n[k] = int(n)
	}
	if d.err != nil {
		return nil, d.err
	}
	f = d.family()
	if d.err == nil && d.i != len(d.s) {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	f.FileName = filepath.Base(name)
	return f, nil
}

// compactDec decodes the compact form. Each kind of item is allocated
// once, in pools sized by the header; slices of the model are carved out
// of them with their capacity capped, so an append by a user copies.
type compactDec struct {
	s    string
	i    int
	file string
	err  error
	n    [kCount]int

	defs     []Definition
	entries  []EnumEntry
	members  []Member
	sets     []AttrSet
	attrs    []Attr
	ops      []Op
	groups   []McastGroup
	subs     []SubMessage
	formats  []Format
	limits   []Limit
	modes    []OpMode
	msgs     []OpMessage
	defPtrs  []*Definition
	entPtrs  []*EnumEntry
	memPtrs  []*Member
	setPtrs  []*AttrSet
	attrPtrs []*Attr
	msgAttrs []*Attr
	opPtrs   []*Op
	grpPtrs  []*McastGroup
	subPtrs  []*SubMessage
	fmtPtrs  []*Format
	strPool  []string
	used     [kCount]int
}

func (d *compactDec) fail() error {
	if d.err == nil {
		d.err = errors.New("family: corrupt compact family descriptor")
	}
	d.i = len(d.s)
	return d.err
}

func (d *compactDec) uint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.i >= len(d.s) {
			d.fail()
			return 0
		}
		c := d.s[d.i]
		d.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	d.fail()
	return 0
}

func (d *compactDec) int64() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *compactDec) int() int { return int(d.int64()) }

func (d *compactDec) str() string {
	n := d.uint()
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *compactDec) bit(v uint64, i int) bool { return v&(1<<i) != 0 }

func (d *compactDec) pos() Pos {
	line := d.uint()
	col := d.uint()
	return Pos{File: d.file, Line: int(line), Col: int(col)}
}

// length reads a slice length of kind k: the number of items and whether
// the slice is nil, reserving that many items of the kind's pool (false
// when the header's count would be exceeded).
func (d *compactDec) length(k int) (n int, isNil bool, ok bool) {
	v := d.uint()
	if v == 0 {
		return 0, true, d.err == nil
	}
	v--
	if v > uint64(d.n[k]-d.used[k]) {
		d.fail()
		return 0, false, false
	}
	return int(v), false, d.err == nil
}

// carve takes the next n items of a pool: nil when isNil, else a slice
// with its capacity capped.
func carve[T any](d *compactDec, k int, pool []T, n int, isNil bool) []T {
	if isNil {
		return nil
	}
	if n == 0 {
		return make([]T, 0)
	}
	u := d.used[k]
	d.used[k] += n
	return pool[u : u+n : u+n]
}

// index reads a reference (index plus one) to one of n items: -1 for nil.
func (d *compactDec) index(n int) int {
	v := d.uint()
	if v == 0 {
		return -1
	}
	if v > uint64(n) {
		d.fail()
		return -1
	}
	return int(v - 1)
}

func (d *compactDec) defRef() *Definition {
	if i := d.index(len(d.defs)); i >= 0 {
		return &d.defs[i]
	}
	return nil
}

func (d *compactDec) setRef() *AttrSet {
	if i := d.index(len(d.sets)); i >= 0 {
		return &d.sets[i]
	}
	return nil
}

func (d *compactDec) attrRef() *Attr {
	if i := d.index(len(d.attrs)); i >= 0 {
		return &d.attrs[i]
	}
	return nil
}

// next takes one item of a pool of kind k, or nil when the header's count
// is exceeded.
func next[T any](d *compactDec, k int, pool []T) *T {
	if d.used[k] >= len(pool) {
		d.fail()
		return nil
	}
	p := &pool[d.used[k]]
	d.used[k]++
	return p
}

func (d *compactDec) strs() []string {
	n, isNil, ok := d.length(kStr)
	if !ok {
		return nil
	}
	ss := carve(d, kStr, d.strPool, n, isNil)
	for i := range ss {
		ss[i] = d.str()
	}
	return ss
}

func (d *compactDec) limit() *Limit {
	b := d.uint()
	if b == 0 || d.err != nil {
		return nil
	}
	l := next(d, kLimit, d.limits)
	if l == nil {
		return nil
	}
	l.Neg = d.bit(b, 1)
	l.Abs = d.uint()
	l.Name = d.str()
	return l
}

// ptrs returns a slice of pointers to each item of pool.
func ptrs[T any](pool []T) []*T {
	if len(pool) == 0 {
		return nil
	}
	p := make([]*T, len(pool))
	for i := range pool {
		p[i] = &pool[i]
	}
	return p
}

func (d *compactDec) family() *Family {
	n := &d.n
	d.defs = make([]Definition, n[kDef])
	d.entries = make([]EnumEntry, n[kEntry])
	d.members = make([]Member, n[kMember])
	d.sets = make([]AttrSet, n[kSet])
	d.attrs = make([]Attr, n[kAttr])
	d.ops = make([]Op, n[kOp])
	d.groups = make([]McastGroup, n[kGroup])
	d.subs = make([]SubMessage, n[kSub])
	d.formats = make([]Format, n[kFormat])
	d.limits = make([]Limit, n[kLimit])
	d.modes = make([]OpMode, n[kMode])
	d.msgs = make([]OpMessage, n[kMsg])
	d.msgAttrs = make([]*Attr, n[kMsgAttr])
	d.strPool = make([]string, n[kStr])
	d.defPtrs = ptrs(d.defs)
	d.entPtrs = ptrs(d.entries)
	d.memPtrs = ptrs(d.members)
	d.setPtrs = ptrs(d.sets)
	d.attrPtrs = ptrs(d.attrs)
	d.opPtrs = ptrs(d.ops)
	d.grpPtrs = ptrs(d.groups)
	d.subPtrs = ptrs(d.subs)
	d.fmtPtrs = ptrs(d.formats)

	f := &Family{Operations: &Operations{}}
	f.Name = d.str()
	f.Protocol = Protocol(d.str())
	f.Doc = d.str()
	f.Version = d.int()
	f.ProtoNum = d.int()
	f.UAPIHeader = d.str()
	f.CFamilyName = d.str()
	f.CVersionName = d.str()
	f.MaxByDefine = d.bit(d.uint(), 0)
	f.CmdMaxName = d.str()
	f.CmdCntName = d.str()
	f.KernelPolicy = d.str()
	f.Pos = d.pos()

	if n, isNil, ok := d.length(kDef); ok {
		f.Definitions = carve(d, kDef, d.defPtrs, n, isNil)
		for _, x := range f.Definitions {
			d.def(x)
		}
	}
	if n, isNil, ok := d.length(kSet); ok {
		f.AttributeSets = carve(d, kSet, d.setPtrs, n, isNil)
		for _, s := range f.AttributeSets {
			d.set(s)
		}
	}
	ops := f.Operations
	ops.Model = d.str()
	ops.NamePrefix = d.str()
	ops.EnumName = d.str()
	ops.AsyncPrefix = d.str()
	ops.AsyncEnum = d.str()
	b := d.uint()
	ops.NoEnumName, ops.NoAsyncEnum = d.bit(b, 0), d.bit(b, 1)
	ops.FixedHeader = d.defRef()
	if n, isNil, ok := d.length(kOp); ok {
		ops.List = carve(d, kOp, d.opPtrs, n, isNil)
		for _, o := range ops.List {
			d.op(o)
		}
	}
	if n, isNil, ok := d.length(kGroup); ok {
		f.MulticastGroups = carve(d, kGroup, d.grpPtrs, n, isNil)
		for _, g := range f.MulticastGroups {
			g.Name = d.str()
			g.CName = d.str()
			g.Value = d.int()
			g.Flags = d.strs()
			g.ConfigCond = d.str()
			g.Doc = d.str()
			g.Pos = d.pos()
		}
	}
	if n, isNil, ok := d.length(kSub); ok {
		f.SubMessages = carve(d, kSub, d.subPtrs, n, isNil)
		for _, s := range f.SubMessages {
			s.Name = d.str()
			s.Doc = d.str()
			if n, isNil, ok := d.length(kFormat); ok {
				s.Formats = carve(d, kFormat, d.fmtPtrs, n, isNil)
				for _, ft := range s.Formats {
					ft.Value = d.str()
					ft.FixedHeader = d.defRef()
					ft.AttrSet = d.setRef()
					ft.Pos = d.pos()
				}
			}
			s.Pos = d.pos()
		}
	}
	// Every item the header counted must have been decoded: the pools
	// hold nothing else, and a reference to an item never filled in would
	// point at a zero value.
	for k := range d.n {
		if d.used[k] != d.n[k] {
			d.fail()
		}
	}
	return f
}

func (d *compactDec) def(x *Definition) {
	x.Name = d.str()
	x.Kind = DefKind(d.str())
	x.Doc = d.str()
	x.Header = d.str()
	x.Scope = d.str()
	x.Value = d.int64()
	x.StrValue = d.str()
	b := d.uint()
	x.IsString, x.NoEnumName, x.RenderMax = d.bit(b, 0), d.bit(b, 1), d.bit(b, 2)
	x.NamePrefix = d.str()
	x.EnumName = d.str()
	x.EnumCntName = d.str()
	x.ValueStart = d.int64()
	if n, isNil, ok := d.length(kEntry); ok {
		x.Entries = carve(d, kEntry, d.entPtrs, n, isNil)
		for _, e := range x.Entries {
			e.Name = d.str()
			e.Value = d.uint()
			e.Doc = d.str()
			e.Pos = d.pos()
		}
	}
	if n, isNil, ok := d.length(kMember); ok {
		x.Members = carve(d, kMember, d.memPtrs, n, isNil)
		for _, m := range x.Members {
			m.Name = d.str()
			m.Type = d.str()
			m.Len = d.int()
			m.ByteOrder = ByteOrder(d.str())
			m.Doc = d.str()
			m.Enum = d.defRef()
			m.EnumAsFlags = d.bit(d.uint(), 0)
			m.Struct = d.defRef()
			m.DisplayHint = d.str()
			m.Offset = d.int()
			m.Size = d.int()
			m.Pos = d.pos()
		}
	}
	x.Size = d.int()
	x.Pos = d.pos()
}

// byNameMin is the size from which a decoded set gets its name index; a
// smaller one is searched in order (AttrSet.Attr), which costs less than
// building the map for a command that looks up a few names.
const byNameMin = 16

func (d *compactDec) set(s *AttrSet) {
	s.Name = d.str()
	s.NamePrefix = d.str()
	s.EnumName = d.str()
	s.NoEnumName = d.bit(d.uint(), 0)
	s.Doc = d.str()
	s.AttrCntName = d.str()
	s.AttrMaxName = d.str()
	s.Header = d.str()
	s.SubsetOf = d.setRef()
	s.Pos = d.pos()
	n, isNil, ok := d.length(kAttr)
	if !ok {
		return
	}
	s.Attributes = carve(d, kAttr, d.attrPtrs, n, isNil)
	if n >= byNameMin {
		s.byName = make(map[string]*Attr, n)
	}
	for _, a := range s.Attributes {
		a.Set = s
		a.Name = d.str()
		a.Value = d.int()
		a.Type = AttrType(d.str())
		a.Doc = d.str()
		b := d.uint()
		a.MultiAttr, a.EnumAsFlags, a.Checks.UnterminatedOK, a.Checks.Sparse = d.bit(b, 0), d.bit(b, 1), d.bit(b, 2), d.bit(b, 3)
		a.ByteOrder = ByteOrder(d.str())
		a.DisplayHint = d.str()
		a.NamePrefix = d.str()
		a.Nested = d.setRef()
		a.SubType = AttrType(d.str())
		a.TypeValue = d.strs()
		a.Struct = d.defRef()
		a.Enum = d.defRef()
		if i := d.index(len(d.subs)); i >= 0 {
			a.SubMessage = &d.subs[i]
		}
		a.SelectorName = d.str()
		a.SelectorAttr = d.attrRef()
		c := &a.Checks
		c.Min = d.limit()
		c.Max = d.limit()
		c.MinLen = d.limit()
		c.MaxLen = d.limit()
		c.ExactLen = d.limit()
		c.FlagsMask = d.defRef()
		a.Parent = d.attrRef()
		a.Pos = d.pos()
		if s.byName != nil {
			s.byName[a.Name] = a
		}
	}
}

func (d *compactDec) msg() *OpMessage {
	if d.uint() == 0 || d.err != nil {
		return nil
	}
	m := next(d, kMsg, d.msgs)
	if m == nil {
		return nil
	}
	m.Value = d.int()
	if n, isNil, ok := d.length(kMsgAttr); ok {
		m.Attributes = carve(d, kMsgAttr, d.msgAttrs, n, isNil)
		for i := range m.Attributes {
			m.Attributes[i] = d.attrRef()
		}
	}
	m.Pos = d.pos()
	return m
}

func (d *compactDec) mode() *OpMode {
	if d.uint() == 0 || d.err != nil {
		return nil
	}
	m := next(d, kMode, d.modes)
	if m == nil {
		return nil
	}
	m.Request = d.msg()
	m.Reply = d.msg()
	m.Pre = d.str()
	m.Post = d.str()
	return m
}

func (d *compactDec) op(o *Op) {
	o.Name = d.str()
	o.Doc = d.str()
	o.RequestValue = d.int()
	o.ReplyValue = d.int()
	o.Value = d.int()
	o.AttrSet = d.setRef()
	o.Flags = d.strs()
	o.DontValidate = d.strs()
	o.ConfigCond = d.str()
	o.FixedHeader = d.defRef()
	o.Do = d.mode()
	o.Dump = d.mode()
	if i := d.index(len(d.ops)); i >= 0 {
		o.Notify = &d.ops[i]
	}
	o.Event = d.msg()
	if i := d.index(len(d.groups)); i >= 0 {
		o.Mcgrp = &d.groups[i]
	}
	o.Pos = d.pos()
}
