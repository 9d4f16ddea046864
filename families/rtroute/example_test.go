package rtroute_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"

	"github.com/ynlgo/ynl/families/rtroute"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// Add 198.51.100.0/24 via 192.0.2.254 in routing table 1000, then list
// that table (the kernel filters the dump by table).
func Example_addRouteInTable() {
	ctx := context.Background()
	c, err := rtroute.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.Newroute(ctx, &rtroute.RouteAttrs{
		Rtmsg: rtroute.Rtmsg{RtmFamily: unix.AF_INET, RtmDstLen: 24, RtmProtocol: unix.RTPROT_STATIC,
			RtmScope: unix.RT_SCOPE_UNIVERSE, RtmType: rtroute.RtmTypeUnicast},
		Dst:     netip.MustParseAddr("198.51.100.0"),
		Gateway: netip.MustParseAddr("192.0.2.254"),
		Table:   genl.Some[uint32](1000), // rtm_table holds only 8 bits
	}, genl.Create, genl.Excl)
	if err != nil {
		log.Fatal(err)
	}
	for r, err := range c.GetrouteDump(ctx, &rtroute.RouteAttrs{Rtmsg: rtroute.Rtmsg{RtmFamily: unix.AF_INET}, Table: genl.Some[uint32](1000)}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(netip.PrefixFrom(r.Dst, int(r.Rtmsg.RtmDstLen)), "via", r.Gateway)
	}
}
