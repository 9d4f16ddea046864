package drmras_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/drmras"
	"github.com/ynlgo/ynl/families/drmras/drmrastest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// Debian's kernels leave CONFIG_DRM_RAS off, so no kernel at hand has the
// drm-ras family: these tests run the client against a fake kernel.
// Requests must decode to what the client sent, and replies built
// attribute by attribute must decode to the typed values.

// fake serves the family from its generated fake kernel (drmrastest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[drmras.Cmd]genltest.Handler) *drmras.Client {
	t.Helper()
	f := drmrastest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client()
}

func node(id uint32, dev, name string) []byte {
	var e genl.Encoder
	e.Uint32(drmras.AttrNodeAttrsNodeID, id)
	e.String(drmras.AttrNodeAttrsDeviceName, dev)
	e.String(drmras.AttrNodeAttrsNodeName, name)
	e.Uint32(drmras.AttrNodeAttrsNodeType, uint32(drmras.NodeTypeErrorCounter))
	return e.Bytes()
}

func TestFakeListNodesDump(t *testing.T) {
	got := new(drmras.NodeAttrs)
	c := fake(t, map[drmras.Cmd]genltest.Handler{
		drmras.CmdListNodes: genltest.Answer(got, node(0, "0000:03:00.0", "correctable-errors"), node(1, "0000:03:00.0", "uncorrectable-errors")),
	})
	var nodes []*drmras.NodeAttrs
	for n, err := range c.ListNodesDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, n)
	}
	want := []*drmras.NodeAttrs{
		{NodeID: genl.Some[uint32](0), DeviceName: genl.Some("0000:03:00.0"), NodeName: genl.Some("correctable-errors"), NodeType: genl.Some(drmras.NodeTypeErrorCounter)},
		{NodeID: genl.Some[uint32](1), DeviceName: genl.Some("0000:03:00.0"), NodeName: genl.Some("uncorrectable-errors"), NodeType: genl.Some(drmras.NodeTypeErrorCounter)},
	}
	diff(t, "dump", want, nodes)
	diff(t, "dump request the kernel received", &drmras.NodeAttrs{}, got)
}

func TestFakeErrorCounter(t *testing.T) {
	var e genl.Encoder
	e.Uint32(drmras.AttrErrorCounterAttrsNodeID, 1)
	e.Uint32(drmras.AttrErrorCounterAttrsErrorID, 7)
	e.String(drmras.AttrErrorCounterAttrsErrorName, "gt-ecc")
	e.Uint32(drmras.AttrErrorCounterAttrsErrorValue, 42)
	get, clear := new(drmras.ErrorCounterAttrs), new(drmras.ErrorCounterAttrs)
	c := fake(t, map[drmras.Cmd]genltest.Handler{
		drmras.CmdGetErrorCounter:   genltest.Answer(get, e.Bytes()),
		drmras.CmdClearErrorCounter: genltest.Answer(clear),
	})
	req := &drmras.ErrorCounterAttrs{NodeID: genl.Some[uint32](1), ErrorID: genl.Some[uint32](7)}
	rep, err := c.GetErrorCounter(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "get request the kernel received", req, get)
	diff(t, "get reply", &drmras.ErrorCounterAttrs{NodeID: genl.Some[uint32](1), ErrorID: genl.Some[uint32](7), ErrorName: genl.Some("gt-ecc"), ErrorValue: genl.Some[uint32](42)}, rep)
	if err := c.ClearErrorCounter(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "clear request the kernel received", req, clear)
}
