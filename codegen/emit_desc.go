package codegen

import (
	"fmt"
	"strconv"
)

// DescPackage is the name of the package holding the descriptor of
// package pkg, and its folder under pkg's: pkg + "desc". A program that
// needs only the descriptor (a command line loading built-in specs)
// imports it and links none of the family's code, tables or init.
func DescPackage(pkg string) string { return pkg + "desc" }

// descChunk is how many descriptor bytes go on one line of zdesc.go.
const descChunk = 64

// emitDescriptor writes zdesc.go: the family descriptor (the resolved spec
// as family.Family.Descriptor renders it), so tools can work with the
// family without its spec file.
func (g *gen) emitDescriptor(f *GeneratedFile) {
	if f.pkg != g.opts.Package {
		f.SetPackageDoc(fmt.Sprintf("// Package %s holds the descriptor of the %s family, which package %s\n"+
			"// returns too: what a program that needs only the descriptor imports.\n", f.pkg, g.f.Name, g.opts.Package))
	}
	f.P("// Descriptor returns the family descriptor: the resolved spec, as")
	f.P("// family.Family.Descriptor renders it, for tools that work with the")
	f.P("// family without its spec file. The caller owns the returned bytes.")
	f.P("func Descriptor() []byte {")
	f.P("b := make([]byte, 0, ", len(g.desc), ")")
	f.P("for _, s := range descriptor {")
	f.P("b = append(b, s...)")
	f.P("}")
	f.P("return b")
	f.P("}")
	f.P()
	f.P("// descriptor holds the descriptor in lines, as a list rather than one")
	f.P("// long concatenation, which is slow to format and compile.")
	f.P("var descriptor = [...]string{")
	d := g.desc
	for len(d) > 0 {
		n := min(len(d), descChunk)
		f.P(strconv.Quote(string(d[:n])), ",")
		d = d[n:]
	}
	f.P("}")
	f.P()
	if f.pkg == g.opts.Package || g.compact == nil {
		return
	}
	f.P("// Compact returns the descriptor in the compact form that")
	f.P("// family.ParseCompact decodes, for a program that embeds many families")
	f.P("// and loads one: it decodes in a few allocations, with no parsing, and")
	f.P("// the model it gives equals family.Parse's of Descriptor.")
	f.P("func Compact() string { return compact }")
	f.P()
	f.P("// compact is one string constant, kept in the binary's read-only data")
	f.P("// and never copied.")
	f.P("const compact = ", strconv.QuoteToASCII(string(g.compact)))
}

// emitDescriptorStub writes zdesc.go where the descriptor lives in its own
// package (DescPackage): Descriptor returns that package's.
func (g *gen) emitDescriptorStub(f *GeneratedFile) {
	dp := DescPackage(g.opts.Package)
	f.P("// Descriptor returns the family descriptor: the resolved spec, as")
	f.P("// family.Family.Descriptor renders it, for tools that work with the")
	f.P("// family without its spec file. The caller owns the returned bytes.")
	f.P("// Package ", dp, " holds it, for programs that need nothing else.")
	f.P("func Descriptor() []byte { return ", f.Q(GoIdent{g.opts.ImportPath + "/" + dp, "Descriptor"}), "() }")
	f.P()
}
