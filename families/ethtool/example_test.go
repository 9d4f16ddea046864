package ethtool_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/genl"
)

// Dial, a do, a dump and a subscription: the shape of every prebuilt
// family's client.
func Example() {
	ctx := context.Background()
	c, err := ethtool.Dial(ctx, nil) // nil: the current network namespace
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// A do: one request, one typed reply.
	info, err := c.LinkinfoGet(ctx, &ethtool.Linkinfo{Header: &ethtool.Header{DevName: genl.Some("eth0")}})
	if err != nil {
		log.Fatal(err) // e.g. "ethtool linkinfo-get: no such device: ... (bad attribute: .header.dev-name)"
	}
	fmt.Println("eth0 port:", info.Port)

	// A dump: an iterator over every device.
	for m, err := range c.LinkstateGetDump(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(m.Header.DevName.Value, "link:", m.Link)
	}

	// A subscription: typed notifications of the monitor group.
	sub, err := c.Subscribe(ctx, ethtool.GroupMonitor)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	n, err := sub.Receive(ctx)
	if err != nil {
		log.Fatal(err)
	}
	if f, ok := n.Msg.(*ethtool.Features); ok {
		fmt.Println("features changed on", f.Header.DevName.Value)
	}
}

// Reading features by name: the kernel names the bits of a verbose
// bitset itself; compact ones (notifications, CompactBitsets) need the
// string set.
func ExampleBitset_Names() {
	ctx := context.Background()
	c, err := ethtool.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	f, err := c.FeaturesGet(ctx, &ethtool.Features{Header: &ethtool.Header{DevName: genl.Some("eth0")}})
	if err != nil {
		log.Fatal(err)
	}
	on, err := f.Active.Names(nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("active features:", on)

	strs, err := c.StringSet(ctx, nil, ethtool.StringsetFeatures)
	if err != nil {
		log.Fatal(err)
	}
	sub, err := c.Subscribe(ctx, ethtool.GroupMonitor)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for n, err := range sub.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if f, ok := n.Msg.(*ethtool.Features); ok {
			gro, err := f.Active.Has(strs, "rx-gro")
			if err != nil {
				log.Fatal(err) // a misspelt name, or a bitset the strings do not name
			}
			fmt.Println(f.Header.DevName.Value, "rx-gro:", gro)
		}
	}
}

// Toggling a feature by name: only the named bits change.
func ExampleBitsetFromNames() {
	ctx := context.Background()
	c, err := ethtool.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	_, err = c.FeaturesSet(ctx, &ethtool.Features{
		Header: &ethtool.Header{DevName: genl.Some("eth0")},
		Wanted: ethtool.BitsetFromNames(map[string]bool{"rx-gro": false, "tx-nocache-copy": true}),
	})
	if err != nil {
		log.Fatal(err)
	}
}

// A bitset built from names reads back by name, in name order.
func ExampleBitset_Map() {
	b := ethtool.BitsetFromNames(map[string]bool{"tx-nocache-copy": true, "rx-gro": false})
	m, err := b.Map(nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m)
	on, _ := b.Names(nil)
	fmt.Println(on)
	// Output:
	// map[rx-gro:false tx-nocache-copy:true]
	// [tx-nocache-copy]
}

// Setting channel counts; absent fields are left as they are.
func ExampleClient_ChannelsSet() {
	ctx := context.Background()
	c, err := ethtool.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	hdr := &ethtool.Header{DevName: genl.Some("eth0")}
	ch, err := c.ChannelsGet(ctx, &ethtool.Channels{Header: hdr})
	if err != nil {
		log.Fatal(err)
	}
	err = c.ChannelsSet(ctx, &ethtool.Channels{Header: hdr, CombinedCount: ch.CombinedMax})
	if err != nil {
		log.Fatal(err)
	}
}
