package codegen

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// Generate refuses a package name Go would not accept, given or derived,
// instead of writing source that does not compile.
func TestGenerateBadPackageName(t *testing.T) {
	f, err := family.Load("../testdata/codegen/nests.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range []string{"my-pkg", "123", "type", "_"} {
		if _, err := Generate(f, Options{Package: pkg}); err == nil || !strings.Contains(err.Error(), `"`+pkg+`" is not a valid Go package name`) {
			t.Errorf("Package %q: err = %v", pkg, err)
		}
	}
	for _, name := range []string{"9p", "type"} {
		f.Name = name
		if _, err := Generate(f, Options{}); err == nil || !strings.Contains(err.Error(), "derived from family") || !strings.Contains(err.Error(), "-package") {
			t.Errorf("family %q: err = %v", name, err)
		}
	}
	for _, pkg := range []string{"nests", "nests2", "_x"} {
		if !ValidPackageName(pkg) {
			t.Errorf("ValidPackageName(%q) = false", pkg)
		}
	}
}

// Notification.Msg's doc lists the notifications and events, with their
// groups, before and apart from the replies DecodeNotification also
// decodes, so ordinary replies do not pass for notifications.
func TestNotificationDocSeparatesReplies(t *testing.T) {
	f, err := family.Load("../testdata/codegen/notifications.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := generatedFile(t, f, Options{}, "zclient.go")
	doc := src[strings.Index(src, "// Msg is the decoded message"):strings.Index(src, "Msg any")]
	ntfs, replies, ok := strings.Cut(doc, "The replies of other ops")
	if !ok {
		t.Fatalf("no separate replies section in\n%s", doc)
	}
	for _, want := range []string{"CmdDevAddNtf: *Dev, on GroupMgmt", "CmdLinkEvent: *Dev, on GroupLink"} {
		if !strings.Contains(ntfs, want) {
			t.Errorf("notifications section lacks %q:\n%s", want, ntfs)
		}
	}
	if strings.Contains(ntfs, "CmdDevGet") || !strings.Contains(replies, "CmdDevGet: *Dev") {
		t.Errorf("CmdDevGet is not (only) among the replies:\n%s", doc)
	}
}

// Type names drop a leading repeat of the family's name, and the family's
// main set is Attrs with ids Attr<Name>, unless that clashes.
func TestStutterNames(t *testing.T) {
	f, err := family.Load("../testdata/codegen/collisions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := newGen(f, Options{Package: "collisions"})
	names := map[string]*goSet{}
	for _, gs := range g.setList {
		names[gs.s.Name] = gs
	}
	for spec, want := range map[string]string{
		"collisions":       "Attrs",           // the main set
		"collisions-stats": "Stats",           // the family's name dropped
		"collisions-group": "CollisionsGroup", // Group is taken
		"team":             "Team",            // not the family's name
	} {
		if got := names[spec].Name; got != want {
			t.Errorf("set %s is %s, want %s", spec, got, want)
		}
	}
	// team's team-ifindex is AttrTeamIfindex, so the main set's keeps the
	// long form.
	if got := names["collisions"].Consts; len(got) != 2 || got[0] != "AttrIfindex" || got[1] != "AttrCollisionsTeamIfindex" {
		t.Errorf("main set ids = %q, want [AttrIfindex AttrCollisionsTeamIfindex]", got)
	}
}

// Options.DumpNests makes a dump send the named nest empty where the
// caller left it out, on a copy of the request, and only in the dumps
// whose request has it; a name no dump request has as a nest is an error,
// not a flag that silently changes nothing.
func TestDumpNests(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "dn.yaml")
	write(t, spec, []byte(`name: dn
protocol: genetlink
doc: Dump nests.
attribute-sets:
  -
    name: root
    attributes:
      - {name: header, type: nest, nested-attributes: header}
      - {name: id, type: u32}
  -
    name: header
    attributes:
      - {name: dev-index, type: u32}
operations:
  list:
    -
      name: get
      doc: Get with a header.
      attribute-set: root
      do:
        request: {attributes: [header]}
        reply: {attributes: [header, id]}
      dump:
        request: {attributes: [header]}
        reply: {attributes: [header, id]}
    -
      name: list
      doc: A dump whose request has no header.
      attribute-set: root
      dump:
        request: {attributes: [id]}
        reply: {attributes: [header, id]}
`))
	f, err := family.Load(spec)
	if err != nil {
		t.Fatal(err)
	}
	src := generatedFile(t, f, Options{DumpNests: []string{"header"}}, "zclient.go")
	method := func(name string) string {
		i := strings.Index(src, "func (c *Client) "+name+"(")
		if i < 0 {
			t.Fatalf("no %s in\n%s", name, src)
		}
		j := strings.Index(src[i:], "\n}\n")
		return src[i : i+j]
	}
	if m := method("GetDump"); !strings.Contains(m, "if req == nil || req.Header == nil {") || !strings.Contains(m, "*r = *req") || !strings.Contains(m, "r.Header = new(Header)") {
		t.Errorf("GetDump does not fill in the header on a copy:\n%s", m)
	}
	for _, name := range []string{"Get", "ListDump"} {
		if m := method(name); strings.Contains(m, "new(Header)") {
			t.Errorf("%s fills in a header it should not:\n%s", name, m)
		}
	}
	for _, bad := range []string{"tree", "id", "dev-index"} {
		_, err := Generate(f, Options{DumpNests: []string{"header", bad}})
		if err == nil || !strings.Contains(err.Error(), `dump nest "`+bad+`"`) || !strings.Contains(err.Error(), "dn.yaml") {
			t.Errorf("DumpNests %q: err = %v, want one naming it and the spec", bad, err)
		}
	}
	raw, err := family.Load("../testdata/codegen/netlink-raw.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(raw, Options{DumpNests: []string{"header"}}); err == nil || !strings.Contains(err.Error(), "only generic netlink") {
		t.Errorf("DumpNests on a netlink-raw family: err = %v", err)
	}
}

// generatedFile generates f's package with opts and returns the file
// named name.
func generatedFile(t *testing.T, f *family.Family, opts Options, name string) string {
	t.Helper()
	files, err := Generate(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, fl := range files {
		if fl.Name == name {
			return string(fl.Content)
		}
	}
	t.Fatalf("no %s generated", name)
	return ""
}
