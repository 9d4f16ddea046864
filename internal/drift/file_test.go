package drift

import (
	"reflect"
	"strings"
	"testing"
)

func TestFormatParse(t *testing.T) {
	fams := []Family{{Name: "a"}, {Name: "b", Missing: true}, {Name: "c", Lines: []string{"- op x: y", "+ cmd 3 ([]): z"}}, {Name: "d", Lines: []string{"~ one"}}}
	text := Format("7.2", fams)
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].Lines == nil {
			got[i].Lines = fams[i].Lines
		}
	}
	if !reflect.DeepEqual(got, fams) {
		t.Errorf("Parse(Format) = %+v, want %+v\n%s", got, fams, text)
	}
	if _, err := Parse(strings.Replace(text, "family c: 2 differences", "family c: 3 differences", 1)); err == nil {
		t.Error("Parse accepted a wrong count")
	}
	if d := LineDiff("x\ny\nz\n", "x\nz\nw\n"); d != "- y\n+ w\n" {
		t.Errorf("LineDiff = %q", d)
	}
	for rel, want := range map[string]string{"6.1.0-50-amd64": "6.1", "7.2.13+deb14-amd64": "7.2", "6.12.117+deb13-amd64": "6.12"} {
		if got := Series(rel); got != want {
			t.Errorf("Series(%q) = %q, want %q", rel, got, want)
		}
	}
}
