package binder

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no binder family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupReport)}, Ops: ops,
	})
	return New(k.Conn(t)), k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The binder spec has no do or dump operations: the family only reports
// failed transactions on its "report" group.

func TestFakeReport(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupReport)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(AttrReportError, 29201) // BR_FAILED_REPLY
	e.String(AttrReportContext, "binder")
	e.Uint32(AttrReportFromPID, 100)
	e.Uint32(AttrReportFromTid, 101)
	e.Uint32(AttrReportToPID, 200)
	e.Flag(AttrReportIsReply)
	e.Uint32(AttrReportCode, 3)
	e.Uint32(AttrReportDataSize, 0)
	if err := k.Notify(FamilyName, string(GroupReport), uint8(CmdReport), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "notification", Notification{Cmd: CmdReport, Msg: &Report{
		Error: genl.Some[uint32](29201), Context: genl.Some("binder"),
		FromPID: genl.Some[uint32](100), FromTid: genl.Some[uint32](101), ToPID: genl.Some[uint32](200),
		IsReply: true, Code: genl.Some[uint32](3), DataSize: genl.Some[uint32](0),
	}}, n)
}
