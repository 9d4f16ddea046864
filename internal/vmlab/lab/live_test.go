package lab

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// liveConfig skips unless the host can boot the lab, and returns a
// configuration for the guest test packages under ../testdata.
func liveConfig(t *testing.T, out *strings.Builder, patterns ...string) Config {
	t.Helper()
	if testing.Short() {
		t.Skip("boots a VM (about 10 s); skipped with -short")
	}
	if _, err := exec.LookPath("qemu-system-x86_64"); err != nil {
		t.Skip("qemu-system-x86_64 not installed (apt-get install --no-install-recommends qemu-system-x86)")
	}
	bb, err := exec.LookPath("busybox")
	if err == nil {
		err = checkStatic(bb)
	}
	if err != nil {
		t.Skipf("no static busybox (apt-get install busybox-static): %v", err)
	}
	cache, err := DefaultCacheDir()
	if err != nil {
		t.Skipf("no cache folder: %v", err)
	}
	cached, _ := filepath.Glob(filepath.Join(cache, "debs", "linux-image-*.deb"))
	if _, err := exec.LookPath("apt-get"); err != nil && len(cached) == 0 {
		t.Skip("no apt-get to download a Debian kernel and none cached")
	}
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		t.Skip("dpkg-deb not installed")
	}
	return Config{Patterns: patterns, Tags: "vmlab", Modules: DefaultModules(),
		Kernel: KernelOptions{CacheDir: cache}, Files: DefaultFirmware(),
		Timeout: 3 * time.Minute, Out: out}
}

// TestLiveNL80211 boots the lab with two simulated radios and runs a guest
// test that resolves nl80211 and counts wiphys, next to a package with a
// failing test whose status must come back.
func TestLiveNL80211(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/nl80211guest", "../testdata/failguest")
	start := time.Now()
	res, err := Run(context.Background(), cfg)
	t.Logf("wall time %.1fs (build and image included)", time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("%v\nconsole:\n%s", err, out.String())
	}
	t.Logf("boot %.1fs, modules %.1fs, qemu start to exit marker %.1fs", res.Boot.Seconds(), res.Modules.Seconds(), res.Total.Seconds())
	if len(res.Tests) != 2 || res.Tests[0].ExitCode != 0 || res.Tests[1].ExitCode != 1 || res.ExitCode != 1 {
		t.Errorf("results %+v, exit %d: want nl80211guest passing, failguest failing, exit 1\nconsole:\n%s", res.Tests, res.ExitCode, out.String())
	}
	for _, want := range []string{"--- PASS: TestFamilyResolves", "--- PASS: TestTwoWiphys", "--- PASS: TestTwoInterfaces",
		"--- PASS: TestPasses", "--- FAIL: TestFailsOnPurpose"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("console lacks %q:\n%s", want, out.String())
		}
	}
}

// TestLiveModuleLoadFailure checks that a module the guest cannot load
// fails the run in the module load step.
func TestLiveModuleLoadFailure(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/failguest")
	cfg.Modules = []ModuleSpec{{Name: "mac80211_hwsim", Params: []string{"radios=notanumber"}}}
	_, err := Run(context.Background(), cfg)
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepModuleLoad || !strings.Contains(err.Error(), "mac80211_hwsim") {
		t.Fatalf("got %v, want a module load error naming mac80211_hwsim\nconsole:\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "TestPasses") {
		t.Errorf("tests ran after the module failed:\n%s", out.String())
	}
}

// TestLiveTimeout checks that a timeout during boot kills qemu promptly and
// names the boot step.
func TestLiveTimeout(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/failguest")
	cfg.Timeout = 500 * time.Millisecond // well under the 2 s a boot takes under TCG
	start := time.Now()
	_, err := Run(context.Background(), cfg)
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepBoot || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("got %v, want a boot timeout\nconsole:\n%s", err, out.String())
	}
	if d := time.Since(start); d > time.Minute {
		t.Errorf("took %v to give up", d)
	}
}

// TestLiveUnknownModule needs only the cached index: an unknown module is
// refused before qemu starts.
func TestLiveUnknownModule(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/failguest")
	cfg.Modules = []ModuleSpec{{Name: "no_such_module_here"}}
	_, err := Run(context.Background(), cfg)
	var se *StepError
	if !errors.As(err, &se) || se.Step != StepModuleLoad || !strings.Contains(err.Error(), "module no_such_module_here not found") {
		t.Fatalf("got %v, want module not found", err)
	}
}

// TestLiveOtherFamilies loads the modules of the other families the host
// may lack and checks their generic netlink families resolve in the guest.
// openvswitch needs libcrc32c, whose crc32c comes through a soft dependency.
func TestLiveOtherFamilies(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/familyguest")
	cfg.Modules = []ModuleSpec{{Name: "wireguard"}, {Name: "team"}, {Name: "openvswitch"}, {Name: "fou"}}
	cfg.TestArgs = []string{"-families", "wireguard,team,ovs_datapath,ovs_vport,ovs_flow,ovs_packet,fou"}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%v\nconsole:\n%s", err, out.String())
	}
	if res.ExitCode != 0 || !strings.Contains(out.String(), "--- PASS: TestFamiliesResolve") {
		t.Errorf("exit %d\nconsole:\n%s", res.ExitCode, out.String())
	}
}

// TestLiveNL80211Overlay checks families/nl80211/overlay.yaml against the
// guest kernel: op ids, multicast groups and the policy types of the
// attributes it adds. It needs the kernel specs (YNL_SPEC_PATH).
func TestLiveNL80211Overlay(t *testing.T) {
	var out strings.Builder
	cfg := liveConfig(t, &out, "../testdata/nl80211overlay")
	cfg.Specs = SpecFiles(os.Getenv("YNL_SPEC_PATH"))
	if len(cfg.Specs) == 0 {
		t.Skip("no kernel specs in YNL_SPEC_PATH (default " + DefaultSpecPath + ")")
	}
	overlay, err := filepath.Abs("../../../families/nl80211/overlay.yaml")
	if err != nil || !fileExists(overlay) {
		t.Skipf("no nl80211 overlay at %s", overlay)
	}
	cfg.Files["etc/ynl/nl80211-overlay.yaml"] = overlay
	cfg.TestArgs = []string{"-overlay", "/etc/ynl/nl80211-overlay.yaml"}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatalf("%v\nconsole:\n%s", err, out.String())
	}
	if res.ExitCode != 0 {
		t.Errorf("exit %d\nconsole:\n%s", res.ExitCode, out.String())
	}
	t.Logf("guest:\n%s", grepLines(out.String(), "overlay_test.go"))
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
