package binder_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/binder"
	"github.com/ynlgo/ynl/families/binder/bindertest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no binder family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (bindertest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[binder.Cmd]genltest.Handler) (*binder.Client, *genltest.Kernel) {
	t.Helper()
	f := bindertest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The binder spec has no do or dump operations: the family only reports
// failed transactions on its "report" group.

func TestFakeReport(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), binder.GroupReport)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(binder.AttrReportError, 29201) // BR_FAILED_REPLY
	e.String(binder.AttrReportContext, "binder")
	e.Uint32(binder.AttrReportFromPID, 100)
	e.Uint32(binder.AttrReportFromTid, 101)
	e.Uint32(binder.AttrReportToPID, 200)
	e.Flag(binder.AttrReportIsReply)
	e.Uint32(binder.AttrReportCode, 3)
	e.Uint32(binder.AttrReportDataSize, 0)
	if err := k.Notify(binder.FamilyName, string(binder.GroupReport), uint8(binder.CmdReport), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", binder.Notification{Cmd: binder.CmdReport, Msg: &binder.Report{
		Error: genl.Some[uint32](29201), Context: genl.Some("binder"),
		FromPID: genl.Some[uint32](100), FromTid: genl.Some[uint32](101), ToPID: genl.Some[uint32](200),
		IsReply: true, Code: genl.Some[uint32](3), DataSize: genl.Some[uint32](0),
	}}, n)
}
