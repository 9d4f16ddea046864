package ovspacket

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no openvswitch module, so these tests run the client
// against a fake kernel: an execute request must decode to what the client
// sent, fixed header included, and an upcall (miss) built by hand must
// decode to the typed values.

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

func TestFakeExecute(t *testing.T) {
	got := new(Packet)
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Ops: map[uint8]genltest.Handler{uint8(CmdExecute): func(req genltest.Request) ([]genltest.Reply, error) {
			got.OvsHeader = OvsHeader{DpIfindex: binary.NativeEndian.Uint32(req.Header)}
			return nil, got.Decode(req.Attrs)
		}},
	})
	c := New(k.Conn(t))
	req := &Packet{
		OvsHeader: OvsHeader{DpIfindex: 9},
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
	e.Binary(AttrPacketPacket, []byte{1, 2, 3, 4})
	e.Binary(AttrPacketKey, []byte{8, 0, 3, 0, 5, 0, 0, 0})
	e.Binary(AttrPacketUserdata, []byte("cookie"))
	e.Uint32(AttrPacketLen, 1514)
	e.Uint64(AttrPacketHash, 0x1_0000_abcd)
	data := append(binary.NativeEndian.AppendUint32(nil, 9), e.Bytes()...)
	n, err := DecodeNotification(genl.Message{Command: uint8(CmdMiss), Data: data})
	if err != nil {
		t.Fatal(err)
	}
	want := &Packet{
		OvsHeader: OvsHeader{DpIfindex: 9}, Packet: []byte{1, 2, 3, 4}, Key: []byte{8, 0, 3, 0, 5, 0, 0, 0},
		Userdata: []byte("cookie"), Len: genl.Some[uint32](1514), Hash: genl.Some[uint64](0x1_0000_abcd),
	}
	diff(t, "miss upcall", Notification{Cmd: CmdMiss, Msg: want}, n)
}
