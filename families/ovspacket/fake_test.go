package ovspacket_test

import (
	"context"
	"encoding/binary"
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/ovspacket"
	"github.com/ynlgo/ynl/families/ovspacket/ovspackettest"
	"github.com/ynlgo/ynl/genl"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no openvswitch module, so these tests run the client
// against a fake kernel: an execute request must decode to what the client
// sent, fixed header included, and an upcall (miss) built by hand must
// decode to the typed values.

func TestFakeExecute(t *testing.T) {
	fake := ovspackettest.New(t)
	var got *ovspacket.Packet
	fake.HandleExecute(func(ctx context.Context, req *ovspacket.Packet) error {
		got = req // fixed header and attributes, decoded
		return nil
	})
	c := fake.Client()
	req := &ovspacket.Packet{
		OvsHeader: ovspacket.OvsHeader{DpIfindex: 9},
		Packet:    []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06},
		Key:       []byte{4, 0, 3, 0, 1, 0, 0, 0},
		Actions:   []byte{8, 0, 1, 0, 2, 0, 0, 0},
		Probe:     true,
		Mru:       genl.Some[uint16](1500),
		UpcallPID: genl.Some[uint32](4242),
	}
	if err := c.Execute(ctx(t), req); err != nil {
		t.Fatal(err)
	}
	diff(t, "execute request the kernel received", req, got)
}

func TestDecodeMissUpcall(t *testing.T) {
	var e genl.Encoder
	e.Binary(ovspacket.AttrPacketPacket, []byte{1, 2, 3, 4})
	e.Binary(ovspacket.AttrPacketKey, []byte{8, 0, 3, 0, 5, 0, 0, 0})
	e.Binary(ovspacket.AttrPacketUserdata, []byte("cookie"))
	e.Uint32(ovspacket.AttrPacketLen, 1514)
	e.Uint64(ovspacket.AttrPacketHash, 0x1_0000_abcd)
	data := append(binary.NativeEndian.AppendUint32(nil, 9), e.Bytes()...)
	n, err := ovspacket.DecodeNotification(genl.Message{Command: uint8(ovspacket.CmdMiss), Data: data})
	if err != nil {
		t.Fatal(err)
	}
	want := &ovspacket.Packet{
		OvsHeader: ovspacket.OvsHeader{DpIfindex: 9}, Packet: []byte{1, 2, 3, 4}, Key: []byte{8, 0, 3, 0, 5, 0, 0, 0},
		Userdata: []byte("cookie"), Len: genl.Some[uint32](1514), Hash: genl.Some[uint64](0x1_0000_abcd),
	}
	diff(t, "miss upcall", ovspacket.Notification{Cmd: ovspacket.CmdMiss, Msg: want}, n)
}
