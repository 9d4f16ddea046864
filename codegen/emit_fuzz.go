package codegen

import (
	"strconv"

	"github.com/ynlgo/ynl/family"
)

// emitFuzzTest writes zfuzz_test.go: FuzzDecode over the package's
// decoders (each attribute set, each packed struct, DecodeNotification),
// run by genltest.FuzzDecoders: whatever the bytes, a decoder returns a
// value or an error, and a value encodes and decodes again to an equal one.
func (g *gen) emitFuzzTest(f *GeneratedFile) {
	gt := func(name string) GoIdent { return GoIdent{genltestPath, name} }
	f.P("// FuzzDecode feeds arbitrary bytes to the package's decoders: each must")
	f.P("// return a value or an error, never panic, and a value it returns must")
	f.P("// encode and decode again to an equal value.")
	f.P("func FuzzDecode(f *", GoIdent{"testing", "F"}, ") {")
	f.P(gt("FuzzDecoders"), "(f, []", gt("Decoder"), "{")
	for _, gs := range g.setList {
		f.P(gt("AttrsDecoder"), "[", gs.Name, "](", strconv.Quote(gs.s.Name), ", len(", gs.names, ")),")
	}
	for _, d := range g.f.Definitions {
		if d.Kind == family.DefStruct {
			f.P(gt("StructDecoder"), "[", g.defs[d].Name, "](", strconv.Quote(d.Name), "),")
		}
	}
	if ntfs := g.fuzzNotifications(); len(ntfs) > 0 {
		f.P(gt("NotificationDecoder"), "(DecodeNotification, func(n Notification) any { return n.Msg }, []", gt("NotificationHeader"), "{")
		for _, o := range ntfs {
			_, hdrLen := g.opHeader(o, "")
			f.P("{Cmd: uint8(", g.ntfID(o), "), HdrLen: ", hdrLen, "},")
		}
		f.P("}),")
	}
	f.P("})")
	f.P("}")
}

// fuzzNotifications returns the ops DecodeNotification decodes, none when
// the package has no DecodeNotification.
func (g *gen) fuzzNotifications() []*goOp {
	if !g.f.Protocol.IsGenetlink() || len(g.notifications()) == 0 && len(g.f.MulticastGroups) == 0 {
		return nil
	}
	return g.notifications()
}
