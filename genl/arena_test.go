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
