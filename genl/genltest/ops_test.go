//go:build linux

package genltest_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// An AttrPath error reports the attribute's offset, so the client names
// it as the kernel's extended ACK would.
func TestErrorAttrPath(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdFail: func(req genltest.Request) ([]genltest.Reply, error) {
		return nil, &genltest.Error{Errno: syscall.ENODEV, Message: "no device", AttrPath: []uint16{attrNest, 2}}
	}})
	attrs := encode(func(e *genl.Encoder) {
		e.String(attrName, "x")
		n := e.Nest(attrNest)
		e.Uint32(1, 7)
		e.String(2, "nosuchdev0")
		e.End(n)
	})
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdFail, Attrs: attrs, Names: demoNames})
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, syscall.ENODEV) || ge.AttrPath != ".header.dev-name" {
		t.Fatalf("err = %v (%+v)", err, ge)
	}
	// A path the request lacks reports no attribute.
	_, err = c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdFail, Attrs: encode(func(e *genl.Encoder) { e.String(attrName, "x") }), Names: demoNames})
	if !errors.As(err, &ge) || ge.AttrPath != "" || ge.Offset != -1 {
		t.Fatalf("err = %v (%+v)", err, ge)
	}
}

// Ops routes dos and dumps to the handlers set, passes the request in
// the context, and names the op when no handler is set.
func TestOps(t *testing.T) {
	ops := &genltest.Ops{Family: "demo", Names: map[uint8]string{cmdEcho: "echo"}}
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdEcho: ops.Serve})
	ops.Set(cmdEcho, true, func(ctx context.Context, r genltest.Request) ([]genltest.Reply, error) {
		req, ok := genltest.RequestOf(ctx)
		if !ok || !req.Dump || r.Command != cmdEcho {
			t.Errorf("RequestOf = %+v, %v", req, ok)
		}
		return []genltest.Reply{{Attrs: r.Attrs}, {Attrs: r.Attrs}}, nil
	})
	n := 0
	for _, err := range c.Dump(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("dump gave %d messages, want 2", n)
	}
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho})
	var ge *genl.Error
	if !errors.Is(err, syscall.EOPNOTSUPP) || !errors.As(err, &ge) || ge.Message != "demo fake: no handler set for the do of echo" {
		t.Errorf("do without a handler: %v", err)
	}
	ops.Set(cmdEcho, true, nil)
	for _, err := range c.Dump(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho}) {
		if !errors.Is(err, syscall.EOPNOTSUPP) {
			t.Errorf("dump after removing its handler: %v", err)
		}
	}
}
