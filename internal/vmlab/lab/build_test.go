package lab

import (
	"strings"
	"testing"
)

func TestParseGoList(t *testing.T) {
	raw := "example.com/a\t/src/a\t2\t0\nexample.com/b\t/src/b\t0\t0\nexample.com/c\t/src/c\t0\t1\n"
	var log strings.Builder
	got, err := parseGoList([]byte(raw), &log)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ImportPath != "example.com/a" || got[1].SourceDir != "/src/c" {
		t.Errorf("packages %+v", got)
	}
	if !strings.Contains(log.String(), "example.com/b\t[no test files]") {
		t.Errorf("log %q does not report b", log.String())
	}
	if _, err := parseGoList([]byte("broken line\n"), nil); err == nil {
		t.Error("no error for a broken line")
	}
}

func TestParseModuleSpec(t *testing.T) {
	m, err := ParseModuleSpec("  mac80211-hwsim radios=2  support_p2p_device=0 ")
	if err != nil || m.Name != "mac80211_hwsim" || strings.Join(m.Params, ",") != "radios=2,support_p2p_device=0" {
		t.Errorf("got %+v, %v", m, err)
	}
	for _, bad := range []string{"", "  ", "radios=2", "hwsim radios", "hwsim =2", "/lib/x.ko"} {
		if _, err := ParseModuleSpec(bad); err == nil {
			t.Errorf("ParseModuleSpec(%q): no error", bad)
		}
	}
}

func TestGuestEnvDropsRace(t *testing.T) {
	t.Setenv("GOFLAGS", "-mod=readonly -race -count=1")
	var flags []string
	for _, kv := range guestEnv() {
		if v, ok := strings.CutPrefix(kv, "GOFLAGS="); ok {
			flags = append(flags, v)
		}
	}
	if len(flags) != 1 || flags[0] != "-mod=readonly -count=1" {
		t.Errorf("GOFLAGS in the guest build: %q", flags)
	}
	env := strings.Join(guestEnv(), "\n")
	for _, want := range []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64"} {
		if !strings.Contains(env, want) {
			t.Errorf("guest build environment lacks %s", want)
		}
	}
}
