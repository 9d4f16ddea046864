package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/internal/vmlab/lab"
)

func TestParseArgsDefaults(t *testing.T) {
	cfg, err := parseArgsTo([]string{"./families/nl80211/..."}, "", io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Modules != nil {
		t.Errorf("modules %+v, want none named (the packages decide)", cfg.Modules)
	}
	if cfg.Kernel.Kernel != "sid" {
		t.Errorf("kernel %q, want the newest suite, sid", cfg.Kernel.Kernel)
	}
	if cfg.Timeout != 5*time.Minute || cfg.MemoryMB != 0 || cfg.Accel != "tcg" || len(cfg.TestArgs) != 0 {
		t.Errorf("defaults: %+v", cfg)
	}
	if !cmp.Equal(cfg.Patterns, []string{"./families/nl80211/..."}) {
		t.Errorf("patterns %q", cfg.Patterns)
	}
}

func TestParseArgsFlags(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "wireguard.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseArgsTo([]string{
		"-modules", "wireguard", "-modules", "team,mac80211_hwsim radios=3 support_p2p_device=0",
		"-memory", "768", "-timeout", "90s", "-run", "TestLive", "-tags", "vmlab", "-kernel-pkg", "linux-image-6.1.0-56-amd64", "-kernel", "6.12",
		"-file", "/etc/ynl/x.yaml=" + filepath.Join(dir, "wireguard.yaml"), "-no-regdb",
		"./a", "./b/...", "--", "-test.count", "2",
	}, dir, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	wantMods := []lab.ModuleSpec{{Name: "wireguard"}, {Name: "team"}, {Name: "mac80211_hwsim", Params: []string{"radios=3", "support_p2p_device=0"}}}
	if !cmp.Equal(cfg.Modules, wantMods) {
		t.Errorf("modules %+v, want %+v", cfg.Modules, wantMods)
	}
	if cfg.MemoryMB != 768 || cfg.Timeout != 90*time.Second || cfg.Tags != "vmlab" || cfg.Kernel.Package != "linux-image-6.1.0-56-amd64" || cfg.Kernel.Kernel != "6.12" {
		t.Errorf("flags not applied: %+v", cfg)
	}
	if want := []string{"-test.run", "TestLive", "-test.count", "2"}; !cmp.Equal(cfg.TestArgs, want) {
		t.Errorf("test args %q, want %q", cfg.TestArgs, want)
	}
	if want := []string{"./a", "./b/..."}; !cmp.Equal(cfg.Patterns, want) {
		t.Errorf("patterns %q, want %q", cfg.Patterns, want)
	}
	if want := map[string]string{"etc/ynl/x.yaml": filepath.Join(dir, "wireguard.yaml")}; !cmp.Equal(cfg.Files, want) {
		t.Errorf("files %v, want %v", cfg.Files, want)
	}
	if len(cfg.Specs) != 1 || filepath.Base(cfg.Specs[0]) != "wireguard.yaml" {
		t.Errorf("specs %q, want the one in the spec path", cfg.Specs)
	}
}

func TestParseArgsErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no packages given"},
		{[]string{"--", "-test.v"}, "no packages given"},
		{[]string{"-memory", "64", "./a"}, "at least 128 MiB"},
		{[]string{"-timeout", "-1s", "./a"}, "must not be negative"},
		{[]string{"-modules", "radios=2", "./a"}, "want a module name first"},
		{[]string{"-modules", "hwsim radios", "./a"}, "not key=value"},
		{[]string{"-modules", ",", "./a"}, "empty list"},
		{[]string{"-bogus", "./a"}, "flag provided but not defined: -bogus"},
		{[]string{"-file", "nohost", "./a"}, "want guest-path=host-path"},
		{[]string{"-file", "a=/no/such/file", "./a"}, "no such file"},
		{[]string{"-kernel", "5.10", "./a"}, `-kernel "5.10": want one of 7.2 (sid), 6.12 (trixie), 6.1 (bookworm)`},
	} {
		_, err := parseArgsTo(tc.args, "", io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseArgs(%q): got %v, want %q", tc.args, err, tc.want)
		}
	}
	if _, err := parseArgsTo([]string{"-h"}, "", io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: got %v, want flag.ErrHelp", err)
	}
}
