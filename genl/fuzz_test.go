package genl

import (
	"errors"
	"testing"
)

// FuzzWalker feeds arbitrary bytes to the Walker, reading every attribute
// with every getter and descending into nests: it must never panic, and
// every failure must be a *DecodeError.
func FuzzWalker(f *testing.F) {
	f.Add(benchAttrs16())
	var e Encoder
	encodeNested(&e)
	f.Add(e.Bytes())
	f.Add([]byte{3, 0, 1, 0})
	f.Add([]byte{0xff, 0xff, 1, 0, 1})
	f.Add([]byte{8, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		walkAll(t, b, 0)
	})
}

func walkAll(t *testing.T, b []byte, depth int) {
	w := NewWalker(b, []string{1: "one", 2: "two"})
	for w.Next() {
		if w.Offset() < 0 || w.Offset()+4+len(w.Data()) > len(b) {
			t.Fatalf("attribute at %d with %d bytes escapes the %d-byte buffer", w.Offset(), len(w.Data()), len(b))
		}
		readEvery(&w)
		if depth < 4 {
			walkAll(t, w.Data(), depth+1)
		}
	}
	if err := w.Err(); err != nil {
		var de *DecodeError
		if !errors.As(err, &de) || err.Error() == "" {
			t.Fatalf("error %v is not a *DecodeError", err)
		}
	}
}

// readEvery calls every getter on a copy of w, so one getter's error does
// not hide the others.
func readEvery(w *Walker) {
	getters := []func(w *Walker){
		func(w *Walker) { w.Uint8() }, func(w *Walker) { w.Uint16() },
		func(w *Walker) { w.Uint32() }, func(w *Walker) { w.Uint64() },
		func(w *Walker) { w.Int8() }, func(w *Walker) { w.Int16() },
		func(w *Walker) { w.Int32() }, func(w *Walker) { w.Int64() },
		func(w *Walker) { w.Uint16BE() }, func(w *Walker) { w.Uint32BE() },
		func(w *Walker) { w.Uint64BE() }, func(w *Walker) { w.Int16BE() },
		func(w *Walker) { w.Int32BE() }, func(w *Walker) { w.Int64BE() },
		func(w *Walker) { w.Uint() }, func(w *Walker) { w.Int() },
		func(w *Walker) { _ = w.String() }, func(w *Walker) { w.Bytes() },
		func(w *Walker) { w.Flag() }, func(w *Walker) { w.Bitfield32() },
		func(w *Walker) { w.Fail("x") },
	}
	for _, g := range getters {
		c := *w
		g(&c)
	}
}
