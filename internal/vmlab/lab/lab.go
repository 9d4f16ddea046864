package lab

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// ModuleSpec is a module requested by the user, with its parameters.
type ModuleSpec struct {
	Name   string
	Params []string // "key=value"
	// Optional modules are left out, with a note, when the kernel lacks
	// them (ovpn before 6.16): the tests that need them skip.
	Optional bool
}

// ParseModuleSpec parses "name key=value ...", as on an insmod line.
func ParseModuleSpec(s string) (ModuleSpec, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ModuleSpec{}, fmt.Errorf("empty module")
	}
	if strings.ContainsAny(f[0], "=/") {
		return ModuleSpec{}, fmt.Errorf("module %q: want a module name first, then key=value parameters", s)
	}
	for _, p := range f[1:] {
		if k, _, ok := strings.Cut(p, "="); !ok || k == "" {
			return ModuleSpec{}, fmt.Errorf("module %s: parameter %q is not key=value", f[0], p)
		}
	}
	m := ModuleSpec{Name: ModuleName(f[0])}
	if len(f) > 1 {
		m.Params = f[1:]
	}
	return m, nil
}

// DefaultModules returns the wireless set: cfg80211 and mac80211 with two
// simulated radios. Their other dependencies are found by the index.
func DefaultModules() []ModuleSpec {
	return []ModuleSpec{
		{Name: "cfg80211"},
		{Name: "mac80211"},
		{Name: "mac80211_hwsim", Params: []string{"radios=2"}},
	}
}

// packageModules lists the modules the live tests of a package need, by the
// package's last import path element. netdev, mptcp_pm, tcp_metrics and
// ethtool are built in; their tests make veth pairs, and netdev's and
// ethtool's also netdevsim devices.
var packageModules = map[string][]string{
	"nl80211":     {"cfg80211", "mac80211", "mac80211_hwsim radios=2"},
	"wireguard":   {"wireguard"},
	"team":        {"team", "team_mode_roundrobin", "team_mode_activebackup", "team_mode_loadbalance", "team_mode_broadcast", "team_mode_random", "veth"},
	"ovsdatapath": {"openvswitch"},
	"ovsvport":    {"openvswitch", "vport_vxlan", "vport_geneve", "veth"},
	"ovsflow":     {"openvswitch", "psample"},
	"ovspacket":   {"openvswitch", "psample"},
	"fou":         {"fou"}, // not fou6: its ip6_tunnel adds ip6tnl0 to every namespace
	"ovpn":        {"ovpn", "gcm", "ctr", "chacha20poly1305"},
	"nfsd":        {"nfsd"},
	"lockd":       {"lockd"},
	"sunrpccache": {"nfsd"},                        // sunrpc, and an NFS server for the upcall
	"binder":      {"binder_linux devices=binder"}, // Debian has no binderfs: the driver registers /dev/binder
	"nftables":    {"nf_tables"},
	"conntrack":   {"nf_conntrack_netlink"},
	"tc":          {"sch_tbf", "sch_htb", "cls_u32", "sch_ingress", "veth"},
	"rtlink":      {"veth", "bridge"},
	"mptcppm":     {"veth"},
	"tcpmetrics":  {"veth"},
	"netdev":      {"veth", "netdevsim"}, // netdevsim: queues, NAPI, page pools
	"ethtool":     {"veth", "netdevsim"}, // netdevsim: the set operations
	// netdevsim is built out of tree for the kernel (BuildNetdevsim).
	"devlink":   {"netdevsim"},
	"netshaper": {"netdevsim"},
}

// driftModules is every family's modules but netdevsim, for
// internal/drift, which compares all families with the kernel (devlink and
// net-shaper are built in: they answer without a device).
func driftModules() []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(packageModules)) {
		for _, m := range packageModules[k] {
			if m != "netdevsim" {
				out = append(out, m)
			}
		}
	}
	return out
}

// ModulesFor returns the modules the live tests of the given packages
// need, each once, all optional.
func ModulesFor(importPaths []string) []ModuleSpec {
	var out []ModuleSpec
	seen := map[string]bool{}
	for _, p := range importPaths {
		mods := packageModules[path.Base(p)]
		if path.Base(p) == "drift" {
			mods = driftModules()
		}
		for _, m := range mods {
			spec, err := ParseModuleSpec(m)
			if err != nil {
				panic(err) // the table above is wrong
			}
			if seen[spec.Name] {
				continue
			}
			seen[spec.Name] = true
			spec.Optional = true
			out = append(out, spec)
		}
	}
	return out
}

// Config is one lab run.
type Config struct {
	Patterns []string     // packages whose tests run in the guest
	Tags     string       // build tags for the test binaries
	Dir      string       // folder to run go in; "" is the current one
	TestArgs []string     // extra test binary flags, after -test.v
	Modules  []ModuleSpec // modules to load, dependencies added; nil is ModulesFor the packages
	Kernel   KernelOptions
	Busybox  string            // static busybox; "" looks up busybox on PATH
	Qemu     string            // "" is qemu-system-x86_64
	Accel    string            // "" is tcg
	MemoryMB int               // 0 is GuestMemoryMB of the initramfs
	Timeout  time.Duration     // for boot and tests; 0 is none
	Files    map[string]string // extra files: guest path -> host path
	Specs    []string          // spec files to make available in the guest
	Tools    []string          // host programs to copy in (with their libraries); nil is DefaultTools
	Gzip     bool              // gzip the initramfs
	BzImage  bool              // boot the compressed kernel even if a PVH boot is possible
	Out      io.Writer         // guest console and progress; nil is os.Stdout
}

// DefaultCacheDir returns where kernels are cached: ynl-vmlab under the
// user's cache folder ($XDG_CACHE_HOME or ~/.cache).
func DefaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "ynl-vmlab"), nil
}

// DefaultFirmware returns the regulatory database files of the host's
// wireless-regdb package, if installed, so guests may set a country.
func DefaultFirmware() map[string]string {
	fw := map[string]string{}
	for _, f := range []string{"regulatory.db", "regulatory.db.p7s"} {
		if host := filepath.Join("/lib/firmware", f); fileExists(host) {
			fw["lib/firmware/"+f] = host
		}
	}
	return fw
}

// DefaultSpecPath is where the kernel specs are looked for when
// YNL_SPEC_PATH is unset.
const DefaultSpecPath = "/usr/share/ynl/specs"

// SpecFiles returns the *.yaml files in the folders of a colon-separated
// spec path (YNL_SPEC_PATH's format); "" means DefaultSpecPath.
func SpecFiles(specPath string) []string {
	if specPath == "" {
		specPath = DefaultSpecPath
	}
	var out []string
	for _, dir := range filepath.SplitList(specPath) {
		if dir == "" {
			continue
		}
		m, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		out = append(out, m...)
	}
	return out
}

// Run builds the tests, prepares the kernel and initramfs, boots the guest
// and runs the tests there. When no package has tests it returns an error
// matching ErrNoTests without booting. A nil error with a non-zero ExitCode means
// tests failed; harness failures are StepErrors.
func Run(ctx context.Context, cfg Config) (*VMResult, error) {
	res, err := RunKernels(ctx, cfg, []string{cfg.Kernel.Kernel})
	if len(res) == 0 {
		return nil, err
	}
	return res[0], err
}

// RunKernels builds the tests once and runs them on each kernel in turn
// (-kernel values: suites or series), one guest at a time. It stops at the
// first harness failure; failing tests go on to the next kernel.
func RunKernels(ctx context.Context, cfg Config, kernels []string) ([]*VMResult, error) {
	out := cfg.Out
	if out == nil {
		out = os.Stdout
	}
	work, err := os.MkdirTemp("", "ynl-vmlab-")
	if err != nil {
		return nil, stepErr(StepInitramfs, err)
	}
	defer os.RemoveAll(work)

	start := time.Now()
	tests, err := BuildTests(ctx, BuildOptions{Patterns: cfg.Patterns, Tags: cfg.Tags, Dir: cfg.Dir, OutDir: work, Log: out})
	if errors.Is(err, ErrNoTests) {
		return nil, err // not a failure, as with go test
	}
	if err != nil {
		return nil, stepErr(StepInitramfs, err)
	}
	fmt.Fprintf(out, "vmlab: %d test binaries built in %.1fs\n", len(tests), time.Since(start).Seconds())
	if cfg.Modules == nil {
		var paths []string
		for _, t := range tests {
			paths = append(paths, t.ImportPath)
		}
		cfg.Modules = ModulesFor(paths)
	}
	var results []*VMResult
	for _, kname := range kernels {
		kcfg := cfg
		kcfg.Kernel.Kernel = kname
		res, err := runOn(ctx, kcfg, tests, work, out)
		if res != nil {
			results = append(results, res)
		}
		if err != nil {
			return results, err
		}
	}
	return results, nil
}

// runOn runs built tests on one kernel.
func runOn(ctx context.Context, cfg Config, tests []TestBinary, work string, out io.Writer) (*VMResult, error) {
	start := time.Now()
	k, mods, env, err := prepareModules(ctx, cfg, out)
	if err != nil {
		return nil, err
	}
	nonce := newNonce()
	initrd := filepath.Join(work, "initramfs.cpio")
	if err := writeImage(initrd, cfg, mods, env, tests, nonce, out); err != nil {
		return nil, stepErr(StepInitramfs, err)
	}
	st, err := os.Stat(initrd)
	if err != nil {
		return nil, stepErr(StepInitramfs, err)
	}
	mem := cfg.MemoryMB
	if mem == 0 {
		mem = GuestMemoryMB(st.Size())
	}
	fmt.Fprintf(out, "vmlab: %s (%d MiB) ready in %.1fs, booting %s with %d MiB\n", filepath.Base(initrd), st.Size()>>20, time.Since(start).Seconds(), k.Package, mem)

	vmCtx := ctx
	if cfg.Timeout > 0 {
		var cancel context.CancelFunc
		vmCtx, cancel = context.WithTimeout(ctx, cfg.Timeout)
		defer cancel()
	}
	res, err := RunVM(vmCtx, VMOptions{Qemu: cfg.Qemu, Accel: cfg.Accel, MemoryMB: mem,
		Kernel: k.BootImage(cfg.BzImage), Initrd: initrd, Nonce: nonce, Out: out})
	if res != nil {
		res.Kernel = k.Release
	}
	return res, err
}

// GuestMemoryMB is the guest memory the lab gives an initramfs of size
// bytes when none is asked for: the kernel holds the archive and the
// files it unpacks from it (the guest's root is in memory) at once, and the
// tests need room of their own (netdevsim's devices, the NFS server, the
// Go test binaries' heaps).
func GuestMemoryMB(size int64) int {
	return max(1024, int(2*size>>20)+512)
}

// prepareModules fetches the kernel and the files of the requested modules
// and their dependencies, in load order, building netdevsim if asked for.
// env is for the guest: why a wanted netdevsim is missing.
func prepareModules(ctx context.Context, cfg Config, out io.Writer) (*Kernel, []HostModule, []string, error) {
	kopt := cfg.Kernel
	if kopt.CacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return nil, nil, nil, stepErr(StepDownload, fmt.Errorf("no cache folder: %w", err))
		}
		kopt.CacheDir = d
	}
	if kopt.Log == nil {
		kopt.Log = out
	}
	k, err := PrepareKernel(ctx, kopt)
	if err != nil {
		return nil, nil, nil, stepErr(StepDownload, err)
	}
	built, env, err := buildExtraModules(ctx, cfg, kopt.CacheDir, k, out)
	if err != nil {
		return nil, nil, nil, err
	}
	params := map[string][]string{}
	var names []string
	var absent []string
	for _, m := range cfg.Modules {
		if _, wanted := built[ModuleName(m.Name)]; wanted && built[ModuleName(m.Name)] == "" {
			continue // could not be built; said so above
		}
		if m.Optional && !k.Modules.Has(m.Name) {
			absent = append(absent, m.Name)
			continue
		}
		names = append(names, m.Name)
		params[ModuleName(m.Name)] = append(params[ModuleName(m.Name)], m.Params...)
	}
	if len(absent) > 0 {
		fmt.Fprintf(out, "vmlab: %s has no %s; the tests needing them skip\n", k.Package, strings.Join(absent, ", "))
	}
	order, err := k.Modules.Order(names)
	if err != nil {
		return nil, nil, nil, stepErr(StepModuleLoad, fmt.Errorf("%s: %w", k.Package, err))
	}
	names = names[:0]
	for _, m := range order {
		names = append(names, m.Name)
	}
	var fromPackage []string
	for _, n := range names {
		if built[n] == "" {
			fromPackage = append(fromPackage, n)
		}
	}
	if err := k.ExtractModules(ctx, fromPackage); err != nil {
		return nil, nil, nil, stepErr(StepDownload, err)
	}
	mods := make([]HostModule, 0, len(order))
	for _, m := range order {
		file := k.ModuleFile(m.Name)
		if f := built[m.Name]; f != "" {
			file = f
		}
		mods = append(mods, HostModule{Name: m.Name, File: file, Params: params[m.Name], Soft: m.Soft})
	}
	return k, mods, env, nil
}

// writeImage writes the initramfs file.
func writeImage(name string, cfg Config, mods []HostModule, env []string, tests []TestBinary, nonce string, log io.Writer) error {
	bb := cfg.Busybox
	if bb == "" {
		bb = "busybox"
	}
	bb, err := lookPath(bb)
	if err != nil {
		return fmt.Errorf("%w (install busybox-static)", err)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	tools := cfg.Tools
	if tools == nil {
		tools = DefaultTools
	}
	progs, missing, err := FindTools(context.Background(), tools)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		fmt.Fprintf(log, "vmlab: not on this host, so not in the guest: %s (tests needing them skip)\n", strings.Join(missing, " "))
	}
	spec := ImageSpec{Busybox: bb, Modules: mods, Tests: tests, TestArgs: cfg.TestArgs,
		Files: cfg.Files, Specs: cfg.Specs, Programs: progs, Nonce: nonce, Gzip: cfg.Gzip, Env: env}
	if err := WriteInitramfs(f, spec, log); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// buildExtraModules builds the requested modules Debian does not ship
// (netdevsim) and adds them to the kernel's module index. The result maps
// each one asked for to its file, "" when it could not be built; an
// optional one that fails is reported and its reason passed to the guest
// in env, a required one fails the run.
func buildExtraModules(ctx context.Context, cfg Config, cache string, k *Kernel, out io.Writer) (map[string]string, []string, error) {
	built := map[string]string{}
	var env []string
	for _, m := range cfg.Modules {
		name := ModuleName(m.Name)
		if name != NetdevsimModule || k.Modules.Has(name) {
			continue
		}
		if _, done := built[name]; done {
			continue
		}
		suite, _, err := KernelSuite(cfg.Kernel.Kernel)
		if err != nil {
			return nil, nil, stepErr(StepModuleBuild, err)
		}
		dir := cfg.Dir
		if dir == "" {
			dir = "."
		}
		file, err := BuildNetdevsim(ctx, k, cache, dir, suite, out)
		if err == nil {
			var data []byte
			if data, err = os.ReadFile(file); err == nil {
				var info ModInfo
				if info, err = ParseModInfo(data); err == nil {
					k.Modules.AddInfo("kernel/drivers/net/netdevsim/netdevsim.ko", info)
				}
			}
		}
		if err != nil {
			if !m.Optional || ctx.Err() != nil {
				return nil, nil, stepErr(StepModuleBuild, fmt.Errorf("%s: %w", k.Release, err))
			}
			reason := fmt.Sprintf("%s: %v", k.Release, err)
			fmt.Fprintf(out, "vmlab: %s; the tests needing netdevsim skip\n", reason)
			first, _, _ := strings.Cut(reason, "\n")
			env = append(env, NetdevsimSkipEnv+"="+first)
			built[name] = ""
			continue
		}
		built[name] = file
	}
	return built, env, nil
}
