package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ynlgo/ynl/internal/vmlab/lab"
)

// errHelp reports that -h was asked for and usage was printed.
var errHelp = flag.ErrHelp

// moduleList is the -modules flag: comma-separated module specs, repeatable;
// the first use replaces the default list.
type moduleList struct {
	mods []lab.ModuleSpec
	set  bool
}

func (m *moduleList) String() string {
	var s []string
	for _, x := range m.mods {
		s = append(s, strings.Join(append([]string{x.Name}, x.Params...), " "))
	}
	return strings.Join(s, ",")
}

func (m *moduleList) Set(v string) error {
	if !m.set {
		m.mods, m.set = nil, true
	}
	for _, part := range strings.Split(v, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		spec, err := lab.ParseModuleSpec(part)
		if err != nil {
			return err
		}
		m.mods = append(m.mods, spec)
	}
	return nil
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag struct{ list []string }

func (l *listFlag) String() string { return strings.Join(l.list, ",") }

func (l *listFlag) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			l.list = append(l.list, p)
		}
	}
	return nil
}

// fileMap is the -file flag: guest-path=host-path, repeatable.
type fileMap struct{ m map[string]string }

func (f *fileMap) String() string {
	var s []string
	for g, h := range f.m {
		s = append(s, g+"="+h)
	}
	return strings.Join(s, ",")
}

func (f *fileMap) Set(v string) error {
	g, h, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(g) == "" || strings.TrimSpace(h) == "" {
		return fmt.Errorf("want guest-path=host-path, got %q", v)
	}
	if _, err := os.Stat(h); err != nil {
		return err
	}
	f.m[strings.TrimPrefix(g, "/")] = h
	return nil
}

// parseArgs turns the command line into a lab configuration. Arguments
// after "--" go to the test binaries unchanged.
func parseArgs(args []string, specPath string) (lab.Config, []string, error) {
	cfg, err := parseArgsTo(args, specPath, os.Stderr)
	return cfg, strings.Split(cfg.Kernel.Kernel, ","), err
}

func parseArgsTo(args []string, specPath string, usageOut io.Writer) (lab.Config, error) {
	var cfg lab.Config
	fs := flag.NewFlagSet("vmlab", flag.ContinueOnError)
	fs.SetOutput(usageOut)
	mods := &moduleList{}
	fs.Var(mods, "modules", "modules to load, comma-separated, each \"name key=value...\"; repeatable (default: what the packages need)")
	fs.StringVar(&cfg.Kernel.Kernel, "kernel", lab.DefaultKernel, "Debian kernel: a suite (sid, trixie, bookworm) or its series (7.2, 6.12, 6.1); a comma-separated list runs on each")
	fs.StringVar(&cfg.Kernel.Package, "kernel-pkg", "", "Debian kernel image package in that suite (default: resolved from "+lab.DefaultKernelMeta+")")
	debs := &listFlag{}
	fs.Var(debs, "kernel-deb", "local kernel .deb to use instead of downloading; repeatable (an image package and its split parts)")
	fs.StringVar(&cfg.Kernel.CacheDir, "cache", "", "kernel cache folder (default: ynl-vmlab in the user cache folder)")
	fs.DurationVar(&cfg.Timeout, "timeout", 5*time.Minute, "limit for boot and tests; qemu is killed after it")
	fs.IntVar(&cfg.MemoryMB, "memory", 0, "guest memory in MiB (default: twice the initramfs plus 512 MiB, at least 1024)")
	fs.StringVar(&cfg.Tags, "tags", "", "build tags for the test binaries")
	run := fs.String("run", "", "run only tests matching this regexp (-test.run)")
	fs.StringVar(&cfg.Busybox, "busybox", "", "static busybox (default: busybox on PATH)")
	fs.StringVar(&cfg.Qemu, "qemu", "", "qemu binary (default qemu-system-x86_64)")
	fs.StringVar(&cfg.Accel, "accel", "tcg", "qemu accelerator")
	fs.BoolVar(&cfg.Gzip, "gzip", false, "gzip the initramfs")
	fs.BoolVar(&cfg.BzImage, "bzimage", false, "boot the compressed kernel instead of the uncompressed one (PVH)")
	files := &fileMap{m: map[string]string{}}
	fs.Var(files, "file", "copy a host file into the guest, as guest-path=host-path; repeatable")
	noRegdb := fs.Bool("no-regdb", false, "leave the host's regulatory.db out of the guest")
	noSpecs := fs.Bool("no-specs", false, "leave the YNL_SPEC_PATH spec files out of the guest")
	fs.Usage = func() {
		fmt.Fprintln(usageOut, "usage: vmlab [flags] packages... [-- test binary flags]")
		fs.PrintDefaults()
	}
	// Split at "--" first: flag.Parse would drop it if no package preceded.
	for i, a := range args {
		if a == "--" {
			cfg.TestArgs = append(cfg.TestArgs, args[i+1:]...)
			args = args[:i]
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return cfg, errors.New("no packages given (for example ./families/nl80211/...)")
	}
	if cfg.MemoryMB != 0 && cfg.MemoryMB < 128 {
		return cfg, fmt.Errorf("-memory %d: at least 128 MiB are needed", cfg.MemoryMB)
	}
	if cfg.Timeout < 0 {
		return cfg, fmt.Errorf("-timeout %v: must not be negative", cfg.Timeout)
	}
	if mods.set && len(mods.mods) == 0 {
		return cfg, errors.New("-modules: empty list")
	}
	for _, k := range strings.Split(cfg.Kernel.Kernel, ",") {
		if _, _, err := lab.KernelSuite(k); err != nil {
			return cfg, err
		}
	}
	cfg.Kernel.Debs = debs.list
	cfg.Patterns, cfg.Modules = rest, mods.mods
	if *run != "" {
		cfg.TestArgs = append([]string{"-test.run", *run}, cfg.TestArgs...)
	}
	cfg.Files = files.m
	if !*noRegdb {
		for g, h := range lab.DefaultFirmware() {
			if _, set := cfg.Files[g]; !set {
				cfg.Files[g] = h
			}
		}
	}
	if !*noSpecs {
		cfg.Specs = lab.SpecFiles(specPath)
	}
	return cfg, nil
}
