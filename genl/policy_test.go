package genl

import (
	"bufio"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Attribute numbers of the captured families, from the kernel's uapi
// headers, so these portable tests need not import x/sys/unix.
const (
	ethtoolMsgLinkinfoGet = 1 // ETHTOOL_MSG_LINKINFO_GET
	ethtoolLinkinfoHeader = 1 // ETHTOOL_A_LINKINFO_HEADER
	ethtoolHeaderDevIndex = 1 // ETHTOOL_A_HEADER_DEV_INDEX
	ethtoolHeaderDevName  = 2 // ETHTOOL_A_HEADER_DEV_NAME
	ethtoolHeaderFlags    = 3 // ETHTOOL_A_HEADER_FLAGS
	ctrlCmdGetFamilyCmd   = 3 // CTRL_CMD_GETFAMILY
	ctrlCmdGetPolicyCmd   = 10
)

func readPolicyHex(t *testing.T, name string) [][]byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "policy", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var msgs [][]byte
	s := bufio.NewScanner(f)
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, b)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// checkHeaderNest checks an ethtool request policy's header nest:
// dev-index u32, dev-name a NUL-terminated string of at most IFNAMSIZ-1 or
// ALTIFNAMSIZ-1 bytes (depending on the kernel), flags a u32 with a mask.
func checkHeaderNest(t *testing.T, p *Policy) {
	t.Helper()
	if p == nil {
		t.Fatal("no policy")
	}
	hdr := p.Attrs[ethtoolLinkinfoHeader]
	if hdr == nil || hdr.Type != PolicyNested || hdr.Nested == nil {
		t.Fatalf("header attribute: %+v", hdr)
	}
	if hdr.NestedMaxType == nil || *hdr.NestedMaxType < ethtoolHeaderFlags {
		t.Errorf("header maxtype %v", hdr.NestedMaxType)
	}
	attrs := hdr.Nested.Attrs
	if a := attrs[ethtoolHeaderDevIndex]; a == nil || a.Type != PolicyU32 {
		t.Errorf("dev-index: %+v", a)
	}
	name := attrs[ethtoolHeaderDevName]
	if name == nil || name.Type != PolicyNulString || name.MaxLength == nil {
		t.Fatalf("dev-name: %+v", name)
	}
	// IFNAMSIZ-1 on older kernels, ALTIFNAMSIZ-1 since alternative names.
	if n := *name.MaxLength; n != 15 && n != 127 {
		t.Errorf("dev-name max length %d, want 15 or 127", n)
	}
	if f := attrs[ethtoolHeaderFlags]; f == nil || f.Type != PolicyU32 || f.Mask == nil || *f.Mask == 0 {
		t.Errorf("flags: %+v", f)
	}
}

func checkEthtoolPolicy(t *testing.T, fp *FamilyPolicy) {
	t.Helper()
	if fp.Family != "ethtool" || fp.ID == 0 || len(fp.Ops) < 20 {
		t.Fatalf("family %q id %d with %d ops", fp.Family, fp.ID, len(fp.Ops))
	}
	op, ok := fp.Op(ethtoolMsgLinkinfoGet)
	if !ok || op.Do == nil || op.Dump == nil {
		t.Fatalf("linkinfo-get: %+v", op)
	}
	checkHeaderNest(t, op.Do)
	// Most ethtool ops take the plain header nest, so the kernel shares one
	// header policy among them (others use the stats or phy variants).
	hdr := op.Do.Attrs[ethtoolLinkinfoHeader].Nested
	shared := 0
	for _, o := range fp.Ops {
		if o.Do != nil && o.Do.Attrs[1] != nil && o.Do.Attrs[1].Nested == hdr {
			shared++
		}
	}
	if shared < 5 {
		t.Errorf("only %d ops share the header policy", shared)
	}
	for _, o := range fp.Ops {
		if o.Cmd == 0 {
			t.Errorf("op with command 0")
		}
	}
}

func checkNlctrlPolicy(t *testing.T, fp *FamilyPolicy) {
	t.Helper()
	// getpolicy is dump-only, so the kernel reports it as command 0.
	if op, ok := fp.Op(0); !ok || op.Do != nil || op.Dump == nil {
		t.Fatalf("dump-only getpolicy not reported as command 0: %+v", fp.Ops)
	}
	if err := fp.ResolveCmds([]uint8{ctrlCmdGetFamilyCmd, ctrlCmdGetPolicyCmd}); err != nil {
		t.Fatal(err)
	}
	op, ok := fp.Op(ctrlCmdGetPolicyCmd)
	if !ok || op.Dump == nil {
		t.Fatalf("getpolicy: %+v", op)
	}
	// CTRL_CMD_GETPOLICY takes family-id (u16), family-name (nul-string), op (u32).
	want := map[uint16]PolicyType{1: PolicyU16, 2: PolicyNulString, 10: PolicyU32}
	for typ, pt := range want {
		if a := op.Dump.Attrs[typ]; a == nil || a.Type != pt {
			t.Errorf("getpolicy attr %d: %+v, want %v", typ, a, pt)
		}
	}
	if a := op.Dump.Attrs[2]; a != nil && (a.MaxLength == nil || *a.MaxLength != 15) {
		t.Errorf("family-name max length %v, want GENL_NAMSIZ-1 = 15", a.MaxLength)
	}
	if _, ok := fp.Op(ctrlCmdGetFamilyCmd); !ok {
		t.Error("getfamily missing")
	}
}

func TestDecodePolicyDumpCaptured(t *testing.T) {
	fp, err := DecodePolicyDump("ethtool", readPolicyHex(t, "ethtool.hex"))
	if err != nil {
		t.Fatal(err)
	}
	checkEthtoolPolicy(t, fp)

	one, err := DecodePolicyDump("ethtool", readPolicyHex(t, "ethtool-linkinfo-get.hex"))
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Ops) != 1 {
		t.Fatalf("ops %+v", one.Ops)
	}
	checkHeaderNest(t, one.Ops[0].Do)

	ctrl, err := DecodePolicyDump("nlctrl", readPolicyHex(t, "nlctrl.hex"))
	if err != nil {
		t.Fatal(err)
	}
	checkNlctrlPolicy(t, ctrl)
}

func TestPolicyTypeString(t *testing.T) {
	for pt, want := range map[PolicyType]string{PolicyU32: "u32", PolicyNulString: "nul-string",
		PolicyNestedArray: "nested-array", PolicyUint: "uint", PolicyInvalid: "invalid", 99: "type(99)"} {
		if got := pt.String(); got != want {
			t.Errorf("%d: got %q, want %q", uint32(pt), got, want)
		}
	}
}

// policyEntry encodes NL_POLICY_TYPE_ATTR_* attributes the way the kernel
// does, including a pad attribute before a 64-bit value.
func TestDecodeAttrPolicy(t *testing.T) {
	var e Encoder
	e.Uint32(policyAttrType, uint32(PolicyU64))
	e.Flag(policyAttrPad)
	e.Uint64(policyAttrMinU, 2)
	e.Uint64(policyAttrMaxU, 1<<40)
	e.Int64(policyAttrMinS, -5)
	e.Int64(policyAttrMaxS, 5)
	e.Uint32(policyAttrMinLen, 1)
	e.Uint32(policyAttrMaxLen, 15)
	e.Uint64(policyAttrMask, 0xf0)
	e.Uint32(policyAttrBf32Mask, 0x3)
	e.Uint32(policyAttrIdx, 4)
	e.Uint32(policyAttrMaxType, 9)
	e.Uint32(99, 1) // newer than this code: skipped
	p, err := DecodeAttrPolicy(e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.Type != PolicyU64 || *p.MinUValue != 2 || *p.MaxUValue != 1<<40 || *p.MinValue != -5 ||
		*p.MaxValue != 5 || *p.MinLength != 1 || *p.MaxLength != 15 || *p.Mask != 0xf0 ||
		*p.Bitfield32Mask != 3 || *p.PolicyIndex != 4 || *p.NestedMaxType != 9 || p.Nested != nil {
		t.Errorf("decoded %+v", p)
	}
	var bad Encoder
	bad.Uint32(policyAttrType, 1)
	bad.Uint16(policyAttrMaxLen, 1)
	if _, err := DecodeAttrPolicy(bad.Bytes()); err == nil || err.Error() != "decode .max-length: want 4 bytes, got 2" {
		t.Errorf("err = %v", err)
	}
}

// buildPolicyDump builds a two-message dump by hand: op 5 (do: policy 0,
// dump: policy 1) and a dump-only op; policy 0 has attribute 1 (u32) and 2
// (nest -> policy 2); policy 2 has attribute 1 (nest -> policy 2 again, a
// recursive nest); policy 3 is referenced and empty.
func buildPolicyDump() [][]byte {
	var m1 Encoder
	m1.Uint16(policyCtrlFamilyID, 0x1234)
	op := m1.Nest(policyCtrlOpPolicy)
	c := m1.Nest(5)
	m1.Uint32(policyCtrlDo, 0)
	m1.Uint32(policyCtrlDump, 1)
	m1.End(c)
	c = m1.Nest(0)
	m1.Uint32(policyCtrlDump, 3)
	m1.End(c)
	m1.End(op)

	var m2 Encoder
	m2.Uint16(policyCtrlFamilyID, 0x1234)
	pol := m2.Nest(policyCtrlPolicy)
	p0 := m2.Nest(0)
	a := m2.Nest(1)
	m2.Uint32(policyAttrType, uint32(PolicyU32))
	m2.End(a)
	a = m2.Nest(2)
	m2.Uint32(policyAttrType, uint32(PolicyNested))
	m2.Uint32(policyAttrIdx, 2)
	m2.Uint32(policyAttrMaxType, 1)
	m2.End(a)
	m2.End(p0)
	p1 := m2.Nest(1)
	a = m2.Nest(3)
	m2.Uint32(policyAttrType, uint32(PolicyFlag))
	m2.End(a)
	m2.End(p1)
	p2 := m2.Nest(2)
	a = m2.Nest(1)
	m2.Uint32(policyAttrType, uint32(PolicyNestedArray))
	m2.Uint32(policyAttrIdx, 2)
	m2.End(a)
	m2.End(p2)
	m2.End(pol)
	return [][]byte{m1.Bytes(), m2.Bytes()}
}

func TestDecodePolicyDumpBuilt(t *testing.T) {
	fp, err := DecodePolicyDump("demo", buildPolicyDump())
	if err != nil {
		t.Fatal(err)
	}
	if fp.Family != "demo" || fp.ID != 0x1234 || len(fp.Ops) != 2 || len(fp.Policies) != 4 {
		t.Fatalf("got %+v", fp)
	}
	op, ok := fp.Op(5)
	if !ok || op.Do != fp.Policies[0] || op.Dump != fp.Policies[1] {
		t.Fatalf("op 5: %+v", op)
	}
	nest := op.Do.Attrs[2]
	if nest.Type != PolicyNested || nest.Nested != fp.Policies[2] || *nest.NestedMaxType != 1 {
		t.Errorf("nest: %+v", nest)
	}
	if rec := fp.Policies[2].Attrs[1]; rec.Nested != fp.Policies[2] {
		t.Errorf("recursive nest not linked to itself: %+v", rec)
	}
	dumpOnly := fp.Ops[1]
	if dumpOnly.Cmd != 0 || dumpOnly.Do != nil || dumpOnly.Dump != fp.Policies[3] || len(dumpOnly.Dump.Attrs) != 0 {
		t.Errorf("dump-only op: %+v", dumpOnly)
	}
	if err := fp.ResolveCmds([]uint8{5}); err == nil {
		t.Error("ResolveCmds accepted a short list")
	}
	if err := fp.ResolveCmds([]uint8{6, 7}); err == nil || err.Error() != "genl: demo policy op 0 is command 5, the family's is 6" {
		t.Errorf("ResolveCmds mismatch: %v", err)
	}
	// A family flagging more ops with a policy than the dump lists (Linux
	// 6.1's nl80211): the listed ones are matched in order, the dump-only
	// entry to the next dump-only op.
	sub, err := DecodePolicyDump("demo", buildPolicyDump())
	if err != nil {
		t.Fatal(err)
	}
	ops := []Op{{ID: 3, Flags: OpDo | OpHasPolicy}, {ID: 5, Flags: OpDo | OpHasPolicy}, {ID: 6, Flags: OpDo | OpHasPolicy},
		{ID: 7, Flags: OpDump | OpHasPolicy}, {ID: 8, Flags: OpDump | OpHasPolicy}}
	if err := sub.resolveSubset(ops); err != nil || sub.Ops[0].Cmd != 5 || sub.Ops[1].Cmd != 7 {
		t.Errorf("resolveSubset: %v, ops %+v", err, sub.Ops)
	}
	sub, _ = DecodePolicyDump("demo", buildPolicyDump())
	if err := sub.resolveSubset(ops[2:]); err == nil || sub.Ops[0].Cmd != 5 {
		t.Errorf("resolveSubset without command 5: %v, ops %+v", err, sub.Ops)
	}
	if err := fp.ResolveCmds([]uint8{5, 7}); err != nil {
		t.Fatal(err)
	}
	if op, ok := fp.Op(7); !ok || op.Dump != fp.Policies[3] {
		t.Errorf("op 7 after ResolveCmds: %+v", op)
	}
}

func TestDecodePolicyDumpErrors(t *testing.T) {
	good := buildPolicyDump()
	tests := []struct {
		name string
		msgs [][]byte
		want string
	}{
		{"truncated", [][]byte{good[0], good[1][:len(good[1])-3]},
			"genl: demo policy dump message 1: decode .policy: attribute length"},
		{"short type", [][]byte{cat(attr(policyCtrlPolicy|nlaFNested, attr(4|nlaFNested, attr(7|nlaFNested, attr(policyAttrType, 1, 0)...)...)...))},
			"genl: demo policy dump message 0: decode .policy.4.7.type: want 4 bytes, got 2"},
		{"short index", [][]byte{cat(attr(policyCtrlOpPolicy|nlaFNested, attr(3|nlaFNested, attr(policyCtrlDo, 1)...)...))},
			"genl: demo policy dump message 0: decode .op-policy.3.do: want 4 bytes, got 1"},
		{"command too big", [][]byte{cat(attr(policyCtrlOpPolicy|nlaFNested, attr(300|nlaFNested)...))},
			"genl: demo policy dump message 0: decode .op-policy.300: command 300 does not fit a genl header"},
		{"family id", [][]byte{attr(policyCtrlFamilyID, 1)},
			"genl: demo policy dump message 0: decode .family-id: want 2 bytes, got 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodePolicyDump("demo", tt.msgs)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %v\nwant %s...", err, tt.want)
			}
		})
	}
}

func FuzzDecodePolicyDump(f *testing.F) {
	for _, m := range buildPolicyDump() {
		f.Add(m)
	}
	f.Add(attr(policyCtrlPolicy, attr(1, attr(1)...)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		fp, err := DecodePolicyDump("fuzz", [][]byte{b, b})
		if err != nil {
			return
		}
		for _, p := range fp.Policies {
			for _, a := range p.Attrs {
				if (a.PolicyIndex == nil) != (a.Nested == nil) {
					t.Fatalf("nest link mismatch: %+v", a)
				}
			}
		}
		for _, o := range fp.Ops {
			if o.Do != nil && o.Do.Attrs == nil || o.Dump != nil && o.Dump.Attrs == nil {
				t.Fatalf("op %d policy without an attribute map", o.Cmd)
			}
		}
		_, _ = DecodeAttrPolicy(b)
	})
}
