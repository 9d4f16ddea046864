package genl

import (
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

func TestWalkerName(t *testing.T) {
	var e Encoder
	e.String(1, "tx-checksum-ipv4")                       // NUL-terminated
	e.Binary(2, []byte("rx-gro"))                         // no NUL
	e.String(3, "")                                       // just the NUL
	e.Binary(4, []byte(string(make([]byte, 100))+"long")) // too long to cache
	var got []string
	var data []*byte
	for range 2 {
		w := NewWalker(e.Bytes(), nil)
		got = got[:0]
		for w.Next() {
			s := w.Name()
			got = append(got, s)
			if w.Type() == 1 {
				data = append(data, unsafe.StringData(s))
			}
		}
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"tx-checksum-ipv4", "rx-gro", "", string(make([]byte, 100)) + "long"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Name = %q, want %q", got, want)
	}
	if data[0] != data[1] {
		t.Error("the same name decoded twice was allocated twice, want the cached string")
	}
	w := NewWalker(e.Bytes(), nil)
	w.Next()
	if n := testing.AllocsPerRun(100, func() { _ = w.Name() }); n != 0 {
		t.Errorf("a cached Name allocates %v times, want 0", n)
	}
}

// TestNameConcurrent checks under -race that decoders sharing the cache
// each get the right string, also while slots are taken over.
func TestNameConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20000 {
				want := fmt.Sprintf("name-%d", (i*7+g)%(3*internSlots))
				e := NewEncoder(nil)
				e.String(1, want)
				w := NewWalker(e.Bytes(), nil)
				w.Next()
				if got := w.Name(); got != want {
					t.Errorf("Name = %q, want %q", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestNameSharedSet checks that two names whose hashes pick the same set
// of the cache, decoded in turn as a dump's messages do, both stay cached.
// TestNameSharedSet: as many names as a set has ways, decoded message
// after message, stay cached (two ways let three such names evict each
// other every time).
func TestNameSharedSet(t *testing.T) {
	set := func(s string) uint64 { return internHash([]byte(s)) & (internSlots - internWays) }
	names := []string{"shared-set-a"}
	for i := 0; len(names) < internWays; i++ {
		if s := fmt.Sprintf("shared-set-%d", i); set(s) == set(names[0]) {
			names = append(names, s)
		}
	}
	var e Encoder
	for i, n := range names {
		e.String(uint16(i+1), n)
	}
	decode := func() {
		w := NewWalker(e.Bytes(), nil)
		for w.Next() {
			if s := w.Name(); s != names[w.Type()-1] {
				t.Fatalf("Name = %q, want %q", s, names[w.Type()-1])
			}
		}
	}
	decode()
	if n := testing.AllocsPerRun(100, decode); n != 0 {
		t.Errorf("decoding %q (one set) allocates %v times, want 0", names, n)
	}
}

func TestCountType(t *testing.T) {
	var e Encoder
	e.Uint32(1, 1)
	e.Uint32(2, 2)
	e.Uint32(1, 3)
	n := e.Nest(1)
	e.Uint32(5, 0)
	e.End(n)
	e.Uint8(3, 0)
	b := e.Bytes()
	w := NewWalker(b, nil)
	if got := w.CountType(); got != 0 {
		t.Errorf("CountType before Next = %d, want 0", got)
	}
	var got []int
	for w.Next() {
		got = append(got, w.CountType())
	}
	if want := "[3 1 2 1 1]"; fmt.Sprint(got) != want {
		t.Errorf("CountType at each attribute = %v, want %s", got, want)
	}
	if got := w.CountType(); got != 0 {
		t.Errorf("CountType after the end = %d, want 0", got)
	}
	if got := CountAttrs(b); got != 5 {
		t.Errorf("CountAttrs = %d, want 5", got)
	}
	// A malformed header ends the count, as it ends the walk.
	bad := append(append([]byte(nil), b[:8]...), 0xff, 0, 1, 0)
	if got := CountAttrs(bad); got != 1 {
		t.Errorf("CountAttrs with a malformed second header = %d, want 1", got)
	}
	w = NewWalker(bad, nil)
	w.Next()
	if got := w.CountType(); got != 1 {
		t.Errorf("CountType before a malformed header = %d, want 1", got)
	}
	if got := CountAttrs(nil); got != 0 {
		t.Errorf("CountAttrs(nil) = %d, want 0", got)
	}
}
