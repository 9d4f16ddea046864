package lab

import (
	"compress/gzip"
	"debug/elf"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ImageSpec lists the host files that make up the initramfs.
type ImageSpec struct {
	Busybox  string            // a statically linked busybox
	Modules  []HostModule      // in load order
	Tests    []TestBinary      // in run order
	TestArgs []string          // passed to every test binary after -test.v
	Files    map[string]string // extra files: guest path -> host path (firmware)
	Specs    []string          // YAML spec files for YNL_SPEC_PATH in the guest
	Programs []GuestProgram    // host programs for the guest's tool folder
	Nonce    string            // marks the init script's status lines
	Gzip     bool              // compress (smaller, but slower to unpack under TCG)
	Env      []string          // "KEY=value" exported to the tests
}

// HostModule is a module file on the host with its parameters.
type HostModule struct {
	Name   string
	File   string
	Params []string
	Soft   bool // a soft dependency: failing to load it is not an error
}

// maxTestdata bounds the testdata copied per package, so a package with a
// large corpus does not fill the guest's memory.
const maxTestdata = 64 << 20

// guestSpecDir holds the spec files in the guest.
const guestSpecDir = "/usr/share/ynl/specs"

// WriteInitramfs writes the initramfs described by spec to w.
func WriteInitramfs(w io.Writer, spec ImageSpec, log io.Writer) error {
	if err := checkStatic(spec.Busybox); err != nil {
		return err
	}
	out, closeOut := w, func() error { return nil }
	if spec.Gzip {
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		out, closeOut = zw, zw.Close
	}
	c := NewCPIOWriter(out)
	for _, d := range []string{"bin", "sbin", "usr", "usr/bin", "usr/sbin", "usr/share", "usr/share/ynl",
		"etc", "proc", "sys", "dev", "tmp", "root", "run", "var", "lib", "lib/modules", "lib/firmware", "tests"} {
		if err := c.Dir(d, 0o755); err != nil {
			return err
		}
	}
	// iproute2 keeps named network namespaces in /var/run/netns.
	if err := c.Symlink("var/run", "../run"); err != nil {
		return err
	}
	opt := ScriptOptions{Nonce: spec.Nonce, TestArgs: spec.TestArgs, Env: spec.Env}
	if err := addHostFile(c, "bin/busybox", spec.Busybox, 0o755); err != nil {
		return err
	}
	for _, m := range spec.Modules {
		g := "lib/modules/" + m.Name + ".ko"
		if err := addHostFile(c, g, m.File, 0o644); err != nil {
			return err
		}
		opt.Modules = append(opt.Modules, GuestModule{Name: m.Name, File: "/" + g, Params: m.Params, Soft: m.Soft})
	}
	if err := addFiles(c, spec.Files); err != nil {
		return err
	}
	if err := addPrograms(c, spec.Programs); err != nil {
		return err
	}
	if err := addSpecs(c, spec.Specs); err != nil {
		return err
	}
	if len(spec.Specs) > 0 {
		opt.SpecPath = guestSpecDir
	}
	for i, t := range spec.Tests {
		g, err := addTest(c, i, t, log)
		if err != nil {
			return err
		}
		opt.Tests = append(opt.Tests, g)
	}
	if err := c.File("init", 0o755, []byte(InitScript(opt))); err != nil {
		return err
	}
	if err := c.Close(); err != nil {
		return err
	}
	return closeOut()
}

// checkStatic fails unless the busybox is statically linked: the guest has
// no C library.
func checkStatic(name string) error {
	f, err := elf.Open(name)
	if err != nil {
		return fmt.Errorf("busybox %s: %w (install busybox-static)", name, err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("busybox %s is dynamically linked (install busybox-static)", name)
		}
	}
	return nil
}

func addHostFile(c *CPIOWriter, guest, host string, perm fs.FileMode) error {
	data, err := os.ReadFile(host)
	if err != nil {
		return err
	}
	return c.File(guest, perm, data)
}

// addFiles adds extra files, creating their folders, in a stable order.
func addFiles(c *CPIOWriter, files map[string]string) error {
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	made := map[string]bool{}
	for _, k := range keys {
		g, err := cpioName(k)
		if err != nil {
			return err
		}
		if err := mkdirs(c, path.Dir(g), made); err != nil {
			return err
		}
		if err := addHostFile(c, g, files[k], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// mkdirs adds the folders of dir that the fixed layout lacks.
func mkdirs(c *CPIOWriter, dir string, made map[string]bool) error {
	if dir == "." || dir == "/" || c.names[dir] || made[dir] {
		return nil
	}
	if err := mkdirs(c, path.Dir(dir), made); err != nil {
		return err
	}
	made[dir] = true
	return c.Dir(dir, 0o755)
}

func addSpecs(c *CPIOWriter, specs []string) error {
	if len(specs) == 0 {
		return nil
	}
	if err := c.Dir(strings.TrimPrefix(guestSpecDir, "/"), 0o755); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, s := range specs {
		base := filepath.Base(s)
		if seen[base] { // earlier YNL_SPEC_PATH folders win, as on the host
			continue
		}
		seen[base] = true
		if err := addHostFile(c, strings.TrimPrefix(guestSpecDir, "/")+"/"+base, s, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// addTest adds a test binary in a folder of its own, with a copy of its
// package's testdata so tests that read it find it as under go test.
func addTest(c *CPIOWriter, i int, t TestBinary, log io.Writer) (GuestTest, error) {
	dir := fmt.Sprintf("tests/%02d-%s", i, path.Base(t.ImportPath))
	g := GuestTest{ImportPath: t.ImportPath, Dir: "/" + dir, Binary: "/" + dir + "/" + filepath.Base(t.Binary)}
	if err := c.Dir(dir, 0o755); err != nil {
		return g, err
	}
	if err := addHostFile(c, dir+"/"+filepath.Base(t.Binary), t.Binary, 0o755); err != nil {
		return g, err
	}
	td := filepath.Join(t.SourceDir, "testdata")
	if t.SourceDir == "" || !dirExists(td) {
		return g, nil
	}
	if size := treeSize(td); size > maxTestdata {
		fmt.Fprintf(log, "vmlab: %s: testdata is %s, over %s; not copied\n", t.ImportPath, humanSize(size), humanSize(maxTestdata))
		return g, nil
	}
	return g, addTree(c, dir+"/testdata", td)
}

func dirExists(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.IsDir()
}

func treeSize(root string) int64 {
	var n int64
	_ = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// addTree copies a host folder into the archive; symlinks stay links.
func addTree(c *CPIOWriter, guest, root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		g := path.Join(guest, filepath.ToSlash(rel))
		switch {
		case d.IsDir():
			return c.Dir(g, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return c.Symlink(g, target)
		case d.Type().IsRegular():
			fi, err := d.Info()
			if err != nil {
				return err
			}
			return addHostFile(c, g, p, fi.Mode().Perm())
		}
		return nil
	})
}
