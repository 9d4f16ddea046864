package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReleaseVersion(t *testing.T) {
	for rel, want := range map[string]string{
		"7.2.13+deb14-amd64":   "7.2.13",
		"6.12.117+deb13-amd64": "6.12.117",
		"6.1.0-50-amd64":       "", // names no sublevel: the source's is trusted
		"garbage":              "",
	} {
		if got := releaseVersion(rel); got != want {
			t.Errorf("releaseVersion(%q) = %q, want %q", rel, got, want)
		}
	}
}

func TestSourceVersion(t *testing.T) {
	dir := t.TempDir()
	mk := "# SPDX\nVERSION = 7\nPATCHLEVEL = 2\nSUBLEVEL = 13\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n"
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte(mk), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, err := sourceVersion(dir); err != nil || v != "7.2.13" {
		t.Errorf("sourceVersion = %q, %v; want 7.2.13", v, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), []byte("VERSION = 7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sourceVersion(dir); err == nil || !strings.Contains(err.Error(), "SUBLEVEL") {
		t.Errorf("sourceVersion of a Makefile without SUBLEVEL: %v, want an error naming it", err)
	}
}

// The offsets lines as gcc writes them from devicetable-offsets.c.
func TestOffsetsLine(t *testing.T) {
	m := offsetsLineRE.FindStringSubmatch(`	.ascii "->OFF_usb_device_id_idVendor $2 offsetof(struct usb_device_id, idVendor)"`)
	if m == nil || m[1] != "OFF_usb_device_id_idVendor" || m[2] != "2" || m[3] != "offsetof(struct usb_device_id, idVendor)" {
		t.Errorf("offsets line parsed as %q", m)
	}
	if offsetsLineRE.MatchString(`	.ascii "hello"`) {
		t.Error("a plain .ascii line matched")
	}
}

func TestNetdevsimStepError(t *testing.T) {
	err := stepErr(StepModuleBuild, nsimErr("header packages", os.ErrNotExist))
	if got := err.Error(); got != "vmlab: module build: netdevsim build: header packages: file does not exist" {
		t.Errorf("error %q does not name the step", got)
	}
}

func TestInitScriptEnv(t *testing.T) {
	s := InitScript(ScriptOptions{Nonce: "n", Env: []string{NetdevsimSkipEnv + "=it's absent"}})
	want := "export " + NetdevsimSkipEnv + `='it'\''s absent'` + "\n"
	i, j := strings.Index(s, want), strings.Index(s, "STEP=tests")
	if i < 0 || j < i {
		t.Errorf("script does not export %q before the tests:\n%s", want, s)
	}
}

func TestModulesForNetdevsim(t *testing.T) {
	got := ModulesFor([]string{"github.com/ynlgo/ynl/families/devlink", "github.com/ynlgo/ynl/families/netshaper"})
	if len(got) != 1 || got[0].Name != NetdevsimModule || !got[0].Optional {
		t.Errorf("ModulesFor(devlink, netshaper) = %+v, want netdevsim once, optional", got)
	}
}
