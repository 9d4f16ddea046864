package family

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testdata = "../testdata/family"

// load loads a spec of testdata/family and round-trips its descriptor.
func load(t *testing.T, name string, overlays ...string) *Family {
	t.Helper()
	var ovs []string
	for _, o := range overlays {
		ovs = append(ovs, filepath.Join(testdata, o))
	}
	f, err := Load(filepath.Join(testdata, name), ovs...)
	if err != nil {
		t.Fatalf("Load(%s): %v", name, err)
	}
	roundTrip(t, f)
	return f
}

func wantInt(t *testing.T, what string, got, want int) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %d, want %d", what, got, want)
	}
}

func attrValues(s *AttrSet) map[string]int {
	m := map[string]int{}
	for _, a := range s.Attributes {
		m[a.Name] = a.Value
	}
	return m
}

func TestNumbering(t *testing.T) {
	f := load(t, "numbering.yaml")
	if f.Version != 1 || f.Protocol != ProtocolGenetlink {
		t.Errorf("version %d protocol %q, want 1 genetlink", f.Version, f.Protocol)
	}
	for name, want := range map[string]int{"first": 1, "second": 2, "jump": 10, "after-jump": 11, "colour": 12} {
		wantInt(t, "main."+name, attrValues(f.AttrSet("main"))[name], want)
	}
	wantInt(t, "zero.unspec", f.AttrSet("zero").Attr("unspec").Value, 0)
	wantInt(t, "zero.one", f.AttrSet("zero").Attr("one").Value, 1)
	for _, c := range []struct {
		def, entry string
		want       uint64
	}{
		{"colour", "red", 0}, {"colour", "blue", 2},
		{"level", "low", 3}, {"level", "mid", 10}, {"level", "high", 11},
		{"opts", "a", 1}, {"opts", "b", 2}, {"opts", "c", 4},
		{"high-opts", "x", 16}, {"high-opts", "y", 32},
	} {
		if got := f.Definition(c.def).Entry(c.entry).Value; got != c.want {
			t.Errorf("%s.%s = %d, want %d", c.def, c.entry, got, c.want)
		}
	}
	if got := f.Definition("max-things").Value; got != 16 {
		t.Errorf("const max-things = %d", got)
	}
	ops := f.Operations
	for name, want := range map[string][3]int{
		"get": {1, 1, 1}, "set": {2, 2, 2}, "reset": {7, 7, 7},
		"changed-ntf": {0, 8, 8}, "event-ntf": {0, 20, 20},
	} {
		op := ops.Op(name)
		got := [3]int{op.RequestValue, op.ReplyValue, op.Value}
		if got != want {
			t.Errorf("op %s (request, reply, value) = %v, want %v", name, got, want)
		}
	}
	ntf := ops.Op("changed-ntf")
	if ntf.Notify != ops.Op("get") || ntf.AttrSet != f.AttrSet("main") || ntf.Mcgrp != f.McastGroup("events") {
		t.Errorf("changed-ntf references not resolved: notify %v set %v mcgrp %v", ntf.Notify, ntf.AttrSet, ntf.Mcgrp)
	}
	if got := attrNames(ntf.NotificationAttrs()); strings.Join(got, ",") != "first,second" {
		t.Errorf("changed-ntf carries %v", got)
	}
	if got := attrNames(ops.Op("event-ntf").NotificationAttrs()); strings.Join(got, ",") != "first,colour" {
		t.Errorf("event-ntf carries %v", got)
	}
	if a := f.AttrSet("main").Attr("colour"); a.Enum != f.Definition("colour") {
		t.Errorf("colour enum not resolved")
	}
}

func TestSubset(t *testing.T) {
	f := load(t, "subset.yaml")
	parent, child := f.AttrSet("parent"), f.AttrSet("child")
	if child.SubsetOf != parent {
		t.Fatalf("child.SubsetOf = %v", child.SubsetOf)
	}
	for _, a := range child.Attributes {
		pa := parent.Attr(a.Name)
		if a.Parent != pa || a.Value != pa.Value || a.Type != pa.Type || a.Set != child {
			t.Errorf("child.%s: parent %p value %d type %s, want %p %d %s", a.Name, a.Parent, a.Value, a.Type, pa, pa.Value, pa.Type)
		}
	}
	if child.Attr("inner").Nested != f.AttrSet("inner") {
		t.Error("child.inner does not inherit nested-attributes")
	}
	if c := child.Attr("id").Checks; c.Min == nil || c.Min.Abs != 1 || c.Max.Abs != 100 {
		t.Errorf("child.id checks not inherited: %+v", c)
	}
	if c := child.Attr("label").Checks; c.MaxLen == nil || c.MaxLen.Abs != 15 {
		t.Errorf("child.label max-len override lost: %+v", c)
	}
	if parent.Attr("label").Checks.MaxLen != nil {
		t.Error("the override leaked into the parent")
	}
	if got := attrNames(child.Attributes); strings.Join(got, ",") != "label,inner,id" {
		t.Errorf("child keeps its own order, got %v", got)
	}
	if f.Operations.Op("get").Do.Request.Attributes[1] != child.Attr("label") {
		t.Error("op attributes resolve to the op's (subset) set")
	}
}

func TestDirectional(t *testing.T) {
	f := load(t, "directional.yaml")
	if !f.Operations.Directional() {
		t.Fatal("not directional")
	}
	for name, want := range map[string][3]int{
		"get": {1, 1, 1}, "set": {2, 0, 2}, "list": {3, 2, 3}, "get-ntf": {0, 3, 3},
		"far": {10, 20, 10}, "after-far": {11, 21, 11}, "event": {0, 40, 40},
	} {
		op := f.Operations.Op(name)
		got := [3]int{op.RequestValue, op.ReplyValue, op.Value}
		if got != want {
			t.Errorf("op %s (request, reply, value) = %v, want %v", name, got, want)
		}
	}
	if got := f.Operations.Op("after-far").Do.Reply.Value; got != 21 {
		t.Errorf("after-far reply block value = %d, want 21 (made explicit)", got)
	}
}

func TestStructs(t *testing.T) {
	f := load(t, "structs.yaml")
	wantInt(t, "version", f.Version, 2)
	hdr := f.Definition("hdr")
	want := []struct {
		name      string
		off, size int
	}{{"ifindex", 0, 4}, {"mode", 4, 1}, {"name", 5, 16}, {"short", 21, 15}, {"nested", 36, 4}, {"addr", 40, 6}, {"big", 46, 8}}
	if len(hdr.Members) != len(want) {
		t.Fatalf("hdr has %d members", len(hdr.Members))
	}
	for i, w := range want {
		m := hdr.Members[i]
		if m.Name != w.name || m.Offset != w.off || m.Size != w.size {
			t.Errorf("member %d = %s@%d+%d, want %s@%d+%d", i, m.Name, m.Offset, m.Size, w.name, w.off, w.size)
		}
	}
	wantInt(t, "hdr size", hdr.Size, 54)
	if hdr.Members[1].Enum != f.Definition("mode") || hdr.Members[4].Struct != f.Definition("inner") {
		t.Error("member enum/struct not resolved")
	}
	if f.Definition("inner").Members[1].ByteOrder != BigEndian {
		t.Error("byte-order lost")
	}
	ops := f.Operations
	if ops.FixedHeader != hdr || ops.Op("get").FixedHeader != hdr || ops.Op("other").FixedHeader != f.Definition("op-hdr") {
		t.Error("fixed headers not resolved to the effective struct")
	}
	main := f.AttrSet("main")
	if a := main.Attr("list"); a.Type != TypeIndexedArray || a.SubType != TypeNest || a.Nested != f.AttrSet("item") {
		t.Errorf("indexed-array: %+v", a)
	}
	if a := main.Attr("table"); strings.Join(a.TypeValue, ",") != "index,id" {
		t.Errorf("type-value = %v", a.TypeValue)
	}
	if main.Attr("raw").Struct != f.Definition("inner") || main.Attr("words").SubType != TypeU32 {
		t.Error("binary struct / sub-type not resolved")
	}
}

func TestChecks(t *testing.T) {
	f := load(t, "checks.yaml")
	main := f.AttrSet("main")
	lim := func(attr string, get func(*Checks) *Limit) *Limit {
		l := get(&main.Attr(attr).Checks)
		if l == nil {
			t.Fatalf("%s: limit missing", attr)
		}
		return l
	}
	for _, c := range []struct {
		attr string
		get  func(*Checks) *Limit
		neg  bool
		abs  uint64
		name string
	}{
		{"small", func(c *Checks) *Limit { return c.Min }, false, 1, ""},
		{"small", func(c *Checks) *Limit { return c.Max }, false, 65535, "u16-max"},
		{"signed", func(c *Checks) *Limit { return c.Min }, true, 1 << 31, "s32-min"},
		{"signed", func(c *Checks) *Limit { return c.Max }, false, 1<<31 - 1, "s32-max"},
		{"huge", func(c *Checks) *Limit { return c.Max }, false, 1<<64 - 1, "u64-max"},
		{"big-signed", func(c *Checks) *Limit { return c.Min }, true, 1 << 63, "s64-min"},
		{"label", func(c *Checks) *Limit { return c.MaxLen }, false, 64, "max-len"},
		{"key", func(c *Checks) *Limit { return c.ExactLen }, false, 32, ""},
		{"key", func(c *Checks) *Limit { return c.MinLen }, false, 63, "max-len - 1"},
	} {
		l := lim(c.attr, c.get)
		if l.Neg != c.neg || l.Abs != c.abs || l.Name != c.name {
			t.Errorf("%s: limit %+v, want neg=%v abs=%d name=%q", c.attr, *l, c.neg, c.abs, c.name)
		}
	}
	if got := lim("big-signed", func(c *Checks) *Limit { return c.Min }).Int64(); got != -1<<63 {
		t.Errorf("s64-min Int64 = %d", got)
	}
	if !main.Attr("label").Checks.UnterminatedOK || main.Attr("features").Checks.FlagsMask != f.Definition("feat") {
		t.Error("unterminated-ok / flags-mask lost")
	}
	if !main.NoEnumName || !f.Definition("feat").NoEnumName || !f.Operations.NoEnumName || main.AttrCntName != "__CHECKS_A_CNT" {
		t.Error("genetlink-c naming knobs lost")
	}
	if !f.MaxByDefine || f.CFamilyName != "CHECKS_NAME" {
		t.Error("family C knobs lost")
	}
}

func TestRaw(t *testing.T) {
	f := load(t, "raw.yaml")
	if f.Protocol != ProtocolNetlinkRaw || f.ProtoNum != 0 {
		t.Errorf("protocol %s protonum %d", f.Protocol, f.ProtoNum)
	}
	wantInt(t, "msg-hdr size", f.Definition("msg-hdr").Size, 8)
	wantInt(t, "ifindex offset", f.Definition("msg-hdr").Members[2].Offset, 4)
	wantInt(t, "mcast notify", f.McastGroup("notify").Value, 2)
	data := f.AttrSet("link").Attr("data")
	sm := f.SubMessage("link-data")
	if data.SubMessage != sm || data.SelectorAttr != f.AttrSet("link").Attr("kind") || data.SelectorName != "kind" {
		t.Errorf("sub-message attribute not resolved: %+v", data)
	}
	if fm := sm.Format("both"); fm.FixedHeader != f.Definition("kind-hdr") || fm.AttrSet != f.AttrSet("foo-attrs") {
		t.Errorf("format both: %+v", fm)
	}
	if fm := sm.Format("empty"); fm == nil || fm.FixedHeader != nil || fm.AttrSet != nil {
		t.Errorf("format empty: %+v", fm)
	}
	get := f.Operations.Op("getlink")
	if get.RequestValue != 18 || get.ReplyValue != 16 || get.FixedHeader != f.Definition("msg-hdr") {
		t.Errorf("getlink: %d/%d header %v", get.RequestValue, get.ReplyValue, get.FixedHeader)
	}
	if nl := f.Operations.Op("newlink"); nl.RequestValue != 16 || nl.ReplyValue != 0 {
		t.Errorf("newlink: %d/%d", nl.RequestValue, nl.ReplyValue)
	}
}

func TestAnchors(t *testing.T) {
	f := load(t, "anchors.yaml")
	again := f.Operations.Op("get-again")
	if got := attrNames(again.Do.Reply.Attributes); strings.Join(got, ",") != "id,name,stats" {
		t.Errorf("aliased do block: %v", got)
	}
	if got := attrNames(f.Operations.Op("del").Do.Request.Attributes); strings.Join(got, ",") != "id" {
		t.Errorf("aliased list: %v", got)
	}
}

func TestOverlay(t *testing.T) {
	f := load(t, "overlay-base.yaml", "overlay-add.yaml")
	if f.Doc != "Base family, extended." {
		t.Errorf("doc not replaced: %q", f.Doc)
	}
	main := f.AttrSet("main")
	if got := attrValues(main); got["old"] != 3 || got["colour"] != 4 || got["extra"] != 5 {
		t.Errorf("merged attribute values %v", got)
	}
	if a := main.Attr("old"); a.Type != TypeU32 || a.Pos.File != filepath.Join(testdata, "overlay-add.yaml") {
		t.Errorf("replaced attribute: type %s from %s", a.Type, a.Pos.File)
	}
	if main.Attr("extra").Nested != f.AttrSet("extra") || f.Definition("colour").Entry("blue") == nil {
		t.Error("added set / replaced enum not merged")
	}
	ops := f.Operations
	if got := attrNames(ops.List[1].Do.Request.Attributes); ops.List[1].Name != "set" || strings.Join(got, ",") != "id,old" {
		t.Errorf("set not replaced in place: %s %v", ops.List[1].Name, got)
	}
	for name, want := range map[string][2]int{"get": {5, 6}, "set": {7, 0}, "list": {8, 7}, "changed": {0, 8}} {
		op := ops.Op(name)
		if got := [2]int{op.RequestValue, op.ReplyValue}; got != want {
			t.Errorf("op %s ids %v, want %v", name, got, want)
		}
	}
	if ops.Op("changed").Mcgrp != f.McastGroup("changes") {
		t.Error("added multicast group not resolved")
	}
}

func TestOverlayErrors(t *testing.T) {
	base, err := os.ReadFile(filepath.Join(testdata, "overlay-base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ov := Source{Name: "bad-overlay.yaml", Data: []byte("name: other\nattribute-sets:\n  - name: main\n    attributes:\n      - name: x\n        type: nest\n        nested-attributes: nope\n")}
	_, err = Parse("overlay-base.yaml", base, ov)
	want := "bad-overlay.yaml:1:7: overlay is for family \"other\" but the spec is \"base\""
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	ov.Data = []byte("attribute-sets:\n  - name: main\n    attributes:\n      - name: x\n        type: nest\n        nested-attributes: nope\n")
	_, err = Parse("overlay-base.yaml", base, ov)
	want = "bad-overlay.yaml:6:28: attribute-sets[main].attributes[x]: nested-attributes \"nope\" is not defined"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Pos.Line != 6 {
		t.Errorf("error is not an ErrorList: %#v", err)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	spec := "name: net-shaper\ndoc: d\nattribute-sets: []\noperations:\n  list: []\n"
	if err := os.WriteFile(filepath.Join(dir, "net_shaper.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "odd-file.yaml"), []byte(strings.Replace(spec, "net-shaper", "renamed", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("YNL_SPEC_PATH", "/nonexistent:"+dir)
	for _, name := range []string{"net-shaper", "net_shaper", "net_shaper.yaml", "net-shaper.yaml"} {
		p, err := Find(name)
		if err != nil || filepath.Base(p) != "net_shaper.yaml" {
			t.Errorf("Find(%q) = %q, %v", name, p, err)
		}
	}
	if p, err := Find("renamed"); err != nil || filepath.Base(p) != "odd-file.yaml" {
		t.Errorf("Find by family name = %q, %v", p, err)
	}
	_, err := Find("no-such-family")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), dir) {
		t.Errorf("Find(missing) = %v", err)
	}
	f, err := LoadByName("net_shaper")
	if err != nil || f.Name != "net-shaper" || f.FileName != "net_shaper.yaml" {
		t.Errorf("LoadByName: %v %v", f, err)
	}
	t.Setenv("YNL_SPEC_PATH", "")
	if got := SpecPath(); len(got) != 1 || got[0] != DefaultSpecPath {
		t.Errorf("SpecPath default = %v", got)
	}
}

// TestSpecSizeLimit: a spec over MaxSpecSize is refused at once, by Load
// before reading it all and by Parse before parsing, with a position.
func TestSpecSizeLimit(t *testing.T) {
	big := make([]byte, MaxSpecSize+1)
	for i := range big {
		big[i] = '#'
	}
	const want = "big.yaml:1:1: spec is larger than 16 MiB, the most a spec may be (family.MaxSpecSize)"
	if _, err := Parse("big.yaml", big); err == nil || err.Error() != want {
		t.Errorf("Parse: %v, want %q", err, want)
	}
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.HasSuffix(err.Error(), want[len("big.yaml"):]) {
		t.Errorf("Load: %v, want %q", err, want)
	}
	if _, err := Load(filepath.Join(testdata, "..", "codegen", "scalars.yaml"), path); err == nil || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("Load with a large overlay: %v", err)
	}
}
