package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"path"
	"sort"
	"strconv"
	"strings"
)

// GoIdent is a Go identifier qualified by the import path of its package.
// An empty ImportPath names an identifier of the generated package itself.
type GoIdent struct {
	ImportPath string
	Name       string
}

// GeneratedFile is one Go source file being generated. Emitters print lines
// with P; a GoIdent argument is printed qualified and adds its import with a
// unique alias, so emitters never write import blocks by hand.
type GeneratedFile struct {
	name    string
	pkg     string
	header  []string
	doc     string
	buf     bytes.Buffer
	imports map[string]string // import path -> alias
	aliases map[string]bool
}

// NewGeneratedFile returns an empty file named name in package pkg. header
// lines are printed, as comments, before the package clause.
func NewGeneratedFile(name, pkg string, header ...string) *GeneratedFile {
	return &GeneratedFile{
		name:    name,
		pkg:     pkg,
		header:  header,
		imports: map[string]string{},
		aliases: map[string]bool{},
	}
}

// Name returns the file's name.
func (g *GeneratedFile) Name() string { return g.name }

// P prints one line made of its arguments. Strings print verbatim, GoIdents
// print qualified (adding their import), anything else through fmt.Sprint.
func (g *GeneratedFile) P(args ...any) {
	for _, a := range args {
		switch v := a.(type) {
		case string:
			g.buf.WriteString(v)
		case GoIdent:
			g.buf.WriteString(g.Q(v))
		default:
			fmt.Fprint(&g.buf, v)
		}
	}
	g.buf.WriteByte('\n')
}

// PSource prints src, Go source that names the packages of importPaths by
// their last path element, and registers those imports. (Were an alias
// to differ, the package's uses in src are renamed to it.)
func (g *GeneratedFile) PSource(src string, importPaths ...string) {
	for _, p := range importPaths {
		if a := g.Import(p); a != path.Base(p) {
			src = strings.ReplaceAll(src, path.Base(p)+".", a+".")
		}
	}
	g.buf.WriteString(src)
	g.buf.WriteByte('\n')
}

// Q returns id as it must be spelt in this file, registering its import.
func (g *GeneratedFile) Q(id GoIdent) string {
	if id.ImportPath == "" {
		return id.Name
	}
	return g.Import(id.ImportPath) + "." + id.Name
}

// Import registers an import of importPath and returns its alias: the last
// path element, made unique with a number when two imports share it.
func (g *GeneratedFile) Import(importPath string) string {
	if a, ok := g.imports[importPath]; ok {
		return a
	}
	base := path.Base(importPath)
	alias := base
	for i := 2; g.aliases[alias]; i++ {
		alias = base + strconv.Itoa(i)
	}
	g.aliases[alias] = true
	g.imports[importPath] = alias
	return alias
}

// Content returns the formatted source. When the generated code does not
// parse, the error carries the source with line numbers so the emitter bug
// can be found.
func (g *GeneratedFile) Content() ([]byte, error) {
	var b bytes.Buffer
	for _, h := range g.header {
		b.WriteString("// " + h + "\n")
	}
	if len(g.header) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(g.doc)
	b.WriteString("package " + g.pkg + "\n\n")
	g.writeImports(&b)
	b.Write(g.buf.Bytes())
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", g.name, err, numbered(b.Bytes()))
	}
	return out, nil
}

// SetPackageDoc sets the package doc comment, printed (already in comment
// form) right above the package clause.
func (g *GeneratedFile) SetPackageDoc(comment string) { g.doc = comment }

func (g *GeneratedFile) writeImports(b *bytes.Buffer) {
	if len(g.imports) == 0 {
		return
	}
	paths := make([]string, 0, len(g.imports))
	for p := range g.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	// As goimports groups them: the standard library, then the rest.
	var std, other []string
	for _, p := range paths {
		if isStdlib(p) {
			std = append(std, p)
		} else {
			other = append(other, p)
		}
	}
	b.WriteString("import (\n")
	for i, group := range [][]string{std, other} {
		if i > 0 && len(std) > 0 && len(other) > 0 {
			b.WriteString("\n")
		}
		for _, p := range group {
			if a := g.imports[p]; a != path.Base(p) {
				b.WriteString(a + " ")
			}
			b.WriteString(strconv.Quote(p) + "\n")
		}
	}
	b.WriteString(")\n\n")
}

// isStdlib reports whether importPath is of the standard library: its
// first element has no dot, as module paths outside it do.
func isStdlib(importPath string) bool {
	first, _, _ := strings.Cut(importPath, "/")
	return !strings.Contains(first, ".")
}

// numbered prefixes every line of src with its line number.
func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, line)
	}
	return b.String()
}
