package lab

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestImageDependency(t *testing.T) {
	out := `linux-image-amd64
  Depends: linux-image-6.1.0-56-amd64
  Depends: linux-base
 |Depends: linux-image-6.1.0-55-amd64
`
	if got := imageDependency([]byte(out)); got != "linux-image-6.1.0-56-amd64" {
		t.Errorf("got %q", got)
	}
	for _, bad := range []string{"", "linux-image-amd64\n  Depends: linux-image-amd64-signed\n", "  Recommends: linux-image-6.1.0-56-amd64\n"} {
		if got := imageDependency([]byte(bad)); got != "" {
			t.Errorf("%q: got %q, want none", bad, got)
		}
	}
}

// fakeKernelDeb builds a small kernel package with dpkg-deb: an image, a
// plain and an xz-compressed module with a dependency between them, a
// softdep through an alias, and modules.builtin.
func fakeKernelDeb(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"dpkg-deb", "xz"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	root := filepath.Join(t.TempDir(), "pkg")
	mods := filepath.Join(root, "lib/modules/9.9.9-test/kernel")
	writeTemp(t, root, "DEBIAN/control", "Package: linux-image-9.9.9-test\nVersion: 1\nArchitecture: amd64\nMaintainer: ynl <ynl@example.org>\nDescription: test kernel\n")
	writeTemp(t, root, "boot/vmlinuz-9.9.9-test", "not a real kernel")
	writeTemp(t, root, "lib/modules/9.9.9-test/modules.builtin", "kernel/net/rfkill/rfkill.ko\n")
	base := fakeModule(t, map[string]string{".modinfo": "depends=rfkill\x00alias=crypto-base\x00"})
	top := fakeModule(t, map[string]string{".modinfo": "depends=base_mod\x00softdep=pre: crypto-soft\x00"})
	soft := fakeModule(t, map[string]string{".modinfo": "depends=\x00alias=crypto-soft\x00"})
	writeTemp(t, mods, "net/base-mod.ko", string(base))
	writeTemp(t, mods, "net/soft.ko", string(soft))
	writeTemp(t, mods, "net/top.ko", string(top))
	if out, err := exec.Command("xz", filepath.Join(mods, "net/top.ko")).CombinedOutput(); err != nil {
		t.Fatalf("xz: %v: %s", err, out)
	}
	deb := filepath.Join(t.TempDir(), "linux-image-9.9.9-test_1_amd64.deb")
	if out, err := exec.Command("dpkg-deb", "--root-owner-group", "--build", root, deb).CombinedOutput(); err != nil {
		t.Fatalf("dpkg-deb --build: %v: %s", err, out)
	}
	return deb
}

// TestPrepareKernelFromDeb runs the download step's unpacking on a package
// made here: index, order, extraction and decompression, then a second
// run from the cache.
func TestPrepareKernelFromDeb(t *testing.T) {
	deb := fakeKernelDeb(t)
	cache := t.TempDir()
	var log strings.Builder
	k, err := PrepareKernel(context.Background(), KernelOptions{Debs: []string{deb}, CacheDir: cache, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if k.Release != "9.9.9-test" || k.Package != "linux-image-9.9.9-test" || k.Modules.Len() != 3 {
		t.Fatalf("kernel %+v with %d modules", k, k.Modules.Len())
	}
	if k.Vmlinux != "" || !strings.Contains(log.String(), "booting the compressed kernel") {
		t.Errorf("a fake image must fall back to the compressed boot; log:\n%s", log.String())
	}
	order, err := k.Modules.Order([]string{"top"})
	if err != nil {
		t.Fatal(err)
	}
	want := []ModuleLoad{{"soft", true}, {"base_mod", false}, {"top", false}} // rfkill is built in
	if diff := cmp.Diff(want, order); diff != "" {
		t.Fatalf("order (-want +got):\n%s", diff)
	}
	if err := k.ExtractModules(context.Background(), []string{"soft", "base_mod", "top"}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(k.ModuleFile("top"))
	if err != nil || !strings.HasSuffix(k.ModuleFile("top"), "net/top.ko") {
		t.Fatalf("top module at %s: %v", k.ModuleFile("top"), err)
	}
	if info, err := ParseModInfo(got); err != nil || !cmp.Equal(info.Depends, []string{"base_mod"}) {
		t.Errorf("decompressed top.ko: %+v, %v", info, err)
	}
	// The second run reads the cache only.
	log.Reset()
	k2, err := PrepareKernel(context.Background(), KernelOptions{Debs: []string{deb}, CacheDir: cache, Log: &log})
	if err != nil || k2.Modules.Len() != 3 || log.Len() != 0 {
		t.Errorf("cached run: %v, %d modules, log %q", err, k2.Modules.Len(), log.String())
	}
	if err := k.ExtractModules(context.Background(), []string{"nope"}); err == nil || !strings.Contains(err.Error(), "module nope not in") {
		t.Errorf("unknown module: got %v", err)
	}
}

func TestPrepareKernelMissingDeb(t *testing.T) {
	_, err := PrepareKernel(context.Background(), KernelOptions{Debs: []string{filepath.Join(t.TempDir(), "none.deb")}, CacheDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("got %v", err)
	}
}
