package lab

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// NetdevsimModule is the module the lab builds itself: Debian does not ship
// netdevsim (CONFIG_NETDEVSIM is off), so it is compiled out of tree from
// the kernel's source for the kernel being booted.
const NetdevsimModule = "netdevsim"

// NetdevsimSkipEnv is set in the guest, to the reason, when netdevsim was
// asked for but could not be built; tests needing it skip with that reason.
const NetdevsimSkipEnv = "YNL_VMLAB_NO_NETDEVSIM"

// netdevsimRecipe goes into the cache key: a change of the build steps
// below builds again.
const netdevsimRecipe = "1"

// netdevsimStepError is a failed step of the netdevsim build, named so the
// message says what to fix.
type netdevsimStepError struct {
	step string
	err  error
}

func (e *netdevsimStepError) Error() string {
	return fmt.Sprintf("netdevsim build: %s: %v", e.step, e.err)
}

func (e *netdevsimStepError) Unwrap() error { return e.err }

func nsimErr(step string, err error) error {
	if err == nil {
		return nil
	}
	return &netdevsimStepError{step: step, err: err}
}

// kernelSourceFor returns the extracted kernel source tree of the suite:
// $YNL_KERNEL_SOURCE when it holds the right version, otherwise what the
// repository's .ci/kernel-source prints for the suite (it downloads and
// extracts the linux-source package once, into its own cache).
func kernelSourceFor(ctx context.Context, dir, suite, version string, log io.Writer) (string, error) {
	if src := os.Getenv("YNL_KERNEL_SOURCE"); src != "" {
		if v, err := sourceVersion(src); err == nil && v == version && version != "" {
			return src, nil
		}
	}
	script, err := findUp(dir, filepath.Join(".ci", "kernel-source"))
	if err != nil {
		return "", fmt.Errorf("no .ci/kernel-source above %s to fetch the %s kernel source: %w", dir, suite, err)
	}
	fmt.Fprintf(log, "vmlab: netdevsim: kernel source of %s (.ci/kernel-source)\n", suite)
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Env = append(os.Environ(), "YNL_KERNEL_SUITE="+suite)
	var stderr bytes.Buffer
	cmd.Stderr = io.MultiWriter(log, &stderr)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("YNL_KERNEL_SUITE=%s bash .ci/kernel-source: %w: %s", suite, err, lastLines(stderr.String(), 3))
	}
	src := strings.TrimSpace(string(out))
	v, err := sourceVersion(src)
	if err != nil {
		return "", err
	}
	if version != "" && v != version {
		return "", fmt.Errorf("%s's linux-source is %s, the kernel is %s", suite, v, version)
	}
	return src, nil
}

// findUp looks for rel in dir and its parents.
func findUp(dir, rel string) (string, error) {
	d, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if p := filepath.Join(d, rel); fileExists(p) {
			return p, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fs.ErrNotExist
		}
		d = parent
	}
}

var makeVarRE = regexp.MustCompile(`^(VERSION|PATCHLEVEL|SUBLEVEL)\s*=\s*(\d+)\s*$`)

// sourceVersion reads VERSION.PATCHLEVEL.SUBLEVEL from a tree's Makefile.
func sourceVersion(src string) (string, error) {
	f, err := os.Open(filepath.Join(src, "Makefile"))
	if err != nil {
		return "", fmt.Errorf("kernel source %s: %w", src, err)
	}
	defer f.Close()
	v := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() && len(v) < 3 {
		if m := makeVarRE.FindStringSubmatch(sc.Text()); m != nil {
			v[m[1]] = m[2]
		}
	}
	if len(v) < 3 {
		return "", fmt.Errorf("kernel source %s: no VERSION, PATCHLEVEL and SUBLEVEL in its Makefile", src)
	}
	return v["VERSION"] + "." + v["PATCHLEVEL"] + "." + v["SUBLEVEL"], nil
}

// releaseVersion returns the upstream version of a Debian kernel release:
// 7.2.13 for 7.2.13+deb14-amd64. Releases of the 6.1.0-50-amd64 kind name
// no sublevel; "" is returned for them and the source's own version is
// taken on trust.
func releaseVersion(release string) string {
	m := regexp.MustCompile(`^(\d+\.\d+\.\d+)\+`).FindStringSubmatch(release)
	if m == nil {
		return ""
	}
	return m[1]
}

// hashTree hashes the names and contents of the files under dir.
func hashTree(h io.Writer, dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %d\n", rel, len(data))
		h.Write(data)
	}
	return nil
}

// headerPartRE matches the packages a linux-headers-<release> package
// depends on for building modules: its -common headers and kbuild.
var headerPartRE = regexp.MustCompile(`^linux-(headers|kbuild)-[0-9]`)

// BuildNetdevsim returns netdevsim.ko for the kernel, built out of tree
// and cached per kernel release and source hash. dir is where to look for
// the repository's .ci/kernel-source; suite is the kernel's Debian suite.
//
// The steps, each named in an error: the kernel source (linux-source of
// the suite, whose version must match the kernel's), the header packages
// (linux-headers-<release>, its -common part and linux-kbuild, downloaded
// with the suite's private apt setup and unpacked into a build folder,
// never installed), the host tools (objtool and modpost rebuilt from the
// source, since Debian's are linked against the suite's newer C library),
// and the module build (make M=... with the host's gcc).
func BuildNetdevsim(ctx context.Context, k *Kernel, cache, dir, suite string, log io.Writer) (string, error) {
	version := releaseVersion(k.Release)
	src, err := kernelSourceFor(ctx, dir, suite, version, log)
	if err != nil {
		return "", nsimErr("kernel source", err)
	}
	if version == "" {
		version, _ = sourceVersion(src)
	}
	nsimSrc := filepath.Join(src, "drivers", "net", "netdevsim")
	h := sha256.New()
	fmt.Fprintf(h, "recipe %s\nrelease %s\n", netdevsimRecipe, k.Release)
	if err := hashTree(h, nsimSrc); err != nil {
		return "", nsimErr("kernel source", fmt.Errorf("netdevsim's source: %w", err))
	}
	key := k.Release + "-" + hex.EncodeToString(h.Sum(nil))[:12]
	out := filepath.Join(cache, "netdevsim", key, "netdevsim.ko")
	if fileExists(out) {
		return out, nil
	}
	start := time.Now()
	fmt.Fprintf(log, "vmlab: netdevsim: building for %s (once; cached under %s)\n", k.Release, key)

	a := newAptSetup(cache, suite)
	if err := a.update(ctx, log); err != nil {
		return "", nsimErr("header packages", err)
	}
	hdr := "linux-headers-" + k.Release
	deps, err := a.depends(ctx, hdr)
	if err != nil {
		return "", nsimErr("header packages", err)
	}
	pkgs := []string{hdr}
	sc := bufio.NewScanner(bytes.NewReader(deps))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "Depends:" && headerPartRE.MatchString(f[1]) {
			pkgs = append(pkgs, f[1])
		}
	}
	debs, err := fetchPackages(ctx, cache, suite, pkgs, log)
	if err != nil {
		return "", nsimErr("header packages", err)
	}
	work, err := os.MkdirTemp(filepath.Join(cache), ".netdevsim-build-")
	if err != nil {
		return "", nsimErr("header packages", err)
	}
	defer os.RemoveAll(work)
	root := filepath.Join(work, "root")
	for _, d := range debs {
		if err := run(ctx, "", nil, "dpkg-deb", "-x", d, root); err != nil {
			return "", nsimErr("header packages", err)
		}
	}
	hdrDir := filepath.Join(root, "usr", "src", hdr)
	// The headers' Makefile includes the -common one by its installed path.
	mk := filepath.Join(hdrDir, "Makefile")
	b, err := os.ReadFile(mk)
	if err != nil {
		return "", nsimErr("header packages", fmt.Errorf("%s has no Makefile: %w", hdr, err))
	}
	b = bytes.ReplaceAll(b, []byte("/usr/src/"), []byte(filepath.Join(root, "usr", "src")+"/"))
	if err := os.WriteFile(mk, b, 0o644); err != nil {
		return "", nsimErr("header packages", err)
	}
	scripts, err := filepath.EvalSymlinks(filepath.Join(hdrDir, "scripts"))
	if err != nil {
		return "", nsimErr("header packages", fmt.Errorf("%s: no scripts folder (linux-kbuild missing?): %w", hdr, err))
	}
	kbuild := filepath.Dir(scripts)

	if err := buildObjtool(ctx, src, work, filepath.Join(kbuild, "tools", "objtool", "objtool")); err != nil {
		return "", nsimErr("host tools (objtool)", err)
	}
	if err := buildModpost(ctx, src, work, hdrDir, filepath.Join(kbuild, "scripts", "mod", "modpost")); err != nil {
		return "", nsimErr("host tools (modpost)", err)
	}

	mdir := filepath.Join(work, "netdevsim")
	if err := copyTree(nsimSrc, mdir); err != nil {
		return "", nsimErr("module build", err)
	}
	var blog bytes.Buffer
	cmd := exec.CommandContext(ctx, "make", "-C", hdrDir, "M="+mdir, "CC=gcc",
		"CONFIG_NETDEVSIM=m",
		// gcc before 14 lacks -fmin-function-alignment; Debian builds with a newer one.
		"CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=",
		// BTF for modules needs pahole; the module loads without it.
		"CONFIG_DEBUG_INFO_BTF_MODULES=",
		"-j2", "modules")
	cmd.Stdout, cmd.Stderr = &blog, &blog
	if err := cmd.Run(); err != nil {
		return "", nsimErr("module build", fmt.Errorf("make M=netdevsim: %w\n%s", err, lastLines(blog.String(), 30)))
	}
	ko := filepath.Join(mdir, "netdevsim.ko")
	// The debug info is most of the file and useless in the guest.
	_ = run(ctx, "", nil, "strip", "--strip-debug", ko)
	data, err := os.ReadFile(ko)
	if err != nil {
		return "", nsimErr("module build", err)
	}
	if err := writeFileAtomic(out, data, 0o644); err != nil {
		return "", nsimErr("module build", err)
	}
	fmt.Fprintf(log, "vmlab: netdevsim: built in %.1fs (%d KiB)\n", time.Since(start).Seconds(), len(data)>>10)
	return out, nil
}

// buildObjtool builds tools/objtool of the source and puts it at dst.
func buildObjtool(ctx context.Context, src, work, dst string) error {
	out := filepath.Join(work, "objtool")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := run(ctx, "", nil, "make", "-s", "-C", filepath.Join(src, "tools", "objtool"), "O="+out, "-j2"); err != nil {
		return fmt.Errorf("%w (needs make, gcc and libelf-dev)", err)
	}
	return replaceFile(dst, filepath.Join(out, "objtool"))
}

// offsetsLineRE picks the "->NAME $VALUE comment" lines of an offsets
// assembly file, as Kbuild's sed-offsets does.
var offsetsLineRE = regexp.MustCompile(`^\s*\.ascii\s*"->([^ ]*) [$#]*([^ ]*) (.*)"`)

// buildModpost builds scripts/mod/modpost of the source with its two
// generated headers (devicetable-offsets.h from the kernel's headers,
// elfconfig.h from the host's ELF class) and puts it at dst.
func buildModpost(ctx context.Context, src, work, hdrDir, dst string) error {
	d := filepath.Join(work, "modpost", "scripts", "mod")
	if err := copyTree(filepath.Join(src, "scripts", "mod"), d); err != nil {
		return err
	}
	// modpost's sources include ../../include/linux/*.h: the -common
	// headers, which the headers' Makefile includes.
	b, err := os.ReadFile(filepath.Join(hdrDir, "Makefile"))
	if err != nil {
		return err
	}
	m := regexp.MustCompile(`(?m)^include (\S+)/Makefile`).FindSubmatch(b)
	if m == nil {
		return fmt.Errorf("%s/Makefile includes no -common Makefile", hdrDir)
	}
	common := string(m[1])
	if err := os.Symlink(filepath.Join(common, "include"), filepath.Join(work, "modpost", "include")); err != nil {
		return err
	}
	A, C := hdrDir, common
	cflags := []string{"-nostdinc",
		"-I" + C + "/arch/x86/include", "-I" + A + "/arch/x86/include/generated",
		"-I" + C + "/include", "-I" + A + "/include",
		"-I" + C + "/arch/x86/include/uapi", "-I" + A + "/arch/x86/include/generated/uapi",
		"-I" + C + "/include/uapi", "-I" + A + "/include/generated/uapi",
		"-include", C + "/include/linux/compiler-version.h",
		"-include", C + "/include/linux/kconfig.h",
		"-include", C + "/include/linux/compiler_types.h",
		"-D__KERNEL__", "-O2", "-w", "-S", "-o", "devicetable-offsets.s", "devicetable-offsets.c"}
	if err := run(ctx, d, nil, "gcc", cflags...); err != nil {
		return fmt.Errorf("devicetable-offsets: %w", err)
	}
	asm, err := os.ReadFile(filepath.Join(d, "devicetable-offsets.s"))
	if err != nil {
		return err
	}
	var hb strings.Builder
	hb.WriteString("#ifndef __DEVICETABLE_OFFSETS_H__\n#define __DEVICETABLE_OFFSETS_H__\n")
	n := 0
	for _, line := range strings.Split(string(asm), "\n") {
		if m := offsetsLineRE.FindStringSubmatch(line); m != nil {
			fmt.Fprintf(&hb, "#define %s %s /* %s */\n", m[1], m[2], m[3])
			n++
		}
	}
	hb.WriteString("#endif\n")
	if n == 0 {
		return errors.New("devicetable-offsets: no offsets in the compiler's output")
	}
	if err := os.WriteFile(filepath.Join(d, "devicetable-offsets.h"), []byte(hb.String()), 0o644); err != nil {
		return err
	}
	if err := run(ctx, d, nil, "gcc", "-c", "-o", "empty.o", "empty.c"); err != nil {
		return err
	}
	if err := run(ctx, d, nil, "gcc", "-o", "mk_elfconfig", "mk_elfconfig.c"); err != nil {
		return err
	}
	elfcfg, err := output(ctx, d, filepath.Join(d, "empty.o"), filepath.Join(d, "mk_elfconfig"))
	if err != nil {
		return fmt.Errorf("mk_elfconfig: %w", err)
	}
	if err := os.WriteFile(filepath.Join(d, "elfconfig.h"), elfcfg, 0o644); err != nil {
		return err
	}
	// modpost.c, file2alias.c, sumversion.c and, since 6.9, symsearch.c.
	args := []string{"-O2", "-I" + filepath.Join(src, "scripts", "include"), "-I.", "-o", "modpost"}
	for _, c := range []string{"modpost.c", "file2alias.c", "sumversion.c", "symsearch.c"} {
		if fileExists(filepath.Join(d, c)) {
			args = append(args, c)
		}
	}
	if err := run(ctx, d, nil, "gcc", args...); err != nil {
		return err
	}
	return replaceFile(dst, filepath.Join(d, "modpost"))
}

// run runs a command in dir, returning its output with the error.
func run(ctx context.Context, dir string, env []string, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %w\n%s", name, err, lastLines(string(out), 20))
	}
	return nil
}

// output runs a command with stdin from a file and returns its stdout.
func output(ctx context.Context, dir, stdin string, name string, args ...string) ([]byte, error) {
	in, err := os.Open(stdin)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Stdin = dir, in
	return cmd.Output()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// replaceFile puts a copy of src at dst, replacing what is there (a file
// or a wrapper script).
func replaceFile(dst, src string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	_ = os.Remove(dst)
	return os.WriteFile(dst, data, 0o755)
}

// copyTree copies the regular files under src to dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		t := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(t, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(t, data, 0o644)
	})
}
