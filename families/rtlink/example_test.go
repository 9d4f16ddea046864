package rtlink_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ynlgo/ynl/families/rtlink"
)

// List the links of the current network namespace.
func Example_listLinks() {
	ctx := context.Background()
	c, err := rtlink.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for l, err := range c.GetlinkDump(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		up := l.Ifinfomsg.IfiFlags&rtlink.IfinfoFlagsUp != 0
		fmt.Println(l.Ifinfomsg.IfiIndex, l.Ifname.Value, "mtu", l.MTU.Value, "up", up)
	}
}

// Watch links go up and down, and go away.
func Example_watchLinkState() {
	ctx := context.Background()
	c, err := rtlink.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	sub, err := c.Subscribe(ctx, rtlink.GroupRtnlgrpLink)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for n, err := range sub.All(ctx) {
		if err != nil {
			log.Fatal(err) // or note a lost notification (genl.ErrOverrun) and go on
		}
		l, ok := n.Msg.(*rtlink.LinkAttrs)
		if !ok {
			continue // a type the spec lacks: n.Raw holds it
		}
		switch n.Type {
		case uint16(rtlink.CmdNewlinkNtf):
			fmt.Println(l.Ifname.Value, "up:", l.Ifinfomsg.IfiFlags&rtlink.IfinfoFlagsUp != 0)
		case uint16(rtlink.CmdDellink):
			fmt.Println(l.Ifname.Value, "deleted")
		}
	}
}
