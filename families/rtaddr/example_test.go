package rtaddr_test

import (
	"context"
	"log"
	"net/netip"

	"github.com/ynlgo/ynl/families/rtaddr"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

// Add 192.0.2.1/24 to the device of index 2, failing if it is there.
func Example_addAddress() {
	ctx := context.Background()
	c, err := rtaddr.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	a := netip.MustParseAddr("192.0.2.1")
	err = c.Newaddr(ctx, &rtaddr.AddrAttrs{
		Ifaddrmsg: rtaddr.Ifaddrmsg{IfaFamily: unix.AF_INET, IfaPrefixlen: 24, IfaIndex: 2},
		Local:     a,
		Address:   a,
	}, genl.Create, genl.Excl)
	if err != nil {
		log.Fatal(err) // rt-addr newaddr: file exists, ...
	}
}
