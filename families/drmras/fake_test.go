package drmras

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// Debian's kernels leave CONFIG_DRM_RAS off, so no kernel at hand has the
// drm-ras family: these tests run the client against a fake kernel.
// Requests must decode to what the client sent, and replies built
// attribute by attribute must decode to the typed values.

func fake(t *testing.T, ops map[uint8]genltest.Handler) *Client {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize, Ops: ops,
	})
	return New(k.Conn(t))
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

func node(id uint32, dev, name string) []byte {
	var e genl.Encoder
	e.Uint32(AttrNodeAttrsNodeID, id)
	e.String(AttrNodeAttrsDeviceName, dev)
	e.String(AttrNodeAttrsNodeName, name)
	e.Uint32(AttrNodeAttrsNodeType, uint32(NodeTypeErrorCounter))
	return e.Bytes()
}

func TestFakeListNodesDump(t *testing.T) {
	got := new(NodeAttrs)
	c := fake(t, map[uint8]genltest.Handler{
		uint8(CmdListNodes): genltest.Answer(got, node(0, "0000:03:00.0", "correctable-errors"), node(1, "0000:03:00.0", "uncorrectable-errors")),
	})
	var nodes []*NodeAttrs
	for n, err := range c.ListNodesDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, n)
	}
	want := []*NodeAttrs{
		{NodeID: genl.Some[uint32](0), DeviceName: genl.Some("0000:03:00.0"), NodeName: genl.Some("correctable-errors"), NodeType: genl.Some(NodeTypeErrorCounter)},
		{NodeID: genl.Some[uint32](1), DeviceName: genl.Some("0000:03:00.0"), NodeName: genl.Some("uncorrectable-errors"), NodeType: genl.Some(NodeTypeErrorCounter)},
	}
	diff(t, "dump", want, nodes)
	diff(t, "dump request the kernel received", &NodeAttrs{}, got)
}

func TestFakeErrorCounter(t *testing.T) {
	var e genl.Encoder
	e.Uint32(AttrErrorCounterAttrsNodeID, 1)
	e.Uint32(AttrErrorCounterAttrsErrorID, 7)
	e.String(AttrErrorCounterAttrsErrorName, "gt-ecc")
	e.Uint32(AttrErrorCounterAttrsErrorValue, 42)
	get, clear := new(ErrorCounterAttrs), new(ErrorCounterAttrs)
	c := fake(t, map[uint8]genltest.Handler{
		uint8(CmdGetErrorCounter):   genltest.Answer(get, e.Bytes()),
		uint8(CmdClearErrorCounter): genltest.Answer(clear),
	})
	req := &ErrorCounterAttrs{NodeID: genl.Some[uint32](1), ErrorID: genl.Some[uint32](7)}
	rep, err := c.GetErrorCounter(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "get request the kernel received", req, get)
	diff(t, "get reply", &ErrorCounterAttrs{NodeID: genl.Some[uint32](1), ErrorID: genl.Some[uint32](7), ErrorName: genl.Some("gt-ecc"), ErrorValue: genl.Some[uint32](42)}, rep)
	if err := c.ClearErrorCounter(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "clear request the kernel received", req, clear)
}
