package tc_test

import (
	"context"
	"log"

	"github.com/ynlgo/ynl/families/tc"
	"github.com/ynlgo/ynl/genl"
)

// Shape the device of index 2 to 1 Mbit/s with a tbf root qdisc, as
// `tc qdisc add dev DEV root handle 1: tbf rate 1mbit burst 4000 limit 10000`.
func Example_addQdisc() {
	ctx := context.Background()
	c, err := tc.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	err = c.Newqdisc(ctx, &tc.Attrs{
		Tcmsg: tc.Tcmsg{Ifindex: 2, Handle: 1 << 16, Parent: 0xffffffff /* TC_H_ROOT */},
		Kind:  genl.Some("tbf"),
		Options: &tc.OptionsMsg{Tbf: &tc.TbfAttrs{
			// 125000 bytes/s on an Ethernet link; buffer in scheduler ticks.
			Parms: &tc.TbfQopt{Rate: tc.Ratespec{Rate: 125000, Linklayer: 1}, Limit: 10000, Buffer: 500000},
			Burst: genl.Some[uint32](4000),
		}},
	}, genl.Create, genl.Excl)
	if err != nil {
		log.Fatal(err)
	}
}
