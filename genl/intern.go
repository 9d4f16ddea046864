package genl

import (
	"encoding/binary"
	"math/rand/v2"
	"sync/atomic"
)

// The name cache behind Walker.Name: a fixed table of recently seen
// strings, indexed by hash, two ways per set: a name whose slot another
// name took keeps the set's second place, so two names of one message
// that share a set do not evict each other message after message. A hit
// returns the cached string without allocating; a miss allocates the
// string and takes the set's first place, so the table never grows and
// holds at most internSlots strings of at most internMaxLen bytes (a few
// hundred KiB at worst) however long the process runs. Entries are
// immutable and published atomically, so concurrent decoders share the
// table safely (a race costs a miss, never a wrong string).
const (
	internSlots  = 4096 // 2048 sets of two
	internMaxLen = 64
)

type internEntry struct{ s string }

var (
	internTab  [internSlots]atomic.Pointer[internEntry]
	internSeed = rand.Uint64()
)

// internHash is a quick hash of a short name, seeded per process.
func internHash(b []byte) uint64 {
	h := internSeed ^ uint64(len(b))*0x9e3779b97f4a7c15
	for len(b) >= 8 {
		h = (h ^ binary.LittleEndian.Uint64(b)) * 0xbf58476d1ce4e5b9
		h ^= h >> 31
		b = b[8:]
	}
	var t uint64
	switch n := len(b); {
	case n >= 4: // two loads that may overlap cover 4 to 7 bytes
		t = uint64(binary.LittleEndian.Uint32(b)) | uint64(binary.LittleEndian.Uint32(b[n-4:]))<<32
	case n > 0:
		t = uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16
	}
	h = (h ^ t) * 0x94d049bb133111eb
	return h ^ h>>29
}

// intern returns string(b), from the cache when it is there.
func intern(b []byte) string {
	if len(b) == 0 || len(b) > internMaxLen {
		return string(b)
	}
	set := internTab[internHash(b)&(internSlots-2):]
	first := set[0].Load()
	if first != nil && first.s == string(b) {
		return first.s
	}
	if e := set[1].Load(); e != nil && e.s == string(b) {
		return e.s
	}
	e := &internEntry{s: string(b)}
	if first != nil {
		set[1].Store(first)
	}
	set[0].Store(e)
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
