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
	f.P("func Descriptor() []byte { return []byte(descriptor) }")
	f.P()
	f.P("const descriptor = \"\" +")
	d := g.desc
	for len(d) > 0 {
		n := min(len(d), descChunk)
		sep := " +"
		if n == len(d) {
			sep = ""
		}
		f.P(strconv.Quote(string(d[:n])), sep)
		d = d[n:]
	}
	f.P()
}
