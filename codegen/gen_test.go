package codegen

import (
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
	files, err := Generate(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var src string
	for _, fl := range files {
		if fl.Name == "zclient.go" {
			src = string(fl.Content)
		}
	}
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
