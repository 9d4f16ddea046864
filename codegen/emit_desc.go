package codegen

import "strconv"

// descChunk is how many descriptor bytes go on one line of zdesc.go.
const descChunk = 64

// emitDescriptor writes zdesc.go: the family descriptor (the resolved spec
// as family.Family.Descriptor renders it), so tools can work with the
// family without its spec file.
func (g *gen) emitDescriptor(f *GeneratedFile) {
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
}
