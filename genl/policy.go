package genl

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// PolicyType is the type of an attribute in a kernel policy (NL_ATTR_TYPE_*).
type PolicyType uint32

// The attribute types a kernel policy dump reports (enum netlink_attribute_type).
const (
	PolicyInvalid     PolicyType = 0  // NL_ATTR_TYPE_INVALID
	PolicyFlag        PolicyType = 1  // NL_ATTR_TYPE_FLAG
	PolicyU8          PolicyType = 2  // NL_ATTR_TYPE_U8
	PolicyU16         PolicyType = 3  // NL_ATTR_TYPE_U16
	PolicyU32         PolicyType = 4  // NL_ATTR_TYPE_U32
	PolicyU64         PolicyType = 5  // NL_ATTR_TYPE_U64
	PolicyS8          PolicyType = 6  // NL_ATTR_TYPE_S8
	PolicyS16         PolicyType = 7  // NL_ATTR_TYPE_S16
	PolicyS32         PolicyType = 8  // NL_ATTR_TYPE_S32
	PolicyS64         PolicyType = 9  // NL_ATTR_TYPE_S64
	PolicyBinary      PolicyType = 10 // NL_ATTR_TYPE_BINARY
	PolicyString      PolicyType = 11 // NL_ATTR_TYPE_STRING
	PolicyNulString   PolicyType = 12 // NL_ATTR_TYPE_NUL_STRING
	PolicyNested      PolicyType = 13 // NL_ATTR_TYPE_NESTED
	PolicyNestedArray PolicyType = 14 // NL_ATTR_TYPE_NESTED_ARRAY
	PolicyBitfield32  PolicyType = 15 // NL_ATTR_TYPE_BITFIELD32
	PolicySint        PolicyType = 16 // NL_ATTR_TYPE_SINT (Linux 6.7+)
	PolicyUint        PolicyType = 17 // NL_ATTR_TYPE_UINT (Linux 6.7+)
)

var policyTypeNames = [...]string{
	"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
	"binary", "string", "nul-string", "nested", "nested-array", "bitfield32",
	"sint", "uint",
}

// String returns the type's name: "u32", "nul-string", "nested-array", ...;
// an unknown type prints as "type(N)".
func (t PolicyType) String() string {
	if int(t) < len(policyTypeNames) {
		return policyTypeNames[t]
	}
	return "type(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// AttrPolicy is the kernel's validation policy for one attribute. Pointer
// fields are nil when the kernel did not report that bound.
type AttrPolicy struct {
	Type                 PolicyType
	MinValue, MaxValue   *int64  // signed bounds (NL_POLICY_TYPE_ATTR_MIN/MAX_VALUE_S)
	MinUValue, MaxUValue *uint64 // unsigned bounds (NL_POLICY_TYPE_ATTR_MIN/MAX_VALUE_U)
	MinLength, MaxLength *uint32 // length bounds for binary and string types
	Mask                 *uint64 // allowed bits (NL_POLICY_TYPE_ATTR_MASK)
	Bitfield32Mask       *uint32 // allowed bits of a bitfield32
	// Nested is the policy of a nested or nested-array attribute's contents,
	// resolved from PolicyIndex (nil outside a policy dump, e.g. in an
	// extended ACK, which quotes one attribute).
	Nested *Policy
	// PolicyIndex is the index of the nested policy in the dump
	// (NL_POLICY_TYPE_ATTR_POLICY_IDX), and NestedMaxType its highest
	// attribute type (NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE); both nil when
	// the attribute is not a nest.
	PolicyIndex   *uint32
	NestedMaxType *uint32
}

// Policy is the kernel's policy for one attribute space: the attributes it
// accepts, by type. Types missing from Attrs are rejected by the kernel.
type Policy struct {
	Index uint32 // index of this policy in the dump
	Attrs map[uint16]*AttrPolicy
}

// Types lists the attribute types the policy has, in ascending order.
func (p *Policy) Types() []uint16 { return slices.Sorted(maps.Keys(p.Attrs)) }

// OpPolicy names the policies an operation validates its requests with.
// Do or Dump is nil when the op has no such handler or takes no attributes.
//
// The kernel reports a dump-only op (one without a do handler) under
// command 0, in full and single-op dumps alike; ResolveCmds puts the real
// command back.
type OpPolicy struct {
	Cmd      uint8
	Do, Dump *Policy
}

// FamilyPolicy is a family's decoded CTRL_CMD_GETPOLICY dump.
type FamilyPolicy struct {
	Family   string
	ID       uint16             // family id the kernel reported
	Ops      []OpPolicy         // sorted by Cmd
	Policies map[uint32]*Policy // every policy in the dump, by index
}

// Op returns the policies of command cmd.
func (f *FamilyPolicy) Op(cmd uint8) (OpPolicy, bool) {
	for _, o := range f.Ops {
		if o.Cmd == cmd {
			return o, true
		}
	}
	return OpPolicy{}, false
}

// ResolveCmds gives dump-only ops, which the kernel reports as command 0,
// their real commands. cmds lists the family's commands that have a
// policy (the Family.Ops flagged OpHasPolicy) in the kernel's order, or,
// for a single-op dump, just that op's command: the kernel lists exactly
// those ops, in that order. ResolveCmds changes nothing and returns an
// error when the dump does not line up with cmds.
func (f *FamilyPolicy) ResolveCmds(cmds []uint8) error {
	if len(cmds) != len(f.Ops) {
		return fmt.Errorf("genl: %s policy lists %d ops, the family %d with a policy", f.Family, len(f.Ops), len(cmds))
	}
	for i, o := range f.Ops {
		if o.Cmd != 0 && o.Cmd != cmds[i] {
			return fmt.Errorf("genl: %s policy op %d is command %d, the family's is %d", f.Family, i, o.Cmd, cmds[i])
		}
	}
	for i := range f.Ops {
		f.Ops[i].Cmd = cmds[i]
	}
	return nil
}

// resolveSubset is ResolveCmds for a dump that lists fewer ops than the
// family flags OpHasPolicy (seen on Linux 6.1): in the family's order, a
// listed command matches itself, a command-0 entry the next op that is
// dump-only or command 0. It changes nothing when an entry matches none.
func (f *FamilyPolicy) resolveSubset(ops []Op) error {
	cmds := make([]uint8, len(f.Ops))
	j := 0
	for i, o := range f.Ops {
		for ; j < len(ops); j++ {
			op := ops[j]
			if op.Flags&OpHasPolicy == 0 {
				continue
			}
			if o.Cmd != 0 && uint32(o.Cmd) == op.ID || o.Cmd == 0 && (op.ID == 0 || op.Flags&OpDo == 0) {
				break
			}
		}
		if j == len(ops) {
			return fmt.Errorf("genl: %s policy lists %d ops, the family %d with a policy, and op %d (command %d) matches none of them in order", f.Family, len(f.Ops), countPolicyOps(ops), i, o.Cmd)
		}
		cmds[i] = uint8(ops[j].ID)
		j++
	}
	for i := range f.Ops {
		f.Ops[i].Cmd = cmds[i]
	}
	return nil
}

func countPolicyOps(ops []Op) int {
	n := 0
	for _, op := range ops {
		if op.Flags&OpHasPolicy != 0 {
			n++
		}
	}
	return n
}

// Netlink controller attributes of a policy dump (linux/genetlink.h) and
// policy attributes (linux/netlink.h), repeated here to stay portable.
const (
	policyCtrlCmdGet   = 10 // CTRL_CMD_GETPOLICY
	policyCtrlFamilyID = 1  // CTRL_ATTR_FAMILY_ID
	policyCtrlFamName  = 2  // CTRL_ATTR_FAMILY_NAME
	policyCtrlPolicy   = 8  // CTRL_ATTR_POLICY
	policyCtrlOpPolicy = 9  // CTRL_ATTR_OP_POLICY
	policyCtrlOp       = 10 // CTRL_ATTR_OP
	policyCtrlDo       = 1  // CTRL_ATTR_POLICY_DO
	policyCtrlDump     = 2  // CTRL_ATTR_POLICY_DUMP
	policyAttrType     = 1  // NL_POLICY_TYPE_ATTR_TYPE
	policyAttrMinS     = 2  // NL_POLICY_TYPE_ATTR_MIN_VALUE_S
	policyAttrMaxS     = 3  // NL_POLICY_TYPE_ATTR_MAX_VALUE_S
	policyAttrMinU     = 4  // NL_POLICY_TYPE_ATTR_MIN_VALUE_U
	policyAttrMaxU     = 5  // NL_POLICY_TYPE_ATTR_MAX_VALUE_U
	policyAttrMinLen   = 6  // NL_POLICY_TYPE_ATTR_MIN_LENGTH
	policyAttrMaxLen   = 7  // NL_POLICY_TYPE_ATTR_MAX_LENGTH
	policyAttrIdx      = 8  // NL_POLICY_TYPE_ATTR_POLICY_IDX
	policyAttrMaxType  = 9  // NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE
	policyAttrBf32Mask = 10 // NL_POLICY_TYPE_ATTR_BITFIELD32_MASK
	policyAttrPad      = 11 // NL_POLICY_TYPE_ATTR_PAD
	policyAttrMask     = 12 // NL_POLICY_TYPE_ATTR_MASK
)

var (
	policyCtrlNames = []string{policyCtrlFamilyID: "family-id", policyCtrlFamName: "family-name",
		policyCtrlPolicy: "policy", policyCtrlOpPolicy: "op-policy", policyCtrlOp: "op"}
	policyOpNames   = []string{policyCtrlDo: "do", policyCtrlDump: "dump"}
	policyAttrNames = []string{policyAttrType: "type", policyAttrMinS: "min-value-s",
		policyAttrMaxS: "max-value-s", policyAttrMinU: "min-value-u", policyAttrMaxU: "max-value-u",
		policyAttrMinLen: "min-length", policyAttrMaxLen: "max-length", policyAttrIdx: "policy-idx",
		policyAttrMaxType: "policy-maxtype", policyAttrBf32Mask: "bitfield32-mask",
		policyAttrPad: "pad", policyAttrMask: "mask"}
)

// DecodeAttrPolicy decodes the NL_POLICY_TYPE_ATTR_* attributes describing
// one attribute's policy: the contents of an NLMSGERR_ATTR_POLICY nest in
// an extended ACK, or of one attribute entry in a policy dump. Nested is
// left nil; PolicyIndex says which policy a nest refers to.
func DecodeAttrPolicy(b []byte) (*AttrPolicy, error) {
	p := new(AttrPolicy)
	w := NewWalker(b, policyAttrNames)
	for w.Next() {
		switch w.Type() {
		case policyAttrType:
			p.Type = PolicyType(w.Uint32())
		case policyAttrMinS:
			p.MinValue = ptr(w.Int64())
		case policyAttrMaxS:
			p.MaxValue = ptr(w.Int64())
		case policyAttrMinU:
			p.MinUValue = ptr(w.Uint64())
		case policyAttrMaxU:
			p.MaxUValue = ptr(w.Uint64())
		case policyAttrMinLen:
			p.MinLength = ptr(w.Uint32())
		case policyAttrMaxLen:
			p.MaxLength = ptr(w.Uint32())
		case policyAttrIdx:
			p.PolicyIndex = ptr(w.Uint32())
		case policyAttrMaxType:
			p.NestedMaxType = ptr(w.Uint32())
		case policyAttrBf32Mask:
			p.Bitfield32Mask = ptr(w.Uint32())
		case policyAttrMask:
			p.Mask = ptr(w.Uint64())
		}
		// NL_POLICY_TYPE_ATTR_PAD and types newer than this code are skipped.
	}
	if err := w.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func ptr[T any](v T) *T { return &v }

// DecodePolicyDump decodes a family's CTRL_CMD_GETPOLICY dump into a typed
// policy tree. msgs holds each dump reply's payload after the genl header
// (the CTRL_ATTR_* attributes), in order; Message.Data of the replies of a
// Dump with Family "nlctrl", Command 10 (CTRL_CMD_GETPOLICY) and Attrs
// carrying CTRL_ATTR_FAMILY_NAME (and CTRL_ATTR_OP for one op) is exactly
// that. Copy Message.Data while dumping: it is reused between messages.
//
// The dump interleaves op entries (CTRL_ATTR_OP_POLICY: cmd -> do/dump
// policy index) and policy entries (CTRL_ATTR_POLICY: policy index ->
// attribute type -> NL_POLICY_TYPE_ATTR_*). DecodePolicyDump links them:
// OpPolicy.Do/Dump and AttrPolicy.Nested point into Policies (so nested
// policies may form cycles). A policy the kernel referenced without dumping
// any entries for it is an empty policy.
func DecodePolicyDump(family string, msgs [][]byte) (*FamilyPolicy, error) {
	d := policyDecoder{fp: &FamilyPolicy{Family: family, Policies: map[uint32]*Policy{}}}
	for i, m := range msgs {
		if err := d.message(m); err != nil {
			return nil, fmt.Errorf("genl: %s policy dump message %d: %w", family, i, err)
		}
	}
	d.link()
	return d.fp, nil
}

// opRefs holds an op's policy indexes until every policy is known.
type opRefs struct {
	cmd      uint8
	do, dump *uint32
}

type policyDecoder struct {
	fp  *FamilyPolicy
	ops []*opRefs // in the kernel's order
}

// op returns the entry for cmd, adding one. Command 0 (a dump-only op)
// always gets a new entry: several ops may share it.
func (d *policyDecoder) op(cmd uint8) *opRefs {
	if cmd != 0 {
		for _, r := range d.ops {
			if r.cmd == cmd {
				return r
			}
		}
	}
	r := &opRefs{cmd: cmd}
	d.ops = append(d.ops, r)
	return r
}

// message decodes one dump reply.
func (d *policyDecoder) message(b []byte) error {
	w := NewWalker(b, policyCtrlNames)
	for w.Next() {
		var err error
		switch w.Type() {
		case policyCtrlFamilyID:
			d.fp.ID = w.Uint16()
		case policyCtrlOpPolicy:
			err = d.opPolicies(w.Data())
		case policyCtrlPolicy:
			err = d.policies(w.Data())
		}
		if err != nil {
			return InAttr(err, policyCtrlNames[w.Type()])
		}
	}
	return w.Err()
}

// opPolicies decodes CTRL_ATTR_OP_POLICY: a nest per command holding
// CTRL_ATTR_POLICY_DO and CTRL_ATTR_POLICY_DUMP indexes.
func (d *policyDecoder) opPolicies(b []byte) error {
	w := NewWalker(b, nil)
	for w.Next() {
		if w.Type() > 0xff {
			w.Fail("command " + strconv.Itoa(int(w.Type())) + " does not fit a genl header")
			break
		}
		cmd := uint8(w.Type())
		refs := d.op(cmd)
		in := NewWalker(w.Data(), policyOpNames)
		for in.Next() {
			switch in.Type() {
			case policyCtrlDo:
				refs.do = ptr(in.Uint32())
			case policyCtrlDump:
				refs.dump = ptr(in.Uint32())
			}
		}
		if err := in.Err(); err != nil {
			return InAttr(err, strconv.Itoa(int(cmd)))
		}
	}
	return w.Err()
}

// policies decodes CTRL_ATTR_POLICY: policy index -> attribute type ->
// the attribute's policy.
func (d *policyDecoder) policies(b []byte) error {
	w := NewWalker(b, nil)
	for w.Next() {
		idx := uint32(w.Type())
		pol := d.policy(idx)
		in := NewWalker(w.Data(), nil)
		for in.Next() {
			ap, err := DecodeAttrPolicy(in.Data())
			if err != nil {
				return InAttr(InAttr(err, strconv.Itoa(int(in.Type()))), strconv.Itoa(int(idx)))
			}
			pol.Attrs[in.Type()] = ap
		}
		if err := in.Err(); err != nil {
			return InAttr(err, strconv.Itoa(int(idx)))
		}
	}
	return w.Err()
}

// link resolves policy indexes into pointers and builds the ops.
func (d *policyDecoder) link() {
	for _, idx := range slices.Sorted(maps.Keys(d.fp.Policies)) {
		for _, ap := range d.fp.Policies[idx].Attrs {
			if ap.PolicyIndex != nil {
				ap.Nested = d.policy(*ap.PolicyIndex)
			}
		}
	}
	for _, refs := range d.ops {
		op := OpPolicy{Cmd: refs.cmd}
		if refs.do != nil {
			op.Do = d.policy(*refs.do)
		}
		if refs.dump != nil {
			op.Dump = d.policy(*refs.dump)
		}
		d.fp.Ops = append(d.fp.Ops, op)
	}
}

// policy returns the policy with index idx. The kernel dumps no entries
// for a policy without attributes, so an index that is referenced but
// never dumped is an empty policy: the kernel accepts no attributes there.
func (d *policyDecoder) policy(idx uint32) *Policy {
	p := d.fp.Policies[idx]
	if p == nil {
		p = &Policy{Index: idx, Attrs: map[uint16]*AttrPolicy{}}
		d.fp.Policies[idx] = p
	}
	return p
}
