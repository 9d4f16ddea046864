package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
	Package string   // Debian package name, e.g. linux-image-6.1.0-56-amd64
	Release string   // kernel release, the /lib/modules folder name
	Debs    []string // the .deb files in the cache: the image package and, for a split kernel, its parts
	Dir     string   // the unpacked files in the cache
	Vmlinuz string   // the kernel image (bzImage)
	Vmlinux string   // the same, uncompressed, for a PVH boot; "" if unusable
	Modules *ModuleIndex
}

// KernelOptions says which kernel to use and where to cache it.
type KernelOptions struct {
	// Kernel is a Debian suite (sid, trixie, bookworm) or the kernel series
	// it carries (7.2, 6.12, 6.1); "" is DefaultKernel. The packages are
	// resolved through DefaultKernelMeta in a private apt setup for the
	// suite (see KernelSuite).
	Kernel   string
	Package  string   // image package to use instead of resolving one (in the suite of Kernel)
	Debs     []string // local .deb files to use instead of downloading (an image package and its parts)
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
	debs, series, err := locateDebs(ctx, opt, log)
	if err != nil {
		return nil, err
	}
	deb := debs[0]
	k := &Kernel{Debs: debs, Dir: filepath.Join(opt.CacheDir, "kernels", strings.TrimSuffix(filepath.Base(deb), ".deb"))}
	k.Package, _, _ = strings.Cut(filepath.Base(deb), "_")
	if err := k.load(); err != nil {
		fmt.Fprintf(log, "vmlab: indexing %s\n", strings.Join(baseNames(debs), " "))
		if err := k.index(ctx); err != nil {
			return nil, fmt.Errorf("unpacking %s: %w", strings.Join(debs, " "), err)
		}
		if err := k.load(); err != nil {
			return nil, fmt.Errorf("reading unpacked %s: %w", deb, err)
		}
	}
	if series != "" && !strings.HasPrefix(k.Release, series+".") {
		return nil, fmt.Errorf("-kernel %s: the suite now carries %s, not %s (name the suite instead)", series, k.Release, series)
	}
	k.ensureVmlinux(ctx, log)
	return k, nil
}

func baseNames(files []string) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = filepath.Base(f)
	}
	return out
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

// locateDebs returns the kernel's package files, downloading them if
// needed, and the kernel series asked for by number ("" when a suite or
// local files were named).
func locateDebs(ctx context.Context, opt KernelOptions, log io.Writer) ([]string, string, error) {
	if len(opt.Debs) > 0 {
		var out []string
		for _, d := range opt.Debs {
			if !fileExists(d) {
				return nil, "", fmt.Errorf("kernel package %s: no such file", d)
			}
			a, err := filepath.Abs(d)
			if err != nil {
				return nil, "", err
			}
			out = append(out, a)
		}
		// The image package (or the stub naming the parts) comes first.
		sort.SliceStable(out, func(i, j int) bool {
			return strings.HasPrefix(filepath.Base(out[i]), "linux-image-") && !strings.HasPrefix(filepath.Base(out[j]), "linux-image-")
		})
		return out, "", nil
	}
	suite, series, err := KernelSuite(opt.Kernel)
	if err != nil {
		return nil, "", err
	}
	if opt.Kernel != series {
		series = ""
	}
	var pkgs []string
	if opt.Package != "" {
		a := newAptSetup(opt.CacheDir, suite)
		if err := a.update(ctx, log); err != nil {
			return nil, "", err
		}
		out, err := a.depends(ctx, opt.Package)
		if err != nil {
			return nil, "", err
		}
		pkgs = append([]string{opt.Package}, kernelParts(out)...)
	} else if pkgs, err = resolveSuite(ctx, opt.CacheDir, suite, log); err != nil {
		return nil, "", err
	}
	debs, err := fetchPackages(ctx, opt.CacheDir, suite, pkgs, log)
	return debs, series, err
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
	err := k.walk(ctx, func(e *debEntry) error {
		if rel := vmlinuzRelease(e.Name); rel != "" {
			data, err := io.ReadAll(e.r)
			if err != nil {
				return err
			}
			release = rel
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

// walk streams the files of every package of the kernel through fn.
func (k *Kernel) walk(ctx context.Context, fn func(e *debEntry) error) error {
	for _, d := range k.Debs {
		err := walkDeb(ctx, d, fn)
		if errors.Is(err, errStopWalk) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
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
	err := k.walk(ctx, func(e *debEntry) error {
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
		return fmt.Errorf("%d module files not found in %s", len(want), strings.Join(k.Debs, " "))
	}
	return nil
}
