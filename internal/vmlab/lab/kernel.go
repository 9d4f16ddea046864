package lab

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// DefaultKernelMeta is the Debian meta package whose dependency names the
// current kernel image package. Its name carries an ABI number that changes,
// and old ones leave the mirror, so it is resolved on every run.
const DefaultKernelMeta = "linux-image-amd64"

// Kernel is a Debian kernel package unpacked into the cache: its image and
// an index of its modules. Module files are extracted on demand.
type Kernel struct {
	Package string // Debian package name, e.g. linux-image-6.1.0-56-amd64
	Release string // kernel release, the /lib/modules folder name
	Deb     string // the .deb file in the cache
	Dir     string // the unpacked files in the cache
	Vmlinuz string // the kernel image (bzImage)
	Vmlinux string // the same, uncompressed, for a PVH boot; "" if unusable
	Modules *ModuleIndex
}

// KernelOptions says which kernel to use and where to cache it.
type KernelOptions struct {
	Package  string // package to use; empty resolves DefaultKernelMeta
	Deb      string // a local .deb file to use instead of downloading
	CacheDir string
	Log      io.Writer // progress lines; nil discards them
}

// PrepareKernel returns the kernel, downloading and indexing it on first
// use; later runs with a warm cache need no network.
func PrepareKernel(ctx context.Context, opt KernelOptions) (*Kernel, error) {
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	deb, err := locateDeb(ctx, opt, log)
	if err != nil {
		return nil, err
	}
	k := &Kernel{Deb: deb, Dir: filepath.Join(opt.CacheDir, "kernels", strings.TrimSuffix(filepath.Base(deb), ".deb"))}
	k.Package, _, _ = strings.Cut(filepath.Base(deb), "_")
	if err := k.load(); err != nil {
		fmt.Fprintf(log, "vmlab: indexing %s\n", filepath.Base(deb))
		if err := k.index(ctx); err != nil {
			return nil, fmt.Errorf("unpacking %s: %w", deb, err)
		}
		if err := k.load(); err != nil {
			return nil, fmt.Errorf("reading unpacked %s: %w", deb, err)
		}
	}
	k.ensureVmlinux(ctx, log)
	return k, nil
}

// ensureVmlinux unpacks the uncompressed kernel once; if that is not
// possible it notes why in the cache and the compressed image is booted.
func (k *Kernel) ensureVmlinux(ctx context.Context, log io.Writer) {
	vmlinux, none := filepath.Join(k.Dir, cacheVmlinux), filepath.Join(k.Dir, cacheVmlinux+".none")
	if fileExists(vmlinux) {
		k.Vmlinux = vmlinux
		return
	}
	if fileExists(none) {
		return
	}
	bz, err := os.ReadFile(k.Vmlinuz)
	if err == nil {
		var elf []byte
		if elf, err = ExtractVmlinux(ctx, bz); err == nil {
			if err = writeFileAtomic(vmlinux, elf, 0o644); err == nil {
				k.Vmlinux = vmlinux
				return
			}
		}
	}
	if ctx.Err() == nil { // do not remember a cancelled attempt
		fmt.Fprintf(log, "vmlab: booting the compressed kernel (slower): %v\n", err)
		_ = writeFileAtomic(none, []byte(err.Error()+"\n"), 0o644)
	}
}

// BootImage returns the kernel file to boot: the uncompressed one when
// there is one, unless compressed is set.
func (k *Kernel) BootImage(compressed bool) string {
	if k.Vmlinux != "" && !compressed {
		return k.Vmlinux
	}
	return k.Vmlinuz
}

// locateDeb returns the kernel package file, downloading it if needed.
func locateDeb(ctx context.Context, opt KernelOptions, log io.Writer) (string, error) {
	if opt.Deb != "" {
		if !fileExists(opt.Deb) {
			return "", fmt.Errorf("kernel package %s: no such file", opt.Deb)
		}
		return filepath.Abs(opt.Deb)
	}
	debDir := filepath.Join(opt.CacheDir, "debs")
	pkg := opt.Package
	if pkg == "" {
		var err error
		if pkg, err = ResolveKernelPackage(ctx, DefaultKernelMeta); err != nil {
			if cached := newestDeb(debDir, "linux-image-"); cached != "" {
				fmt.Fprintf(log, "vmlab: %v; using cached %s\n", err, filepath.Base(cached))
				return cached, nil
			}
			return "", err
		}
	}
	if cached := newestDeb(debDir, pkg+"_"); cached != "" {
		return cached, nil
	}
	return downloadDeb(ctx, debDir, pkg, log)
}

// ResolveKernelPackage returns the kernel image package the meta package
// currently depends on, from the local apt lists.
func ResolveKernelPackage(ctx context.Context, meta string) (string, error) {
	out, err := exec.CommandContext(ctx, "apt-cache", "depends", meta).Output()
	if err != nil {
		return "", fmt.Errorf("apt-cache depends %s: %w (a Debian host with apt is needed, or pass a kernel .deb)", meta, err)
	}
	if pkg := imageDependency(out); pkg != "" {
		return pkg, nil
	}
	return "", fmt.Errorf("apt-cache depends %s names no linux-image-<version> package (run apt-get update?)", meta)
}

// imageDependency returns the first "Depends: linux-image-<digit>..." of
// apt-cache depends output, or "".
func imageDependency(out []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 || f[0] != "Depends:" {
			continue
		}
		if rest, ok := strings.CutPrefix(f[1], "linux-image-"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return f[1]
		}
	}
	return ""
}

// newestDeb returns the most recently modified .deb in dir whose name
// starts with prefix, or "".
func newestDeb(dir, prefix string) string {
	matches, _ := filepath.Glob(filepath.Join(dir, prefix+"*.deb"))
	sort.Slice(matches, func(i, j int) bool {
		a, _ := os.Stat(matches[i])
		b, _ := os.Stat(matches[j])
		return a != nil && b != nil && a.ModTime().After(b.ModTime())
	})
	if len(matches) == 0 {
		return ""
	}
	return matches[0]
}

// downloadDeb fetches pkg with apt-get download into dir.
func downloadDeb(ctx context.Context, dir, pkg string, log io.Writer) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// A scratch folder keeps partial downloads out of the cache; it is
	// world-readable so apt's unprivileged _apt user may write there.
	tmp, err := os.MkdirTemp(dir, ".download-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	_ = os.Chmod(tmp, 0o777)
	fmt.Fprintf(log, "vmlab: downloading %s (about 70 MB, once)\n", pkg)
	cmd := exec.CommandContext(ctx, "apt-get", "download", pkg)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %w: %s (run apt-get update?)", pkg, err, strings.TrimSpace(string(out)))
	}
	got, _ := filepath.Glob(filepath.Join(tmp, pkg+"_*.deb"))
	if len(got) != 1 {
		return "", fmt.Errorf("apt-get download %s: expected one .deb, found %d", pkg, len(got))
	}
	dst := filepath.Join(dir, filepath.Base(got[0]))
	if err := os.Rename(got[0], dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Cache file names inside Kernel.Dir.
const (
	cacheVmlinuz = "vmlinuz"
	cacheVmlinux = "vmlinux"
	cacheDep     = "modules.dep"
	cacheBuiltin = "modules.builtin"
	cacheSoftdep = "modules.softdep"
	cacheAlias   = "modules.alias"
	cacheRelease = "release"
	cacheModDir  = "modules"
)

// load reads a previously unpacked kernel from k.Dir.
func (k *Kernel) load() error {
	rel, err := os.ReadFile(filepath.Join(k.Dir, cacheRelease))
	if err != nil {
		return err
	}
	k.Release = strings.TrimSpace(string(rel))
	k.Vmlinuz = filepath.Join(k.Dir, cacheVmlinuz)
	if !fileExists(k.Vmlinuz) {
		return fmt.Errorf("%s missing", k.Vmlinuz)
	}
	f, err := os.Open(filepath.Join(k.Dir, cacheDep))
	if err != nil {
		return err
	}
	defer f.Close()
	if k.Modules, err = ReadModulesDep(f); err != nil {
		return err
	}
	for name, read := range map[string]func(io.Reader) error{
		cacheBuiltin: k.Modules.ReadModulesBuiltin, cacheSoftdep: k.Modules.ReadModulesSoftdep, cacheAlias: k.Modules.ReadModulesAlias,
	} {
		if err := readCacheFile(filepath.Join(k.Dir, name), read); err != nil {
			return err
		}
	}
	return nil
}

func readCacheFile(name string, read func(io.Reader) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return read(f)
}

// index unpacks the kernel image and builds modules.dep, modules.softdep
// and modules.alias from every module's .modinfo: Debian's package ships no modules.dep, depmod writes it
// at install time. The release file is written last and marks completion.
func (k *Kernel) index(ctx context.Context) error {
	idx := NewModuleIndex()
	var builtin []byte
	release := ""
	err := walkDeb(ctx, k.Deb, func(e *debEntry) error {
		if m := vmlinuzRE.FindStringSubmatch(e.Name); m != nil {
			data, err := io.ReadAll(e.r)
			if err != nil {
				return err
			}
			release = m[1]
			return writeFileAtomic(filepath.Join(k.Dir, cacheVmlinuz), data, 0o644)
		}
		m := moduleFileRE.FindStringSubmatch(e.Name)
		switch {
		case m == nil:
			return nil
		case m[2] == "modules.builtin":
			var err error
			builtin, err = io.ReadAll(e.r)
			return err
		case !isModuleFile(m[2]):
			return nil
		}
		data, err := readModule(ctx, m[2], e.r)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		info, err := ParseModInfo(data)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		idx.AddInfo(uncompressedName(m[2]), info)
		return nil
	})
	if err != nil {
		return err
	}
	if release == "" || idx.Len() == 0 {
		return fmt.Errorf("no kernel image or no modules in the package (%d modules)", idx.Len())
	}
	// Modules may list built-in ones as dependencies; those need no insmod.
	if err := idx.ReadModulesBuiltin(bytes.NewReader(builtin)); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer) error{
		cacheDep: idx.WriteModulesDep, cacheSoftdep: idx.WriteModulesSoftdep, cacheAlias: idx.WriteModulesAlias,
	} {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(k.Dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	if err := writeFileAtomic(filepath.Join(k.Dir, cacheBuiltin), builtin, 0o644); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(k.Dir, cacheRelease), []byte(release+"\n"), 0o644)
}

// ModuleFile returns the cached, uncompressed file of an indexed module.
func (k *Kernel) ModuleFile(name string) string {
	rel, _ := k.Modules.Path(name)
	return filepath.Join(k.Dir, cacheModDir, rel)
}

// ExtractModules makes sure the named modules' files are in the cache,
// reading the package once for all that are missing.
func (k *Kernel) ExtractModules(ctx context.Context, names []string) error {
	want := map[string]bool{}
	for _, n := range names {
		rel, ok := k.Modules.Path(n)
		if !ok {
			return fmt.Errorf("module %s not in %s", n, k.Package)
		}
		if !fileExists(k.ModuleFile(n)) {
			want[rel] = true
		}
	}
	if len(want) == 0 {
		return nil
	}
	err := walkDeb(ctx, k.Deb, func(e *debEntry) error {
		m := moduleFileRE.FindStringSubmatch(e.Name)
		if m == nil || !want[uncompressedName(m[2])] {
			return nil
		}
		data, err := readModule(ctx, m[2], e.r)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Name, err)
		}
		rel := uncompressedName(m[2])
		delete(want, rel)
		if err := writeFileAtomic(filepath.Join(k.Dir, cacheModDir, rel), data, 0o644); err != nil {
			return err
		}
		if len(want) == 0 {
			return errStopWalk
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(want) > 0 {
		return fmt.Errorf("%d module files not found in %s", len(want), k.Deb)
	}
	return nil
}
