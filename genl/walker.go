package genl

import (
	"encoding/binary"
	"strconv"
)

// Netlink attribute header constants (linux/netlink.h). They are repeated
// here so the codec builds on every OS.
const (
	nlaHeaderLen     = 4
	nlaFNested       = 0x8000 // NLA_F_NESTED
	nlaFNetByteorder = 0x4000 // NLA_F_NET_BYTEORDER
	nlaTypeMask      = ^uint16(nlaFNested | nlaFNetByteorder)
)

// nlaAlign rounds n up to the netlink attribute alignment (NLA_ALIGN).
func nlaAlign(n int) int { return (n + 3) &^ 3 }

// Walker iterates the netlink attributes in a byte slice without copying.
// Errors are sticky: loop with Next, check Err once.
//
// A Walker is a small value; keep it in a local variable so a walk does not
// allocate:
//
//	w := genl.NewWalker(b, names)
//	for w.Next() {
//		switch w.Type() {
//		case attrIfindex:
//			m.Ifindex = genl.Some(w.Uint32())
//		}
//	}
//	if err := w.Err(); err != nil { ... }
//
// Next and the common getters are small enough for the compiler to inline
// into that loop. To keep them so, they never build errors themselves: a
// malformed header leaves next pointing at it, a wrong-sized payload records
// the size wanted, and Err turns that state into a *DecodeError on demand.
type Walker struct {
	b     []byte   // the whole buffer
	next  int      // offset of the next attribute header
	cur   int      // offset of the current attribute header, -1 before the first
	typ   uint16   // type of the current attribute, flags included
	data  []byte   // payload of the current attribute
	names []string // attribute names for errors, index = type
	want  int      // payload size a getter wanted, when it got another
	ended bool     // Next returned false
	err   error    // the error, once built (or set by Fail)
	arena *Arena   // memory for String and CopyBytes; nil: allocate each
}

// NewWalker returns a walker over b. names (may be nil) maps attribute type
// to spec name (index = type); it is used only to name attributes in errors.
func NewWalker(b []byte, names []string) Walker {
	return Walker{b: b, names: names, cur: -1}
}

// Next advances to the next attribute. It returns false at the end of the
// buffer, on a malformed header (Err then reports it), or once a getter or
// Fail has set an error.
func (w *Walker) Next() bool {
	// next is a multiple of 4 (or len(b), once stopped) and may point up
	// to 3 bytes past the end, when the last attribute's padding was cut
	// off: clipping it would lengthen the chain from one attribute to the
	// next. Next must stay within the compiler's inlining budget
	// (TestHotPathInlined).
	if next := w.next; next <= len(w.b)-nlaHeaderLen {
		h := w.b[next:]
		if n := int(binary.NativeEndian.Uint16(h)); n >= nlaHeaderLen && n <= len(h) {
			w.data = h[nlaHeaderLen:n:n]
			w.cur, w.next = next, (next+n+3)&^3
			// Stored last, so the compiler can hand it to Type inlined
			// right after Next without reloading it.
			w.typ = binary.NativeEndian.Uint16(h[2:])
			return true
		}
	}
	// The end, or a malformed header at next. Err tells them apart; it must
	// not mistake a loop the caller left early for a malformed header.
	w.ended = true
	return false
}

// Type returns the current attribute's type with NLA_F_NESTED and
// NLA_F_NET_BYTEORDER masked off.
func (w *Walker) Type() uint16 { return w.typ & nlaTypeMask }

// Nested reports whether the current attribute has NLA_F_NESTED set.
func (w *Walker) Nested() bool { return w.typ&nlaFNested != 0 }

// NetByteOrder reports whether the current attribute has NLA_F_NET_BYTEORDER set.
func (w *Walker) NetByteOrder() bool { return w.typ&nlaFNetByteorder != 0 }

// Data returns the current attribute's payload. It aliases the input.
func (w *Walker) Data() []byte { return w.data }

// Offset returns the offset of the current attribute's header in the buffer.
func (w *Walker) Offset() int { return w.cur }

// Err returns the first error, a *DecodeError, or nil. Call it after the
// loop: an error stops the walk.
func (w *Walker) Err() error {
	if w.err != nil {
		return w.err
	}
	switch {
	case w.want != 0:
		w.err = w.attrError(wantMsg(w.want, len(w.data)))
	case w.ended && w.next < len(w.b):
		w.err = w.headerError()
	}
	return w.err
}

// Fail sets the sticky error for the current attribute, for callers' own
// checks (an enum value out of range, a missing required attribute), and
// stops the walk. An earlier error is kept.
func (w *Walker) Fail(msg string) {
	if w.Err() == nil {
		w.err = w.attrError(msg)
		w.stop()
	}
}

// stop ends the walk: Next returns false from now on.
func (w *Walker) stop() { w.next = len(w.b) }

// attrError builds an error naming the current attribute.
func (w *Walker) attrError(msg string) *DecodeError {
	e := &DecodeError{Offset: max(w.cur, 0), Msg: msg}
	if w.cur >= 0 {
		e.Type = w.Type()
		e.Path = []string{attrName(w.names, e.Type)}
	}
	return e
}

// headerError describes the malformed attribute header at w.next.
func (w *Walker) headerError() *DecodeError {
	h := w.b[w.next:]
	if len(h) < nlaHeaderLen {
		return &DecodeError{Offset: w.next, Msg: strconv.Itoa(len(h)) + " trailing bytes, too short for an attribute header"}
	}
	n := int(binary.NativeEndian.Uint16(h))
	typ := binary.NativeEndian.Uint16(h[2:]) & nlaTypeMask
	e := &DecodeError{Path: []string{attrName(w.names, typ)}, Type: typ, Offset: w.next}
	if n < nlaHeaderLen {
		e.Msg = "attribute length " + strconv.Itoa(n) + " is shorter than its header"
	} else {
		e.Msg = "attribute length " + strconv.Itoa(n) + " exceeds the " + strconv.Itoa(len(h)) + " bytes left"
	}
	return e
}

func wantMsg(want, got int) string {
	w := strconv.Itoa(want)
	if want == wantUint {
		w = "4 or 8"
	}
	return "want " + w + " bytes, got " + strconv.Itoa(got)
}

// wantUint marks a variable-width getter's failure in Walker.want.
const wantUint = -1

// fixed returns the payload if it is exactly n bytes long; otherwise it
// records the failure, stops the walk and returns nil.
func (w *Walker) fixed(n int) []byte {
	if len(w.data) == n {
		return w.data
	}
	w.failLen(n)
	return nil
}

// failLen records that a getter wanted want bytes. The first failure wins.
func (w *Walker) failLen(want int) {
	if w.want == 0 && w.err == nil {
		w.want = want
	}
	w.next = len(w.b)
}
