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
type Arena struct {
	buf   []byte // the free rest of the current byte chunk
	slabs []any  // *slab[T] by slot
}

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
	if len(b) > arenaMaxCopy {
		return slices.Clone(b)
	}
	d := a.take(len(b))
	copy(d, b)
	return d
}

// slab holds the free rest of the current chunk of values of one type.
type slab[T any] struct{ free []T }

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
	if a == nil || slot < 0 || unsafe.Sizeof(z) == 0 || need > slabLen[T]()/2 {
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
