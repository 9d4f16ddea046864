package netdev_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ynlgo/ynl/families/netdev"
	"github.com/ynlgo/ynl/genl"
)

// Listing the network devices of the current namespace with what XDP
// they support.
func ExampleClient_DevGetDump() {
	ctx := context.Background()
	c, err := netdev.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for d, err := range c.DevGetDump(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(d.Ifindex.Value, d.XDPFeatures.Value)
	}
}

// One device by ifindex.
func ExampleClient_DevGet() {
	ctx := context.Background()
	c, err := netdev.Dial(ctx, &genl.DialOptions{NetNSPath: "/run/netns/blue"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	d, err := c.DevGet(ctx, &netdev.Dev{Ifindex: genl.Some[uint32](1)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("lo xdp-features:", d.XDPFeatures)
}

// Watching devices come and go.
func ExampleClient_Subscribe() {
	ctx := context.Background()
	c, err := netdev.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	sub, err := c.Subscribe(ctx, netdev.GroupMgmt)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for n, err := range sub.All(ctx) {
		if err != nil {
			log.Fatal(err) // genl.ErrOverrun: notifications were lost; the stream goes on
		}
		if d, ok := n.Msg.(*netdev.Dev); ok {
			fmt.Println(n.Cmd, d.Ifindex.Value)
		}
	}
}
