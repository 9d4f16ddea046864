package ethtool_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/ethtool/ethtooltest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// nic is a fake kernel with one 1 Gb/s copper NIC, eth0, whose linkmodes
// replies carry compact bitsets (as notifications and drivers asked for
// compact ones do), and which counts the string-set requests it answers.
func nic(strsets *atomic.Int32) *ethtooltest.Fake {
	fake, err := ethtooltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	eth0 := func() *ethtool.Header {
		return &ethtool.Header{DevIndex: genl.Some[uint32](2), DevName: genl.Some("eth0")}
	}
	fake.HandleLinkinfoGet(func(ctx context.Context, req *ethtool.Linkinfo) (*ethtool.Linkinfo, error) {
		if req.Header.DevName.Value != "eth0" {
			return nil, &genltest.Error{Errno: syscall.ENODEV, Message: "no device matches name", AttrPath: []uint16{ethtool.AttrLinkinfoHeader, ethtool.AttrHeaderDevName}}
		}
		return &ethtool.Linkinfo{Header: eth0(), Port: genl.Some(ethtool.PortTp)}, nil
	})
	// Bits 0-5 of the kernel's link modes: 10baseT/Half ... 1000baseT/Full.
	words := func(bits ...int) []byte {
		var w uint32
		for _, b := range bits {
			w |= 1 << b
		}
		return binary.NativeEndian.AppendUint32(nil, w)
	}
	fake.HandleLinkmodesGet(func(ctx context.Context, req *ethtool.Linkmodes) (*ethtool.Linkmodes, error) {
		return &ethtool.Linkmodes{
			Header: eth0(), Autoneg: genl.Some(ethtool.AutonegEnable),
			Speed: genl.Some[uint32](1000), Duplex: genl.Some(ethtool.DuplexFull), Lanes: genl.Some[uint32](1),
			Ours: &ethtool.Bitset{Size: genl.Some[uint32](6), Value: words(1, 3, 5), Mask: words(0, 1, 2, 3, 5)},
			Peer: &ethtool.Bitset{Nomask: true, Size: genl.Some[uint32](6), Value: words(3, 5)},
		}, nil
	})
	names := []string{"10baseT/Half", "10baseT/Full", "100baseT/Half", "100baseT/Full", "1000baseT/Half", "1000baseT/Full"}
	fake.HandleStrsetGet(func(ctx context.Context, req *ethtool.Strset) (*ethtool.Strset, error) {
		if strsets != nil {
			strsets.Add(1)
		}
		set := ethtool.StringsetAttrs{ID: genl.Some(uint32(ethtool.StringsetLinkModes)), Count: genl.Some(uint32(len(names))), Strings: []ethtool.Strings{{}}}
		for i, n := range names {
			set.Strings[0].String = append(set.Strings[0].String, ethtool.String{Index: genl.Some(uint32(i)), Value: genl.Some(n)})
		}
		return &ethtool.Strset{Header: &ethtool.Header{}, Stringsets: &ethtool.Stringsets{Stringset: []ethtool.StringsetAttrs{set}}}, nil
	})
	return fake
}

// A link's settings as the ethtool command shows them, with the link
// modes by name; here against a fake NIC, on a real system over
// ethtool.Dial(ctx, nil).
func ExampleClient_LinkSettings() {
	fake := nic(nil)
	defer fake.Close()
	c := fake.Client()

	s, err := c.LinkSettings(context.Background(), &ethtool.Header{DevName: genl.Some("eth0")})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name, "port", s.Port, "speed", s.Speed, "duplex", s.Duplex, "autoneg", s.Autoneg)
	fmt.Println("supported:", s.Supported)
	fmt.Println("advertised:", s.Advertised)
	fmt.Println("peer:", s.Peer)
	// Output:
	// eth0 port tp speed 1000 duplex full autoneg enable
	// supported: [10baseT/Half 10baseT/Full 100baseT/Half 100baseT/Full 1000baseT/Full]
	// advertised: [10baseT/Full 100baseT/Full 1000baseT/Full]
	// peer: [100baseT/Full 1000baseT/Full]
}

// The link-mode names are fetched once per connection; a device the
// kernel does not know fails naming the attribute.
func TestLinkSettingsCachesNames(t *testing.T) {
	var strsets atomic.Int32
	fake := nic(&strsets)
	defer fake.Close()
	c := fake.Client()
	ctx := t.Context()
	for range 3 {
		s, err := c.LinkSettings(ctx, &ethtool.Header{DevName: genl.Some("eth0")})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.Peer, []string{"100baseT/Full", "1000baseT/Full"}) {
			t.Errorf("peer %v", s.Peer)
		}
	}
	if n := strsets.Load(); n != 1 {
		t.Errorf("%d string-set requests on one connection, want 1", n)
	}
	if _, err := fake.Client().LinkModeNames(ctx); err != nil || strsets.Load() != 2 {
		t.Errorf("a second connection: %v, %d string-set requests, want 2", err, strsets.Load())
	}
	_, err := c.LinkSettings(ctx, &ethtool.Header{DevName: genl.Some("nosuch0")})
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, syscall.ENODEV) || ge.AttrPath != ".header.dev-name" {
		t.Errorf("unknown device: %v", err)
	}
}

// Testing code that uses the client without a NIC: ethtooltest serves the
// family with typed handlers (in a test, ethtooltest.New(t) ties it to
// the test). The kernel's errors, extended ACK included, reach the client
// as they would from Linux.
func Example_fake() {
	fake, err := ethtooltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer fake.Close()
	fake.HandleChannelsGet(func(ctx context.Context, req *ethtool.Channels) (*ethtool.Channels, error) {
		if req.Header.DevName.Value != "eth0" {
			return nil, &genltest.Error{Errno: syscall.ENODEV, Message: "no device matches name",
				AttrPath: []uint16{ethtool.AttrChannelsHeader, ethtool.AttrHeaderDevName}}
		}
		return &ethtool.Channels{Header: req.Header, CombinedMax: genl.Some[uint32](8), CombinedCount: genl.Some[uint32](4)}, nil
	})
	c := fake.Client()
	ctx := context.Background()

	ch, err := c.ChannelsGet(ctx, &ethtool.Channels{Header: &ethtool.Header{DevName: genl.Some("eth0")}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("eth0 combined channels:", ch.CombinedCount.Value, "of", ch.CombinedMax.Value)
	_, err = c.ChannelsGet(ctx, &ethtool.Channels{Header: &ethtool.Header{DevName: genl.Some("eth9")}})
	fmt.Println(err)
	// Output:
	// eth0 combined channels: 4 of 8
	// ethtool channels-get: no such device: no device matches name (bad attribute: .header.dev-name)
}
