package lab

import (
	"bufio"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
)

// ModuleIndex maps kernel module names to their file paths (relative to
// /lib/modules/VERSION), their dependencies, soft dependencies and
// aliases, as depmod's modules.dep, modules.softdep and modules.alias do.
type ModuleIndex struct {
	path     map[string]string   // module name -> relative path
	deps     map[string][]string // module name -> names it depends on
	softPre  map[string][]string // module name -> names or aliases to load before it
	softPost map[string][]string // module name -> names or aliases to load after it
	alias    map[string][]string // alias -> module names
	builtin  map[string]bool     // modules built into the kernel image
}

// ModuleLoad is one module of a load order.
type ModuleLoad struct {
	Name string
	// Soft is set for modules needed only through soft dependencies
	// (crc32c for libcrc32c): loading them may fail without harm.
	Soft bool
}

// NewModuleIndex returns an empty index.
func NewModuleIndex() *ModuleIndex {
	return &ModuleIndex{path: map[string]string{}, deps: map[string][]string{},
		softPre: map[string][]string{}, softPost: map[string][]string{},
		alias: map[string][]string{}, builtin: map[string]bool{}}
}

// ModuleName returns the kernel's name for a module file or name: the base
// name without .ko and compression suffixes, with dashes as underscores.
func ModuleName(file string) string {
	base := path.Base(file)
	for _, ext := range []string{".xz", ".zst", ".gz"} {
		base = strings.TrimSuffix(base, ext)
	}
	base = strings.TrimSuffix(base, ".ko")
	return strings.ReplaceAll(base, "-", "_")
}

func moduleNames(list []string) []string {
	out := make([]string, 0, len(list))
	for _, d := range list {
		if d = strings.TrimSpace(d); d != "" {
			out = append(out, ModuleName(d))
		}
	}
	return out
}

// Add records a module file and the names of the modules it depends on.
func (x *ModuleIndex) Add(relPath string, deps []string) {
	name := ModuleName(relPath)
	x.path[name] = relPath
	x.deps[name] = moduleNames(deps)
}

// AddInfo records a module file with what its .modinfo says.
func (x *ModuleIndex) AddInfo(relPath string, info ModInfo) {
	x.Add(relPath, info.Depends)
	name := ModuleName(relPath)
	x.AddSoftdep(name, info.SoftPre, info.SoftPost)
	for _, a := range info.Aliases {
		x.AddAlias(a, name)
	}
}

// AddSoftdep records soft dependencies: modules (or aliases) loaded before
// and after the named module if they can be.
func (x *ModuleIndex) AddSoftdep(name string, pre, post []string) {
	name = ModuleName(name)
	if len(pre) > 0 {
		x.softPre[name] = append(x.softPre[name], moduleNames(pre)...)
	}
	if len(post) > 0 {
		x.softPost[name] = append(x.softPost[name], moduleNames(post)...)
	}
}

// AddAlias records an alias of a module. Wildcard aliases (device and CPU
// matches) are of no use to the harness and are ignored.
func (x *ModuleIndex) AddAlias(alias, name string) {
	if strings.ContainsAny(alias, "*?[:") || alias == "" {
		return
	}
	a, n := ModuleName(alias), ModuleName(name)
	if !slices.Contains(x.alias[a], n) {
		x.alias[a] = append(x.alias[a], n)
	}
}

// AddBuiltin records a module compiled into the kernel image; asking for it
// needs no insmod.
func (x *ModuleIndex) AddBuiltin(relPath string) { x.builtin[ModuleName(relPath)] = true }

// Path returns the relative file path of the named module.
func (x *ModuleIndex) Path(name string) (string, bool) {
	p, ok := x.path[ModuleName(name)]
	return p, ok
}

// Has reports whether the name (or alias) is a module of the kernel,
// loadable or built in.
func (x *ModuleIndex) Has(name string) bool {
	_, ok := x.resolve(ModuleName(name))
	return ok
}

// Len returns the number of loadable modules in the index.
func (x *ModuleIndex) Len() int { return len(x.path) }

// resolve returns the module a name or alias stands for. Among several
// modules with the alias, a _generic one is taken: the optimised variants
// need CPU features an emulated CPU may lack (crc32c_intel needs SSE4.2).
func (x *ModuleIndex) resolve(name string) (string, bool) {
	if _, ok := x.path[name]; ok || x.builtin[name] {
		return name, true
	}
	cands := x.alias[name]
	if len(cands) == 0 {
		return "", false
	}
	for _, c := range cands {
		if strings.HasSuffix(c, "_generic") {
			return c, true
		}
	}
	return slices.Min(cands), true
}

// hardClosure returns the modules the names need through hard dependencies.
func (x *ModuleIndex) hardClosure(names []string) map[string]bool {
	hard := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if hard[n] {
			return
		}
		hard[n] = true
		for _, d := range x.deps[n] {
			walk(d)
		}
	}
	for _, n := range names {
		if r, ok := x.resolve(ModuleName(n)); ok {
			walk(r)
		}
	}
	return hard
}

// Order returns the loadable modules needed for names, each after all of
// its dependencies (and pre soft dependencies), each once. Built-in modules
// are left out; soft dependencies that cannot be found are skipped. Among
// independent modules, the order of names is kept.
func (x *ModuleIndex) Order(names []string) ([]ModuleLoad, error) {
	o := &orderer{x: x, state: map[string]int{}, hard: x.hardClosure(names)}
	for _, n := range names {
		if err := o.visit(ModuleName(n), nil, false); err != nil {
			return nil, err
		}
	}
	return o.out, nil
}

type orderer struct {
	x     *ModuleIndex
	state map[string]int // 1 visiting, 2 done
	hard  map[string]bool
	out   []ModuleLoad
}

func (o *orderer) visit(name string, chain []string, soft bool) error {
	r, ok := o.x.resolve(name)
	switch {
	case !ok && soft:
		return nil
	case !ok && len(chain) > 0:
		return fmt.Errorf("module %s (needed by %s) not found", name, chain[len(chain)-1])
	case !ok:
		return fmt.Errorf("module %s not found", name)
	}
	switch {
	case o.state[r] == 2 || o.x.builtin[r] && o.x.path[r] == "":
		return nil
	case o.state[r] == 1 && soft: // a soft edge closing a loop is dropped
		return nil
	case o.state[r] == 1:
		return fmt.Errorf("module dependency cycle: %s", strings.Join(append(chain, r), " -> "))
	}
	o.state[r] = 1
	next := append(slices.Clip(chain), r)
	for _, d := range o.x.softPre[r] {
		if err := o.visit(d, next, true); err != nil {
			return err
		}
	}
	for _, d := range o.x.deps[r] {
		if err := o.visit(d, next, false); err != nil {
			return err
		}
	}
	o.state[r] = 2
	o.out = append(o.out, ModuleLoad{Name: r, Soft: !o.hard[r]})
	for _, d := range o.x.softPost[r] {
		if err := o.visit(d, next, true); err != nil {
			return err
		}
	}
	return nil
}

// sortedNames returns the indexed modules sorted by path.
func (x *ModuleIndex) sortedNames() []string {
	names := make([]string, 0, len(x.path))
	for n := range x.path {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(x.path[a], x.path[b]) })
	return names
}

// WriteModulesDep writes the index in depmod's modules.dep format: one line
// per module, its path, a colon, and the paths of all modules it needs,
// transitively, the one to load last first (as modprobe reads them).
func (x *ModuleIndex) WriteModulesDep(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, n := range x.sortedNames() {
		closure := (&ModuleIndex{path: x.path, deps: x.deps, builtin: x.builtin})
		order, err := closure.Order([]string{n})
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "%s:", x.path[n])
		for i := len(order) - 2; i >= 0; i-- {
			fmt.Fprintf(bw, " %s", x.path[order[i].Name])
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// WriteModulesSoftdep writes depmod's modules.softdep format:
// "softdep NAME pre: A B post: C".
func (x *ModuleIndex) WriteModulesSoftdep(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, n := range x.sortedNames() {
		pre, post := x.softPre[n], x.softPost[n]
		if len(pre)+len(post) == 0 {
			continue
		}
		fmt.Fprintf(bw, "softdep %s", n)
		if len(pre) > 0 {
			fmt.Fprintf(bw, " pre: %s", strings.Join(pre, " "))
		}
		if len(post) > 0 {
			fmt.Fprintf(bw, " post: %s", strings.Join(post, " "))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// WriteModulesAlias writes depmod's modules.alias format:
// "alias ALIAS NAME", sorted.
func (x *ModuleIndex) WriteModulesAlias(w io.Writer) error {
	aliases := make([]string, 0, len(x.alias))
	for a := range x.alias {
		aliases = append(aliases, a)
	}
	slices.Sort(aliases)
	bw := bufio.NewWriter(w)
	for _, a := range aliases {
		for _, n := range x.alias[a] {
			fmt.Fprintf(bw, "alias %s %s\n", a, n)
		}
	}
	return bw.Flush()
}

// ReadModulesDep parses depmod's modules.dep format. Dependencies may be
// listed transitively or directly; either orders correctly.
func ReadModulesDep(r io.Reader) (*ModuleIndex, error) {
	x := NewModuleIndex()
	err := eachLine(r, "modules.dep", func(text string) error {
		mod, deps, ok := strings.Cut(text, ":")
		if !ok || strings.TrimSpace(mod) == "" {
			return fmt.Errorf("want \"path: deps...\", got %q", text)
		}
		// Listed last-to-load first; reversed they are a load order.
		list := strings.Fields(deps)
		slices.Reverse(list)
		x.Add(strings.TrimSpace(mod), list)
		return nil
	})
	return x, err
}

// ReadModulesSoftdep adds the soft dependencies of a modules.softdep file.
func (x *ModuleIndex) ReadModulesSoftdep(r io.Reader) error {
	return eachLine(r, "modules.softdep", func(text string) error {
		f := strings.Fields(text)
		if len(f) < 2 || f[0] != "softdep" {
			return fmt.Errorf("want \"softdep NAME pre: ... post: ...\", got %q", text)
		}
		pre, post, err := parseSoftdep(strings.Join(f[2:], " "))
		if err != nil {
			return err
		}
		x.AddSoftdep(f[1], pre, post)
		return nil
	})
}

// ReadModulesAlias adds the aliases of a modules.alias file.
func (x *ModuleIndex) ReadModulesAlias(r io.Reader) error {
	return eachLine(r, "modules.alias", func(text string) error {
		f := strings.Fields(text)
		if len(f) != 3 || f[0] != "alias" {
			return fmt.Errorf("want \"alias ALIAS NAME\", got %q", text)
		}
		x.AddAlias(f[1], f[2])
		return nil
	})
}

// ReadModulesBuiltin adds the modules listed in modules.builtin (one path a
// line) to x as built in.
func (x *ModuleIndex) ReadModulesBuiltin(r io.Reader) error {
	return eachLine(r, "modules.builtin", func(text string) error {
		x.AddBuiltin(text)
		return nil
	})
}

// parseSoftdep parses the value of a softdep: "pre: a b post: c".
func parseSoftdep(s string) (pre, post []string, err error) {
	var cur *[]string
	for _, w := range strings.Fields(s) {
		switch w {
		case "pre:":
			cur = &pre
		case "post:":
			cur = &post
		default:
			if cur == nil {
				return nil, nil, fmt.Errorf("softdep %q: %q before pre: or post:", s, w)
			}
			*cur = append(*cur, w)
		}
	}
	return pre, post, nil
}

// eachLine calls fn for each non-empty, non-comment line, naming the file
// and line in errors.
func eachLine(r io.Reader, file string, fn func(string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := fn(text); err != nil {
			return fmt.Errorf("%s:%d: %w", file, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}
