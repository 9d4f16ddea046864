package family

// This file holds the resolved model of a YNL family spec. Every reference a
// spec makes by name (a nested attribute set, an enum, a struct, a
// sub-message, a multicast group, a notified operation) is resolved to a
// pointer when the spec is loaded, so consumers never look a name up again.
// Values are numbered as the kernel numbers them.

// Protocol is the netlink protocol flavour a spec declares.
type Protocol string

// The four protocols a spec may declare.
const (
	ProtocolGenetlink       Protocol = "genetlink"
	ProtocolGenetlinkC      Protocol = "genetlink-c"
	ProtocolGenetlinkLegacy Protocol = "genetlink-legacy"
	ProtocolNetlinkRaw      Protocol = "netlink-raw"
)

// IsGenetlink reports whether p is one of the generic netlink protocols.
func (p Protocol) IsGenetlink() bool { return p != ProtocolNetlinkRaw }

// Pos is a position in a spec file: the file's name as it was given to the
// loader (never made absolute), and the 1-based line and column.
type Pos struct {
	File string
	Line int
	Col  int
}

// Family is a loaded, resolved and validated family spec.
type Family struct {
	// Name is the family name used on the wire (net_shaper.yaml is "net-shaper").
	Name string
	// FileName is the base name of the spec file the family was loaded from.
	FileName string
	Protocol Protocol
	Doc      string
	// Version is the generic netlink family version (1 unless the spec says).
	Version int
	// ProtoNum is the netlink protocol number (netlink-raw only).
	ProtoNum int

	// C naming knobs, kept for generators that mirror the kernel's names.
	UAPIHeader   string
	CFamilyName  string
	CVersionName string
	MaxByDefine  bool
	CmdMaxName   string
	CmdCntName   string
	KernelPolicy string // "split", "per-op", "global" or ""

	Definitions     []*Definition
	AttributeSets   []*AttrSet
	Operations      *Operations // never nil
	MulticastGroups []*McastGroup
	SubMessages     []*SubMessage

	Pos Pos
}

// DefKind is the kind of a definition.
type DefKind string

// The definition kinds.
const (
	DefConst  DefKind = "const"
	DefEnum   DefKind = "enum"
	DefFlags  DefKind = "flags"
	DefStruct DefKind = "struct"
)

// Definition is an entry of the spec's definitions: a constant, an enum, a
// set of flags or a packed struct.
type Definition struct {
	Name   string
	Kind   DefKind
	Doc    string
	Header string // C header that defines it, if not generated
	// Scope is where the kernel's C generator renders the definition:
	// "uapi" (the default, also when empty), "kernel" or "user". A
	// kernel-scoped one is not in the UAPI header.
	Scope string

	// Const: the value; a const whose value is a string (a name, say) has
	// IsString set and the text in StrValue.
	Value    int64
	StrValue string
	IsString bool

	// Enum and flags.
	NamePrefix string
	EnumName   string
	// NoEnumName is set when the spec says enum-name: null (render an
	// anonymous C enum), as opposed to leaving the default name.
	NoEnumName  bool
	EnumCntName string
	RenderMax   bool
	ValueStart  int64
	Entries     []*EnumEntry

	// Struct: the members, packed in order.
	Members []*Member
	// Size is the struct's size in bytes (struct only).
	Size int

	Pos Pos
}

// EnumEntry is one entry of an enum or flags definition. For flags, Value is
// the bit mask (1 << bit), not the bit number.
type EnumEntry struct {
	Name  string
	Value uint64
	Doc   string
	Pos   Pos
}

// Member is a member of a struct definition.
type Member struct {
	Name string
	// Type is one of u8..s64, string, binary or pad.
	Type        string
	Len         int // bytes, for string, binary and pad members
	ByteOrder   ByteOrder
	Doc         string
	Enum        *Definition // the enum or flags type, if any
	EnumAsFlags bool
	Struct      *Definition // for binary members that hold a nested struct
	DisplayHint string
	// Offset is the member's byte offset in the packed struct; Size its width.
	Offset int
	Size   int
	Pos    Pos
}

// ByteOrder is an attribute's or member's byte order. The zero value means
// host order.
type ByteOrder string

// The explicit byte orders.
const (
	HostEndian   ByteOrder = ""
	LittleEndian ByteOrder = "little-endian"
	BigEndian    ByteOrder = "big-endian"
)

// AttrType is the type of an attribute.
type AttrType string

// The attribute types of all four protocols.
const (
	TypeUnused        AttrType = "unused"
	TypePad           AttrType = "pad"
	TypeFlag          AttrType = "flag"
	TypeBinary        AttrType = "binary"
	TypeBitfield32    AttrType = "bitfield32"
	TypeUint          AttrType = "uint"
	TypeSint          AttrType = "sint"
	TypeU8            AttrType = "u8"
	TypeU16           AttrType = "u16"
	TypeU32           AttrType = "u32"
	TypeU64           AttrType = "u64"
	TypeS8            AttrType = "s8"
	TypeS16           AttrType = "s16"
	TypeS32           AttrType = "s32"
	TypeS64           AttrType = "s64"
	TypeString        AttrType = "string"
	TypeNest          AttrType = "nest"
	TypeIndexedArray  AttrType = "indexed-array"
	TypeNestTypeValue AttrType = "nest-type-value"
	TypeSubMessage    AttrType = "sub-message"
)

// IsScalar reports whether t is a fixed or variable width integer type.
func (t AttrType) IsScalar() bool {
	switch t {
	case TypeUint, TypeSint, TypeU8, TypeU16, TypeU32, TypeU64, TypeS8, TypeS16, TypeS32, TypeS64:
		return true
	}
	return false
}

// IsSigned reports whether t is a signed integer type.
func (t AttrType) IsSigned() bool {
	switch t {
	case TypeSint, TypeS8, TypeS16, TypeS32, TypeS64:
		return true
	}
	return false
}

// Width returns the payload size in bytes of a fixed-width scalar type, 8 for
// bitfield32 and 0 for everything else (uint and sint are 4 or 8 on the wire).
func (t AttrType) Width() int {
	switch t {
	case TypeU8, TypeS8:
		return 1
	case TypeU16, TypeS16:
		return 2
	case TypeU32, TypeS32:
		return 4
	case TypeU64, TypeS64, TypeBitfield32:
		return 8
	}
	return 0
}

// AttrSet is a set of attributes: the attribute space of a message or a nest.
type AttrSet struct {
	Name       string
	NamePrefix string
	EnumName   string
	// NoEnumName is set when the spec says enum-name: null.
	NoEnumName  bool
	Doc         string
	AttrCntName string
	AttrMaxName string
	Header      string
	// SubsetOf is the parent set when this set is a subset-of; its attributes
	// share the parent's values and, unless overridden, types and references.
	SubsetOf   *AttrSet
	Attributes []*Attr

	byName map[string]*Attr
	Pos    Pos
}

// Attr returns the attribute named name, or nil.
func (s *AttrSet) Attr(name string) *Attr {
	if s == nil {
		return nil
	}
	if s.byName == nil {
		// A small set decoded from the compact form has no index.
		for _, a := range s.Attributes {
			if a.Name == name {
				return a
			}
		}
		return nil
	}
	return s.byName[name]
}

// ByValue returns the attribute with the given value (type number), or nil.
// When several attributes share a value (which validation rejects), the first
// wins.
func (s *AttrSet) ByValue(v int) *Attr {
	if s == nil {
		return nil
	}
	for _, a := range s.Attributes {
		if a.Value == v {
			return a
		}
	}
	return nil
}

// Attr is one attribute of an attribute set, fully resolved.
type Attr struct {
	// Set is the set the attribute belongs to.
	Set   *AttrSet
	Name  string
	Value int
	Type  AttrType
	Doc   string

	MultiAttr bool
	ByteOrder ByteOrder
	// DisplayHint is one of hex, mac, fddi, ipv4, ipv6, ipv4-or-v6, uuid, or "".
	DisplayHint string
	NamePrefix  string

	// Nested is the attribute set of a nest, indexed-array of nests, or
	// nest-type-value.
	Nested *AttrSet
	// SubType is the element type of an indexed-array or of a binary array.
	SubType AttrType
	// TypeValue names the levels of a nest-type-value attribute.
	TypeValue []string
	// Struct is the struct definition a binary attribute (or a binary
	// indexed-array element) holds.
	Struct *Definition
	// Enum is the enum or flags definition of a scalar (or bitfield32).
	Enum        *Definition
	EnumAsFlags bool

	// SubMessage and Selector describe a sub-message attribute: the payload
	// format is chosen by the value of the selector attribute, named in
	// SelectorName and found in this set (SelectorAttr) or, when nil, in an
	// enclosing message.
	SubMessage   *SubMessage
	SelectorName string
	SelectorAttr *Attr

	Checks Checks

	// Parent is the same-named attribute of the parent set, for subsets.
	Parent *Attr
	Pos    Pos
}

// Checks are the validation constraints a spec puts on an attribute.
type Checks struct {
	Min, Max       *Limit
	MinLen, MaxLen *Limit
	ExactLen       *Limit
	UnterminatedOK bool
	FlagsMask      *Definition // a flags definition whose mask values must fit
	// Sparse is reserved: none of the four schemas has a sparse check, so
	// the loader rejects the key and never sets it.
	Sparse bool
}

// Limit is a resolved check value. It holds any int64 or uint64, so u64-max
// and s64-min are both exact. Name is the const or type limit the spec used,
// if any ("u16-max", "ETH_MAX_MTU"), so generators can keep the symbol.
type Limit struct {
	Neg  bool   // value is negative
	Abs  uint64 // magnitude
	Name string // symbolic form from the spec, or ""
}

// Int64 returns the limit as an int64, saturating.
func (l *Limit) Int64() int64 {
	if l.Neg {
		if l.Abs > 1<<63 {
			return -1 << 63
		}
		return -int64(l.Abs)
	}
	if l.Abs > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(l.Abs)
}

// Uint64 returns the limit as a uint64 (0 for negative limits).
func (l *Limit) Uint64() uint64 {
	if l.Neg {
		return 0
	}
	return l.Abs
}

// Operations holds the family's operation list and its numbering.
type Operations struct {
	// Model is "unified" or "directional".
	Model       string
	NamePrefix  string
	EnumName    string
	AsyncPrefix string
	AsyncEnum   string
	// NoEnumName and NoAsyncEnum are set when the spec says enum-name: null
	// or async-enum: null.
	NoEnumName  bool
	NoAsyncEnum bool
	// FixedHeader is the family-level fixed header (a struct definition) that
	// sits after the genetlink header in every message, or nil.
	FixedHeader *Definition
	List        []*Op
}

// Directional reports whether request and reply ids are numbered apart.
func (o *Operations) Directional() bool { return o.Model == "directional" }

// Op returns the operation named name, or nil.
func (o *Operations) Op(name string) *Op {
	for _, op := range o.List {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// Op is one operation, notification or event.
type Op struct {
	Name string
	Doc  string
	// RequestValue is the command id sent to the kernel (0 if the op is only a
	// notification or event). ReplyValue is the id of the kernel's replies and
	// notifications for this op (0 if it has none). In the unified model both
	// equal the op's value.
	RequestValue int
	ReplyValue   int
	// Value is the op's value in the unified model (equal to RequestValue, or
	// ReplyValue for notifications); in the directional model it is
	// RequestValue when non-zero, else ReplyValue.
	Value int

	// AttrSet is the op's attribute set (inherited by notify ops).
	AttrSet      *AttrSet
	Flags        []string // admin-perm, uns-admin-perm
	DontValidate []string // strict, dump, dump-strict
	ConfigCond   string
	// FixedHeader is the op's effective fixed header: its own, else the
	// family's, else nil.
	FixedHeader *Definition

	Do   *OpMode
	Dump *OpMode

	// Notify is the op whose reply attributes this notification carries.
	Notify *Op
	// Event lists the attributes of an event (an op with `event:`).
	Event *OpMessage
	// Mcgrp is the multicast group notifications of this op are sent to.
	Mcgrp *McastGroup

	Pos Pos
}

// IsNotification reports whether the op is a notification or event that the
// kernel sends unsolicited (it has notify or event).
func (op *Op) IsNotification() bool { return op.Notify != nil || op.Event != nil }

// NotificationAttrs returns the attributes a notification or event carries:
// the event's list, or the notified op's do (else dump) reply attributes.
func (op *Op) NotificationAttrs() []*Attr {
	if op.Event != nil {
		return op.Event.Attributes
	}
	if n := op.Notify; n != nil {
		if n.Do != nil && n.Do.Reply != nil {
			return n.Do.Reply.Attributes
		}
		if n.Dump != nil && n.Dump.Reply != nil {
			return n.Dump.Reply.Attributes
		}
	}
	return nil
}

// OpMode is the do or dump half of an operation.
type OpMode struct {
	Request *OpMessage // nil when the mode sends no attributes block
	Reply   *OpMessage // nil when the kernel replies with only an ACK
	Pre     string
	Post    string
}

// OpMessage is the request or reply of an op mode: the attributes (of the
// op's attribute set) it carries, in spec order.
type OpMessage struct {
	// Value is the message id of the block in the directional model: the
	// op's RequestValue or ReplyValue for the blocks of the mode that numbers
	// the op (do, else dump), else an explicit value from the spec, else 0.
	Value      int
	Attributes []*Attr
	Pos        Pos
}

// McastGroup is a multicast group. Generic netlink group ids are resolved at
// run time; netlink-raw groups carry a fixed Value.
type McastGroup struct {
	Name  string
	CName string
	Value int
	Flags []string
	// ConfigCond and Doc are reserved: the schemas give multicast groups no
	// such keys, so they stay empty.
	ConfigCond string
	Doc        string
	Pos        Pos
}

// SubMessage is a set of payload formats chosen by a selector value.
type SubMessage struct {
	Name    string
	Doc     string
	Formats []*Format
	Pos     Pos
}

// Format returns the format selected by value, or nil.
func (s *SubMessage) Format(value string) *Format {
	for _, f := range s.Formats {
		if f.Value == value {
			return f
		}
	}
	return nil
}

// Format is one payload format of a sub-message: a fixed header, an
// attribute set, or both (or neither, for an empty payload).
type Format struct {
	Value       string
	FixedHeader *Definition
	AttrSet     *AttrSet
	Pos         Pos
}
