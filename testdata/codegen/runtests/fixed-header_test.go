package fixedheader

// This test is copied next to the generated package by the codegen
// compile test, and runs there against the fake kernel.

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

func TestFixedHeaders(t *testing.T) {
	ctx := context.Background()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, HeaderSize: HeaderSize,
		Ops: map[uint8]genltest.Handler{
			uint8(CmdGet): func(req genltest.Request) ([]genltest.Reply, error) {
				if got := binary.NativeEndian.Uint32(req.Header); got != 7 {
					t.Errorf("dp-ifindex %d, want 7", got)
				}
				var e genl.Encoder
				e.String(AttrDatapathName, "dp0")
				return []genltest.Reply{{Header: req.Header, Attrs: e.Bytes()}}, nil
			},
		},
	})
	c := New(k.Conn(t))
	rep, err := c.Get(ctx, &Datapath{DpHeader: DpHeader{DpIfindex: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.DpHeader.DpIfindex != 7 || rep.Name.Value != "dp0" {
		t.Errorf("reply %+v", rep)
	}
	b, _ := (&BigHeader{ID: 1, Port: 0x0102}).MarshalBinary()
	if len(b) != BigHeaderSize || b[8] != 1 || b[9] != 2 {
		t.Errorf("big-header % x", b)
	}
}
