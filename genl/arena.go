package genl

import (
	"slices"
	"unsafe"
)

// An Arena lends a decoder memory from shared chunks, so that the many
// small values of a dump (device names, bitset bytes, nested structs)
// cost a few allocations per chunk instead of one or more per message.
// Generated dumps decode every message of one dump with one Arena; a
// reply of a do, a notification and Decode itself use none.
//
// A walker made with NewWalkerIn takes its strings (String) and byte
// copies (CopyBytes) from its arena; New and Grow take nested values and
// slices from it. Each value is its own memory: the strings never
// change, and a byte slice or slice ends at its own capacity, so writing
// to one or appending to it never touches another value. A value kept
// keeps its chunk alive (at most a few KiB, or a few dozen values of its
// type) after the others are dropped.
//
// An Arena is used by one goroutine at a time. The zero value is ready to
// use; a nil *Arena means "allocate each value on its own".
//
// A recycling arena (SetRecycle) serves a dump that reuses the value it
// yields (ReuseValues): after Recycle, New, Grow and CopyBytes hand out
// the memory they handed out before Recycle again, so a dump of any
// length settles on the memory of its largest message. Strings are never
// recycled: a string stays what it was, whatever the arena does later.
type Arena struct {
	buf     []byte // the free rest of the current byte chunk
	slabs   []any  // *slab[T] by slot
	recycle bool
	rbuf    []byte // recycling: the byte chunk CopyBytes takes from
	rused   int    // recycling: how much of rbuf is handed out
}

// SetRecycle makes a recycling arena (see Arena); it must be called
// before the arena is first used.
func (a *Arena) SetRecycle() { a.recycle = true }

// Recycle makes all memory New, Grow and CopyBytes handed out from a
// recycling arena free for them again; the values and slices it backed
// are then overwritten by later decoding. It does nothing to an arena that
// is not recycling.
func (a *Arena) Recycle() {
	if !a.recycle {
		return
	}
	a.rused = 0
	for _, s := range a.slabs {
		if r, ok := s.(recycler); ok {
			r.rewind()
		}
	}
}

// recycler is a slab of a recycling arena.
type recycler interface{ rewind() }

// Chunk sizes: strings and byte slices come from chunks of arenaChunk
// bytes (those longer than arenaMaxCopy get their own allocation);
// values and slices of one type from chunks of about slabBytes.
const (
	arenaChunk   = 4 << 10
	arenaMaxCopy = arenaChunk / 8
	slabBytes    = 8 << 10
	slabMinLen   = 4
)

// take returns n fresh bytes from the current chunk, starting a new one
// when it is too short. n is at most arenaMaxCopy.
func (a *Arena) take(n int) []byte {
	if len(a.buf) < n {
		a.buf = make([]byte, arenaChunk)
	}
	b := a.buf[:n:n]
	a.buf = a.buf[n:]
	return b
}

// string returns b as a string from the arena's memory.
func (a *Arena) string(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > arenaMaxCopy {
		return string(b)
	}
	d := a.take(len(b))
	copy(d, b)
	return unsafe.String(unsafe.SliceData(d), len(d))
}

// clone returns a copy of b from the arena's memory; like bytes.Clone,
// non-nil for an empty b.
func (a *Arena) clone(b []byte) []byte {
	if len(b) == 0 {
		return []byte{}
	}
	if a.recycle {
		if a.rused+len(b) > len(a.rbuf) {
			// A new chunk, large enough for this message so far; the
			// old one stays with the values already decoded from it.
			a.rbuf = make([]byte, max(arenaChunk, 2*len(a.rbuf), 2*len(b)))
			a.rused = 0
		}
		d := a.rbuf[a.rused : a.rused+len(b) : a.rused+len(b)]
		a.rused += len(b)
		copy(d, b)
		return d
	}
	if len(b) > arenaMaxCopy {
		return slices.Clone(b)
	}
	d := a.take(len(b))
	copy(d, b)
	return d
}

// slab holds the free rest of the current chunk of values of one type;
// in a recycling arena, the chunk all and how much of it is handed out.
type slab[T any] struct {
	free []T
	all  []T
	used int
}

func (s *slab[T]) rewind() { s.used = 0 }

// takeRecycled hands out n values of T from a recycling slab, starting a
// larger chunk when the current one is short. The values are not cleared.
func (s *slab[T]) takeRecycled(n int) []T {
	if s.used+n > len(s.all) {
		s.all = make([]T, max(slabLen[T](), 2*len(s.all), 2*n))
		s.used = 0
	}
	out := s.all[s.used : s.used+n : s.used+n]
	s.used += n
	return out
}

// slabOf returns a's slab of T at slot, making it on first use (or when
// the slot held another type).
func slabOf[T any](a *Arena, slot int) *slab[T] {
	if slot >= len(a.slabs) {
		a.slabs = append(a.slabs, make([]any, slot+1-len(a.slabs))...)
	}
	s, ok := a.slabs[slot].(*slab[T])
	if !ok {
		s = new(slab[T])
		a.slabs[slot] = s
	}
	return s
}

// slabLen is the number of values of T in one chunk.
func slabLen[T any]() int {
	var z T
	return max(slabBytes/int(unsafe.Sizeof(z)), slabMinLen)
}

// New returns a pointer to a zero T, from a's chunks of T when a is not
// nil. slot names the type among those one arena serves: a small number,
// the same for every use of T and different for other types (generated
// code numbers the types of its package). A slot used for another type
// is taken over, which costs memory, not correctness.
func New[T any](a *Arena, slot int) *T {
	var z T
	if a == nil || slot < 0 || unsafe.Sizeof(z) == 0 {
		return new(T)
	}
	s := slabOf[T](a, slot)
	if a.recycle {
		p := &s.takeRecycled(1)[0]
		*p = z
		return p
	}
	if len(s.free) == 0 {
		s.free = make([]T, slabLen[T]())
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// Grow is slices.Grow for decoders: it returns s with room for n more
// elements, taking the new backing array from a's chunks of T (see New)
// when a is not nil and it fits in half a chunk. The result's capacity is
// exactly what was asked for, so a later append by the caller copies it
// rather than writing into the chunk.
func Grow[T any](a *Arena, slot int, s []T, n int) []T {
	if n < 0 {
		panic("genl.Grow: negative length")
	}
	if cap(s)-len(s) >= n {
		return s
	}
	var z T
	need := len(s) + n
	if a == nil || slot < 0 || unsafe.Sizeof(z) == 0 {
		return slices.Grow(s, n)
	}
	if a.recycle {
		out := slabOf[T](a, slot).takeRecycled(need)[:len(s)]
		copy(out, s)
		return out
	}
	if need > slabLen[T]()/2 {
		return slices.Grow(s, n)
	}
	sl := slabOf[T](a, slot)
	if len(sl.free) < need {
		sl.free = make([]T, slabLen[T]())
	}
	out := sl.free[:len(s):need]
	copy(out, s)
	sl.free = sl.free[need:]
	return out
}

// NewWalkerIn returns a walker over b like NewWalker, whose String and
// CopyBytes take their memory from a (nil: allocate each, as NewWalker's
// do). Decoders hand a on to the walkers of nested attributes (Arena).
func NewWalkerIn(b []byte, names []string, a *Arena) Walker {
	return Walker{b: b, names: names, cur: -1, arena: a}
}

// Reset makes w a walker over b, as w = NewWalkerIn(b, names, a) would,
// forgetting any earlier walk and error. It initializes w in place, which
// costs less than copying the Walker NewWalkerIn returns (a fifth of a
// 16-attribute decode); generated decoders use it:
//
//	var w genl.Walker
//	w.Reset(b, names, a)
func (w *Walker) Reset(b []byte, names []string, a *Arena) {
	w.b, w.next, w.cur, w.typ, w.data, w.names = b, 0, -1, 0, nil, names
	w.want, w.ended, w.err, w.arena = 0, false, nil, a
}

// Arena returns the walker's arena, nil for one made by NewWalker.
func (w *Walker) Arena() *Arena { return w.arena }

// CopyBytes returns a copy of the current attribute's payload, from the
// walker's arena if it has one (never nil, like bytes.Clone of a payload).
func (w *Walker) CopyBytes() []byte {
	if w.arena != nil {
		return w.arena.clone(w.data)
	}
	if len(w.data) == 0 {
		return []byte{}
	}
	return slices.Clone(w.data)
}
