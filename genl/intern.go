package genl

import (
	"encoding/binary"
	"math/rand/v2"
	"sync/atomic"
)

// The name cache behind Walker.Name: a fixed table of recently seen
// strings, indexed by hash, four ways per set: a miss takes the set's
// first place and moves the others down one, so up to four names of one
// message that share a set do not evict each other message after message
// (with two ways, three of a verbose ethtool features message's 63 bit
// names shared a set for about 1 in 100 process seeds, and every message
// then missed six times). A hit returns the cached string without
// allocating; a miss allocates the string, so the table never grows and
// holds at most internSlots strings of at most internMaxLen bytes (a few
// hundred KiB at worst) however long the process runs. Entries are
// immutable and published atomically, so concurrent decoders share the
// table safely (a race costs a miss, never a wrong string).
const (
	internWays   = 4
	internSlots  = 4096 // 1024 sets of four
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
	i := internHash(b) & (internSlots - internWays)
	set := internTab[i : i+internWays : i+internWays]
	var old [internWays]*internEntry
	for k := range set {
		e := set[k].Load()
		if e != nil && e.s == string(b) {
			return e.s
		}
		old[k] = e
	}
	e := &internEntry{s: string(b)}
	for k := internWays - 1; k > 0; k-- {
		if old[k-1] != nil {
			set[k].Store(old[k-1])
		}
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
	// next runs past the end when the last padding was cut off.
	return 1 + countType(w.b[min(w.next, len(w.b)):], w.typ&nlaTypeMask, true)
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
