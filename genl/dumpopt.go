package genl

// A DumpOption changes how a generated dump hands out the values it
// decodes. Generated dump methods take them last: c.LinkinfoGetDump(ctx,
// req, genl.ReuseValues).
type DumpOption uint8

// ReuseValues makes a dump yield the same value for every message: it is
// reset to its zero value and decoded anew, and its nested values,
// slices and byte slices are decoded into the memory the previous message
// used. Each yielded value, and everything it points to, is valid only
// until the loop body returns; copy what you keep. Strings are the
// exception: they are never overwritten, so a string kept from one
// message stays what it was.
//
// It is the fastest way to read a dump: after the first few messages a
// dump allocates nothing but the bytes of its strings (and, where a
// message outgrows what the earlier ones needed, a larger chunk once). A
// dump without it allocates its values as it goes, and a value kept
// stays valid.
const ReuseValues DumpOption = 1

// Reuses reports whether opts hold ReuseValues.
func Reuses(opts []DumpOption) bool {
	for _, o := range opts {
		if o&ReuseValues != 0 {
			return true
		}
	}
	return false
}
