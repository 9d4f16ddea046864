package indexedarray

// This test is copied next to the generated package by the codegen
// compile test, and runs there against the fake kernel.

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// A kernel error pointing into an element of an indexed array names the
// element by its index and the attribute inside it by name.
func TestIndexedArrayErrorPath(t *testing.T) {
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName,
		Ops: map[uint8]genltest.Handler{
			uint8(CmdGet): func(req genltest.Request) ([]genltest.Reply, error) {
				off, err := offsetOf(req.Attrs, AttrArraysOps, 2, AttrOpFlags)
				if err != nil {
					return nil, err
				}
				return nil, &genltest.Error{Errno: syscall.EINVAL, Message: "bad flags", Offset: genl.Some(off)}
			},
		},
	})
	c := New(k.Conn(t))
	req := &Arrays{Ops: []Op{{ID: genl.Some[uint32](1)}, {ID: genl.Some[uint32](2), Flags: genl.Some[uint32](9)}}}
	_, err := c.Get(context.Background(), req)
	var ge *genl.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want a *genl.Error", err)
	}
	if ge.AttrPath != ".ops.2.flags" {
		t.Errorf("AttrPath = %q, want .ops.2.flags (err: %v)", ge.AttrPath, err)
	}
}

// offsetOf finds the offset, from the start of attrs, of attribute inner
// in element index of the indexed array outer.
func offsetOf(attrs []byte, outer, index, inner uint16) (int, error) {
	path := []uint16{outer, index, inner}
	base := 0
	for depth, typ := range path {
		w := genl.NewWalker(attrs, nil)
		found := false
		for w.Next() {
			if w.Type() != typ {
				continue
			}
			if depth == len(path)-1 {
				return base + w.Offset(), nil
			}
			base += w.Offset() + 4
			attrs = w.Data()
			found = true
			break
		}
		if err := w.Err(); err != nil {
			return 0, err
		}
		if !found {
			return 0, errors.New("attribute not in the request")
		}
	}
	return 0, errors.New("empty path")
}
