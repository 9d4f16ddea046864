package lab

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// KernelSuites lists the Debian suites the lab knows, newest first, with
// the kernel series each one's linux-image-amd64 carried when this was
// written. -kernel accepts either name; the series is checked against what
// the suite resolves to, so a suite that moved on says so.
var KernelSuites = []struct{ Suite, Series string }{
	{"sid", "7.2"},
	{"trixie", "6.12"},
	{"bookworm", "6.1"},
}

// DefaultKernel is the kernel the lab boots unless told otherwise: the
// newest suite's.
const DefaultKernel = "sid"

// KernelSuite returns the suite and expected series for a -kernel value: a
// suite name (sid, trixie, bookworm) or a series (7.2, 6.12, 6.1).
func KernelSuite(name string) (suite, series string, err error) {
	if name == "" {
		name = DefaultKernel
	}
	var known []string
	for _, s := range KernelSuites {
		if name == s.Suite || name == s.Series {
			return s.Suite, s.Series, nil
		}
		known = append(known, s.Series+" ("+s.Suite+")")
	}
	return "", "", fmt.Errorf("-kernel %q: want one of %s", name, strings.Join(known, ", "))
}

// aptSetup is a private apt configuration for one Debian suite in the
// cache: the system's own source entry with only the suite changed, its
// own lists and archive cache. Nothing system-wide changes and packages are
// only downloaded, never installed.
type aptSetup struct {
	suite string
	dir   string
}

func newAptSetup(cache, suite string) *aptSetup {
	return &aptSetup{suite: suite, dir: filepath.Join(cache, "apt-"+suite)}
}

// opts returns the apt options that point apt at the private setup.
func (a *aptSetup) opts() []string {
	return []string{
		"-o", "Dir::Etc::sourcelist=" + filepath.Join(a.dir, "sources.list"),
		"-o", "Dir::Etc::sourceparts=-",
		"-o", "Dir::State::lists=" + filepath.Join(a.dir, "lists"),
		"-o", "Dir::Cache=" + filepath.Join(a.dir, "cache"),
		// The cache is the user's; apt's unprivileged user may not write there.
		"-o", "APT::Sandbox::User=" + currentUser(),
	}
}

func currentUser() string {
	if os.Geteuid() == 0 {
		return "root"
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "nobody"
}

// listsMaxAge is how old the private lists may get before a refresh: a
// kernel package's ABI name changes and the old one leaves the mirror.
const listsMaxAge = 24 * time.Hour

// update writes the sources entry and refreshes the lists when they are
// missing or stale. A failed refresh with usable lists is only reported.
func (a *aptSetup) update(ctx context.Context, log io.Writer) error {
	for _, d := range []string{"lists/partial", "cache/archives/partial"} {
		if err := os.MkdirAll(filepath.Join(a.dir, d), 0o755); err != nil {
			return err
		}
	}
	uri, err := systemDebianURI()
	if err != nil {
		return err
	}
	src := []byte("deb " + uri + " " + a.suite + " main\n")
	stamp := filepath.Join(a.dir, "lists", ".updated")
	old, _ := os.ReadFile(filepath.Join(a.dir, "sources.list"))
	fresh := false
	if fi, err := os.Stat(stamp); err == nil && time.Since(fi.ModTime()) < listsMaxAge && bytes.Equal(old, src) {
		fresh = true
	}
	if fresh {
		return nil
	}
	if err := os.WriteFile(filepath.Join(a.dir, "sources.list"), src, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "vmlab: apt-get update (%s, private lists)\n", a.suite)
	cmd := exec.CommandContext(ctx, "apt-get", append(a.opts(), "update", "-qq")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		if m, _ := filepath.Glob(filepath.Join(a.dir, "lists", "*Packages*")); len(m) > 0 && bytes.Equal(old, src) {
			fmt.Fprintf(log, "vmlab: apt-get update (%s) failed, using the lists from before: %v\n", a.suite, err)
			return nil
		}
		return fmt.Errorf("apt-get update (%s): %w: %s", a.suite, err, strings.TrimSpace(string(out)))
	}
	return os.WriteFile(stamp, nil, 0o644)
}

// depends returns apt-cache depends output for pkg.
func (a *aptSetup) depends(ctx context.Context, pkg string) ([]byte, error) {
	out, err := exec.CommandContext(ctx, "apt-cache", append(a.opts(), "depends", pkg)...).Output()
	if err != nil {
		return nil, fmt.Errorf("apt-cache depends %s (%s): %w", pkg, a.suite, err)
	}
	return out, nil
}

// systemDebianURI returns the archive URI of the system's first Debian
// source entry that is not the security archive, from /etc/apt, so no host
// name is built in.
func systemDebianURI() (string, error) {
	files, _ := filepath.Glob("/etc/apt/sources.list.d/*.sources")
	for _, f := range files {
		if uri := firstURI(f, func(fields []string) string {
			if len(fields) >= 2 && fields[0] == "URIs:" {
				return fields[1]
			}
			return ""
		}); uri != "" {
			return uri, nil
		}
	}
	lists, _ := filepath.Glob("/etc/apt/sources.list.d/*.list")
	for _, f := range append([]string{"/etc/apt/sources.list"}, lists...) {
		if uri := firstURI(f, func(fields []string) string {
			// deb [options] URI suite components
			if len(fields) < 3 || fields[0] != "deb" {
				return ""
			}
			i := 1
			if strings.HasPrefix(fields[1], "[") {
				for i < len(fields) && !strings.HasSuffix(fields[i], "]") {
					i++
				}
				i++
			}
			if i < len(fields) {
				return fields[i]
			}
			return ""
		}); uri != "" {
			return uri, nil
		}
	}
	return "", errors.New("no Debian source entry in /etc/apt (the lab derives its private apt setup from it)")
}

func firstURI(name string, pick func([]string) string) string {
	f, err := os.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if uri := pick(strings.Fields(sc.Text())); uri != "" && !strings.Contains(uri, "security") {
			return uri
		}
	}
	return ""
}

// kernelPartRE matches the packages a split kernel image package depends
// on (Debian 7.x): the kernel binary, its modules and its base files.
var kernelPartRE = regexp.MustCompile(`^linux-(binary|modules|base)-[0-9]`)

// kernelParts returns the versioned split packages in apt-cache depends
// output of an image package; none for the older one-package layout.
func kernelParts(out []byte) []string {
	var parts []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "Depends:" && kernelPartRE.MatchString(f[1]) {
			parts = append(parts, f[1])
		}
	}
	return parts
}

// resolvedFile records, per suite, the packages the last resolution gave,
// so an offline run finds them in the cache.
const resolvedFile = "resolved"

// resolveSuite returns the kernel packages of a suite: the image package
// linux-image-amd64 depends on, then its split parts if any. With a failing
// network it falls back to the last resolution.
func resolveSuite(ctx context.Context, cache, suite string, log io.Writer) ([]string, error) {
	a := newAptSetup(cache, suite)
	record := filepath.Join(a.dir, resolvedFile)
	pkgs, err := func() ([]string, error) {
		if err := a.update(ctx, log); err != nil {
			return nil, err
		}
		out, err := a.depends(ctx, DefaultKernelMeta)
		if err != nil {
			return nil, err
		}
		img := imageDependency(out)
		if img == "" {
			return nil, fmt.Errorf("%s in %s names no linux-image-<version> package", DefaultKernelMeta, suite)
		}
		out, err = a.depends(ctx, img)
		if err != nil {
			return nil, err
		}
		return append([]string{img}, kernelParts(out)...), nil
	}()
	if err != nil {
		if b, rerr := os.ReadFile(record); rerr == nil {
			fmt.Fprintf(log, "vmlab: %v; using the last resolution\n", err)
			return strings.Fields(string(b)), nil
		}
		return nil, err
	}
	_ = writeFileAtomic(record, []byte(strings.Join(pkgs, "\n")+"\n"), 0o644)
	return pkgs, nil
}

// fetchPackages returns the cached .deb of each package, downloading the
// missing ones with the suite's private apt setup.
func fetchPackages(ctx context.Context, cache, suite string, pkgs []string, log io.Writer) ([]string, error) {
	debDir := filepath.Join(cache, "debs")
	var debs, missing []string
	for _, p := range pkgs {
		if d := newestDeb(debDir, p+"_"); d != "" {
			debs = append(debs, d)
		} else {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return debs, nil
	}
	if err := os.MkdirAll(debDir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(debDir, ".download-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(log, "vmlab: downloading %s (%s, once)\n", strings.Join(missing, " "), suite)
	a := newAptSetup(cache, suite)
	cmd := exec.CommandContext(ctx, "apt-get", append(append(a.opts(), "download", "-qq"), missing...)...)
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("apt-get download %s (%s): %w: %s", strings.Join(missing, " "), suite, err, strings.TrimSpace(string(out)))
	}
	for _, p := range missing {
		got, _ := filepath.Glob(filepath.Join(tmp, p+"_*.deb"))
		if len(got) != 1 {
			return nil, fmt.Errorf("apt-get download %s: expected one .deb, found %d", p, len(got))
		}
		dst := filepath.Join(debDir, filepath.Base(got[0]))
		if err := os.Rename(got[0], dst); err != nil {
			return nil, err
		}
	}
	return fetchPackages(ctx, cache, suite, pkgs, io.Discard)
}
