package genl

import (
	"bytes"
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
		func(w *Walker) { w.Name() }, func(w *Walker) { w.CountType() },
		func(w *Walker) { w.Fail("x") },
	}
	for _, g := range getters {
		c := *w
		g(&c)
	}
}

// FuzzEncodeRoundTrip encodes arbitrary values and checks the Walker reads
// back exactly what was written, padding and nesting included.
func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add(uint16(1), uint64(7), int64(-7), "eth0", []byte{1, 2, 3})
	f.Add(uint16(0x3fff), uint64(1<<40), int64(-1<<40), "", []byte(nil))
	f.Fuzz(func(t *testing.T, typ uint16, u uint64, s int64, str string, bin []byte) {
		typ &= nlaTypeMask
		var e Encoder
		e.Uint8(typ, uint8(u))
		e.Uint16(typ, uint16(u))
		e.Uint32BE(typ, uint32(u))
		e.Uint64(typ, u)
		e.Uint(typ, u)
		e.Int(typ, s)
		n := e.Nest(typ)
		e.String(typ, str)
		e.Binary(typ, bin)
		e.End(n)
		e.Bitfield32(typ, uint32(u), uint32(u>>32))
		e.Flag(typ)
		if e.Err() != nil {
			if len(str) < 60000 && len(bin) < 60000 {
				t.Fatalf("unexpected encode error %v", e.Err())
			}
			return
		}
		if e.Len()%4 != 0 {
			t.Fatalf("encoded length %d not 4-aligned", e.Len())
		}
		w := NewWalker(e.Bytes(), nil)
		get := []func() bool{
			func() bool { return w.Uint8() == uint8(u) },
			func() bool { return w.Uint16() == uint16(u) },
			func() bool { return w.Uint32BE() == uint32(u) },
			func() bool { return w.Uint64() == u },
			func() bool { return w.Uint() == u },
			func() bool { return w.Int() == s },
			func() bool {
				in := NewWalker(w.Data(), nil)
				ok := w.Nested() && in.Next() && in.String() == str &&
					in.Next() && bytes.Equal(in.Bytes(), bin) && !in.Next()
				return ok && in.Err() == nil
			},
			func() bool { v, sel := w.Bitfield32(); return v == uint32(u) && sel == uint32(u>>32) },
			func() bool { return len(w.Data()) == 0 },
		}
		for i, g := range get {
			if !w.Next() || w.Type() != typ || !g() {
				t.Fatalf("attribute %d did not round-trip (err %v)", i, w.Err())
			}
		}
		if w.Next() || w.Err() != nil {
			t.Fatalf("trailing data or error: %v", w.Err())
		}
	})
}
