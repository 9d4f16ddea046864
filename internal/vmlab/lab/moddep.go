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
// /lib/modules/VERSION) and their dependencies, as in depmod's modules.dep.
type ModuleIndex struct {
	path    map[string]string   // module name -> relative path
	deps    map[string][]string // module name -> names it depends on
	builtin map[string]bool     // modules built into the kernel image
}

// NewModuleIndex returns an empty index.
func NewModuleIndex() *ModuleIndex {
	return &ModuleIndex{path: map[string]string{}, deps: map[string][]string{}, builtin: map[string]bool{}}
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

// Add records a module file and the names of the modules it depends on.
func (x *ModuleIndex) Add(relPath string, deps []string) {
	name := ModuleName(relPath)
	x.path[name] = relPath
	norm := make([]string, 0, len(deps))
	for _, d := range deps {
		if d = strings.TrimSpace(d); d != "" {
			norm = append(norm, ModuleName(d))
		}
	}
	x.deps[name] = norm
}

// AddBuiltin records a module compiled into the kernel image; asking for it
// needs no insmod.
func (x *ModuleIndex) AddBuiltin(relPath string) { x.builtin[ModuleName(relPath)] = true }

// Path returns the relative file path of the named module.
func (x *ModuleIndex) Path(name string) (string, bool) {
	p, ok := x.path[ModuleName(name)]
	return p, ok
}

// Len returns the number of loadable modules in the index.
func (x *ModuleIndex) Len() int { return len(x.path) }

// Order returns the loadable modules needed for names, each after all of
// its dependencies, each once. Built-in modules are left out. Among
// independent modules, the order of names is kept.
func (x *ModuleIndex) Order(names []string) ([]string, error) {
	var out []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(name string, chain []string) error
	visit = func(name string, chain []string) error {
		switch state[name] {
		case 2:
			return nil
		case 1:
			return fmt.Errorf("module dependency cycle: %s", strings.Join(append(chain, name), " -> "))
		}
		if _, ok := x.path[name]; !ok {
			if x.builtin[name] {
				state[name] = 2
				return nil
			}
			if len(chain) > 0 {
				return fmt.Errorf("module %s (needed by %s) not found", name, chain[len(chain)-1])
			}
			return fmt.Errorf("module %s not found", name)
		}
		state[name] = 1
		for _, d := range x.deps[name] {
			if err := visit(d, append(chain, name)); err != nil {
				return err
			}
		}
		state[name] = 2
		out = append(out, name)
		return nil
	}
	for _, n := range names {
		if err := visit(ModuleName(n), nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WriteModulesDep writes the index in depmod's modules.dep format: one line
// per module, its path, a colon, and the paths of all modules it needs,
// transitively, the one to load last first (as modprobe reads them).
func (x *ModuleIndex) WriteModulesDep(w io.Writer) error {
	names := make([]string, 0, len(x.path))
	for n := range x.path {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return strings.Compare(x.path[a], x.path[b]) })
	bw := bufio.NewWriter(w)
	for _, n := range names {
		order, err := x.Order([]string{n})
		if err != nil {
			return err
		}
		fmt.Fprintf(bw, "%s:", x.path[n])
		for i := len(order) - 2; i >= 0; i-- {
			fmt.Fprintf(bw, " %s", x.path[order[i]])
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// ReadModulesDep parses depmod's modules.dep format. Dependencies may be
// listed transitively or directly; either orders correctly.
func ReadModulesDep(r io.Reader) (*ModuleIndex, error) {
	x := NewModuleIndex()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		mod, deps, ok := strings.Cut(text, ":")
		if !ok || strings.TrimSpace(mod) == "" {
			return nil, fmt.Errorf("modules.dep:%d: want \"path: deps...\", got %q", line, text)
		}
		// Listed last-to-load first; reversed they are a load order.
		list := strings.Fields(deps)
		slices.Reverse(list)
		x.Add(strings.TrimSpace(mod), list)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("modules.dep: %w", err)
	}
	return x, nil
}

// ReadModulesBuiltin adds the modules listed in modules.builtin (one path a
// line) to x as built in.
func (x *ModuleIndex) ReadModulesBuiltin(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if p := strings.TrimSpace(sc.Text()); p != "" {
			x.AddBuiltin(p)
		}
	}
	return sc.Err()
}
