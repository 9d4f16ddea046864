package lab

import (
	"os/exec"
	"strings"
	"testing"
)

func sampleScript() string {
	return InitScript(ScriptOptions{
		Nonce: "n1",
		Modules: []GuestModule{
			{Name: "rfkill", File: "/lib/modules/rfkill.ko"},
			{Name: "crc32c_generic", File: "/lib/modules/crc32c_generic.ko", Soft: true},
			{Name: "mac80211_hwsim", File: "/lib/modules/mac80211_hwsim.ko", Params: []string{"radios=2"}},
		},
		Tests:    []GuestTest{{ImportPath: "example.com/it's", Dir: "/tests/00-a", Binary: "/tests/00-a/a.test"}},
		TestArgs: []string{"-test.run", "Test A$"},
		SpecPath: "/usr/share/ynl/specs",
	})
}

func TestInitScriptContent(t *testing.T) {
	s := sampleScript()
	if !strings.HasPrefix(s, "#!/bin/busybox sh\n") {
		t.Errorf("script does not start with the busybox shebang:\n%s", s)
	}
	// Each step must appear, in this order.
	order := []string{
		"mount -t proc", "mount -t sysfs", "mount -t devtmpfs", "ip link set lo up",
		"STEP=modules", "load '/lib/modules/rfkill.ko'\n",
		"insmod '/lib/modules/crc32c_generic.ko' || echo 'vmlab: soft dependency crc32c_generic not loaded'\n", "load '/lib/modules/mac80211_hwsim.ko' 'radios=2'\n",
		"export YNL_SPEC_PATH='/usr/share/ynl/specs'", "STEP=tests",
		`TEST_START="'example.com/it'\''s'`, `'/tests/00-a/a.test' -test.v '-test.run' 'Test A$'`,
		"finish $status",
	}
	pos := 0
	for _, want := range order {
		i := strings.Index(s[pos:], want)
		if i < 0 {
			t.Fatalf("script lacks %q after offset %d:\n%s", want, pos, s)
		}
		pos += i + len(want)
	}
}

// TestInitScriptSyntax has the host's shell parse the script.
func TestInitScriptSyntax(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	cmd := exec.Command(sh, "-n")
	cmd.Stdin = strings.NewReader(sampleScript())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v: %s", err, out)
	}
}
