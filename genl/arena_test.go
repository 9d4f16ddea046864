package genl

import (
	"bytes"
	"strings"
	"testing"
	"unsafe"
)

func TestArenaStrings(t *testing.T) {
	var e Encoder
	e.String(1, "veth0")
	e.Binary(2, []byte{1, 2, 3})
	e.Binary(3, nil)
	e.String(4, strings.Repeat("x", arenaMaxCopy+1)) // too long to share a chunk
	var a Arena
	var names []string
	var bins [][]byte
	decode := func() {
		w := NewWalkerIn(e.Bytes(), nil, &a)
		for w.Next() {
			switch w.Type() {
			case 1, 4:
				names = append(names, w.String())
			case 2, 3:
				bins = append(bins, w.CopyBytes())
			}
		}
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
	}
	decode()
	decode()
	if names[0] != "veth0" || names[2] != "veth0" || len(names[1]) != arenaMaxCopy+1 {
		t.Fatalf("strings %q", names)
	}
	if unsafe.StringData(names[0]) == unsafe.StringData(names[2]) {
		t.Error("two strings share their bytes")
	}
	if !bytes.Equal(bins[0], []byte{1, 2, 3}) || bins[1] == nil || len(bins[1]) != 0 {
		t.Fatalf("bytes %v", bins)
	}
	// A copy ends at its own capacity: appending to it does not write
	// into the next value's bytes.
	if cap(bins[0]) != 3 {
		t.Errorf("cap = %d, want 3", cap(bins[0]))
	}
	_ = append(bins[0], 9)
	bins[0][0] = 7
	if !bytes.Equal(bins[2], []byte{1, 2, 3}) || names[2] != "veth0" {
		t.Errorf("writing one copy changed another: %v %q", bins[2], names[2])
	}
	// The copies do not alias the message.
	for i := range e.Bytes() {
		e.Bytes()[i] = 0
	}
	if names[0] != "veth0" || bins[2][2] != 3 {
		t.Error("a copy aliases the message")
	}
}

func TestArenaAllocs(t *testing.T) {
	var e Encoder
	e.String(1, "veth123")
	e.Binary(2, make([]byte, 8))
	b := e.Bytes()
	a := new(Arena)
	n := testing.AllocsPerRun(1000, func() {
		w := NewWalkerIn(b, nil, a)
		for w.Next() {
			if w.Type() == 1 {
				_ = w.String()
			} else {
				_ = w.CopyBytes()
			}
		}
		_ = New[Opt[uint32]](a, 0)
	})
	// One chunk of 4 KiB serves about 250 messages of 16 bytes, one slab of
	// Opt[uint32] a thousand values.
	if n > 0.02 {
		t.Errorf("%v allocations per message, want about 1/250", n)
	}
	if n := testing.AllocsPerRun(10, func() {
		w := NewWalker(b, nil)
		for w.Next() {
			_ = w.CopyBytes()
		}
	}); n != 2 {
		t.Errorf("without an arena %v allocations, want 2 (one per copy)", n)
	}
}

type arenaT struct {
	n int
	s string
}

func TestArenaNew(t *testing.T) {
	if New[arenaT](nil, 0) == nil {
		t.Fatal("New(nil) returned nil")
	}
	var a Arena
	p, q := New[arenaT](&a, 0), New[arenaT](&a, 0)
	if p == q || *p != (arenaT{}) || *q != (arenaT{}) {
		t.Fatal("New returned the same or a non-zero value")
	}
	p.n, q.n = 1, 2
	// A slot taken over by another type serves that type from then on.
	r := New[int64](&a, 0)
	*r = -1
	if p.n != 1 || q.n != 2 {
		t.Error("values of another type overwrote earlier ones")
	}
	s := New[arenaT](&a, 0)
	if *s != (arenaT{}) {
		t.Error("New after a takeover returned a non-zero value")
	}
	for range 3 * slabLen[arenaT]() {
		if v := New[arenaT](&a, 5); *v != (arenaT{}) {
			t.Fatal("a fresh value is not zero")
		}
	}
	if New[struct{}](&a, 1) == nil {
		t.Error("New of a zero-size type returned nil")
	}
}

func TestArenaGrow(t *testing.T) {
	var a Arena
	s := Grow(&a, 0, []int32(nil), 3)
	if len(s) != 0 || cap(s) != 3 {
		t.Fatalf("Grow(nil, 3): len %d cap %d", len(s), cap(s))
	}
	s = append(s, 1, 2, 3)
	if got := Grow(&a, 0, s, 0); &got[0] != &s[0] {
		t.Error("Grow by 0 moved the slice")
	}
	u := Grow(&a, 0, s, 2)
	if len(u) != 3 || cap(u) != 5 || u[2] != 3 {
		t.Fatalf("Grow(s, 2): %v cap %d", u, cap(u))
	}
	v := Grow(&a, 0, []int32(nil), 1)
	v = append(v, 9)
	u = append(u, 4, 5)
	u = append(u, 6) // beyond its capacity: copied, not into v
	if v[0] != 9 || u[5] != 6 {
		t.Errorf("slices from one chunk overlap: %v %v", u, v)
	}
	big := Grow(&a, 0, []int32{7}, slabLen[int32]())
	if big[0] != 7 || cap(big) < slabLen[int32]()+1 {
		t.Errorf("a slice larger than half a chunk: %v cap %d", big[:1], cap(big))
	}
	if got := Grow(nil, 0, []int32{1}, 4); cap(got) < 5 || got[0] != 1 {
		t.Error("Grow without an arena")
	}
	if got := Grow(&a, 0, []int32{}, 0); got == nil {
		t.Error("Grow of an empty slice by 0 returned nil")
	}
}

// TestArenaRecycle: after Recycle a recycling arena hands out the same
// memory again, zeroed by New, while its strings stay as they were; an
// arena that is not recycling ignores Recycle.
func TestArenaRecycle(t *testing.T) {
	type pair struct {
		a, b uint64
		s    string
	}
	var a Arena
	a.SetRecycle()
	str := func(s string) string {
		var e Encoder
		e.String(1, s)
		w := NewWalkerIn(e.Bytes(), nil, &a)
		if !w.Next() {
			t.Fatal("no attribute")
		}
		return w.String()
	}
	clone := func(b []byte) []byte {
		var e Encoder
		e.Binary(1, b)
		w := NewWalkerIn(e.Bytes(), nil, &a)
		if !w.Next() {
			t.Fatal("no attribute")
		}
		return w.CopyBytes()
	}
	p1 := New[pair](&a, 0)
	*p1 = pair{1, 2, "x"}
	s1 := str("first")
	b1 := clone([]byte{1, 2, 3})
	g1 := Grow[pair](&a, 1, nil, 3)
	g1 = append(g1, pair{a: 9})
	a.Recycle()
	p2 := New[pair](&a, 0)
	if p2 != p1 || *p2 != (pair{}) {
		t.Errorf("after Recycle New gave %p = %+v, want the first value's memory (%p) zeroed", p2, *p2, p1)
	}
	s2 := str("other")
	b2 := clone([]byte{4, 5, 6})
	g2 := Grow[pair](&a, 1, nil, 3)
	if s1 != "first" || s2 != "other" {
		t.Errorf("strings %q, %q; want first, other", s1, s2)
	}
	if &b2[0] != &b1[0] || string(b1) != "\x04\x05\x06" || cap(b2) != 3 {
		t.Errorf("CopyBytes after Recycle: %v at %p (cap %d), first %v at %p; want the first's memory", b2, &b2[0], cap(b2), b1, &b1[0])
	}
	if len(g2) != 0 || cap(g2) != 3 || &g2[:1][0] != &g1[0] {
		t.Errorf("Grow after Recycle: len %d cap %d; want the first's memory, empty, cap 3", len(g2), cap(g2))
	}
	// More than the chunk holds in one round: a larger chunk, and still
	// the values asked for.
	for i := range 10000 {
		p := New[pair](&a, 0)
		if *p != (pair{}) {
			t.Fatalf("value %d not zero: %+v", i, *p)
		}
		p.a = uint64(i)
	}
	big := clone(make([]byte, 3*arenaChunk))
	if len(big) != 3*arenaChunk {
		t.Errorf("clone of %d bytes gave %d", 3*arenaChunk, len(big))
	}

	var plain Arena
	q1 := New[pair](&plain, 0)
	plain.Recycle()
	if q2 := New[pair](&plain, 0); q2 == q1 {
		t.Error("an arena that is not recycling handed out a value twice")
	}
}
