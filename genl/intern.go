package genl

import (
	"encoding/binary"
	"hash/maphash"
	"sync/atomic"
)

// The name cache behind Walker.Name: a fixed table of recently seen
// strings, indexed by hash. A hit returns the cached string without
// allocating; a miss allocates the string and takes the slot, so the
// table never grows and holds at most internSlots strings of at most
// internMaxLen bytes (a few hundred KiB at worst) however long the
// process runs. Entries are immutable and published atomically, so
// concurrent decoders share the table safely.
const (
	internSlots  = 4096
	internMaxLen = 64
)

type internEntry struct{ s string }

var (
	internTab  [internSlots]atomic.Pointer[internEntry]
	internSeed = maphash.MakeSeed()
)

// intern returns string(b), from the cache when it is there.
func intern(b []byte) string {
	if len(b) == 0 || len(b) > internMaxLen {
		return string(b)
	}
	slot := &internTab[maphash.Bytes(internSeed, b)&(internSlots-1)]
	if e := slot.Load(); e != nil && e.s == string(b) {
		return e.s
	}
	e := &internEntry{s: string(b)}
	slot.Store(e)
	return e.s
}

// Name returns the current attribute as a string like String, shared with
// earlier results of the same bytes instead of freshly allocated when it
// is still in a small process-wide cache. Generated decoders use it for
// strings that repeat across messages: the names in the elements of
// multi-attr and indexed-array attributes (bit names of ethtool's
// bitsets, string sets), where a dump of a thousand devices would
// otherwise allocate the same few hundred names a thousand times.
func (w *Walker) Name() string {
	b := w.data
	if n := len(b); n > 0 && b[n-1] == 0 {
		b = b[:n-1]
	}
	return intern(b)
}

// CountType returns the number of attributes from the current one to the
// end of the buffer that have the current one's type (flags masked off),
// the current one included: how many elements a multi-attr attribute
// still has, so a decoder can size its slice once. Before the first Next
// it returns 0. It stops at a malformed header, which Next then reports.
func (w *Walker) CountType() int {
	if w.cur < 0 || w.ended {
		return 0
	}
	return 1 + countType(w.b[w.next:], w.typ&nlaTypeMask, true)
}

// CountAttrs returns the number of well-formed attributes at the top level
// of b, stopping at a malformed header: the elements of an indexed array.
func CountAttrs(b []byte) int { return countType(b, 0, false) }

func countType(b []byte, typ uint16, match bool) int {
	n := 0
	for len(b) >= nlaHeaderLen {
		l := int(binary.NativeEndian.Uint16(b))
		if l < nlaHeaderLen || l > len(b) {
			break
		}
		if !match || binary.NativeEndian.Uint16(b[2:])&nlaTypeMask == typ {
			n++
		}
		b = b[min(nlaAlign(l), len(b)):]
	}
	return n
}
