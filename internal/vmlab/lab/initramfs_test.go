package lab

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestWriteInitramfs(t *testing.T) {
	dir := t.TempDir()
	bb := filepath.Join(dir, "busybox")
	if err := os.WriteFile(bb, fakeModule(t, map[string]string{".text": "\x90"}), 0o755); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(dir, "pkg")
	writeTemp(t, pkg, "testdata/a/b.txt", "hello")
	spec := ImageSpec{
		Busybox: bb,
		Modules: []HostModule{{Name: "rfkill", File: writeTemp(t, dir, "rfkill.ko", "ko")}},
		Tests:   []TestBinary{{ImportPath: "example.com/pkg", SourceDir: pkg, Binary: writeTemp(t, dir, "00-pkg.test", "bin")}},
		Files:   map[string]string{"lib/firmware/regulatory.db": writeTemp(t, dir, "regdb", "db"), "/etc/x/y": writeTemp(t, dir, "y", "y")},
		Specs:   []string{writeTemp(t, dir, "s1/nl80211.yaml", "one"), writeTemp(t, dir, "s2/nl80211.yaml", "two")},
		Nonce:   "n1",
	}
	for _, gz := range []bool{false, true} {
		spec.Gzip = gz
		var buf bytes.Buffer
		if err := WriteInitramfs(&buf, spec, io.Discard); err != nil {
			t.Fatal(err)
		}
		raw := buf.Bytes()
		if gz {
			zr, err := gzip.NewReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if raw, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		files := map[string]string{}
		for _, e := range readNewc(t, raw) {
			files[e.Name] = e.Data
		}
		for name, want := range map[string]string{
			"lib/modules/rfkill.ko":            "ko",
			"tests/00-pkg/00-pkg.test":         "bin",
			"tests/00-pkg/testdata/a/b.txt":    "hello",
			"lib/firmware/regulatory.db":       "db",
			"etc/x/y":                          "y",
			"usr/share/ynl/specs/nl80211.yaml": "one", // the first folder wins
			"init":                             "",
		} {
			got, ok := files[name]
			if !ok || (want != "" && got != want) {
				t.Errorf("gzip=%v: %s = %q (present %v), want %q", gz, name, got, ok, want)
			}
		}
		if s := files["init"]; !strings.Contains(s, "load '/lib/modules/rfkill.ko'") || !strings.Contains(s, "cd '/tests/00-pkg'") {
			t.Errorf("init script does not load the module or run the test:\n%s", s)
		}
	}
}

func TestCheckStaticRejectsDynamic(t *testing.T) {
	if err := checkStatic(filepath.Join(t.TempDir(), "none")); err == nil || !strings.Contains(err.Error(), "busybox-static") {
		t.Errorf("missing busybox: got %v", err)
	}
	sh := "/bin/sh"
	if real, err := filepath.EvalSymlinks(sh); err == nil {
		sh = real
	}
	if err := checkStatic(sh); err == nil {
		t.Skipf("%s is static here; nothing to check", sh)
	} else if !strings.Contains(err.Error(), "busybox-static") {
		t.Errorf("%s: got %v", sh, err)
	}
}
