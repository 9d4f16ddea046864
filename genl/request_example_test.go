package genl_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"syscall"
	"time"

	"github.com/ynlgo/ynl/genl"
)

// ethtool's numbers for the examples (linux/ethtool_netlink.h).
const (
	ethtoolMsgLinkinfoGet = 2 // ETHTOOL_MSG_LINKINFO_GET
	ethtoolALinkinfoHdr   = 1 // ETHTOOL_A_LINKINFO_HEADER
	ethtoolAHeaderDevName = 2 // ETHTOOL_A_HEADER_DEV_NAME
)

// names names the attributes of the request in errors, as generated code
// does.
var names = &genl.NameTable{
	Names:  []string{ethtoolALinkinfoHdr: "header"},
	Nested: []*genl.NameTable{ethtoolALinkinfoHdr: {Names: []string{ethtoolAHeaderDevName: "dev-name"}}},
}

func ExampleConn_Do() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var e genl.Encoder
	h := e.Nest(ethtoolALinkinfoHdr)
	e.String(ethtoolAHeaderDevName, "eth0")
	e.End(h)
	msgs, err := c.Do(ctx, &genl.Request{
		Family: "ethtool", Command: ethtoolMsgLinkinfoGet,
		Attrs: e.Bytes(), OpName: "linkinfo-get", Names: names,
	})
	var ge *genl.Error
	switch {
	case errors.Is(err, syscall.ENODEV):
		// ethtool linkinfo-get: no such device: ... (bad attribute: .header.dev-name)
		fmt.Println(err)
	case errors.As(err, &ge):
		fmt.Println("kernel error:", ge.Errno, ge.Message, ge.AttrPath)
	case errors.Is(err, os.ErrNotExist):
		fmt.Println("no ethtool family:", err)
	case err != nil:
		log.Fatal(err)
	}
	for _, m := range msgs {
		fmt.Printf("reply: cmd %d, %d bytes\n", m.Command, len(m.Data))
	}
}

func ExampleConn_Dump() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var e genl.Encoder
	e.End(e.Nest(ethtoolALinkinfoHdr)) // an empty header: every device
	req := &genl.Request{Family: "ethtool", Command: ethtoolMsgLinkinfoGet, Attrs: e.Bytes()}
	for m, err := range c.Dump(ctx, req) {
		if errors.Is(err, genl.ErrDumpInterrupted) {
			log.Print("devices changed during the dump; retry for a consistent view")
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		// m.Data is reused by the next iteration: decode or copy it here.
		w := genl.NewWalker(m.Data, nil)
		for w.Next() {
			fmt.Println("attribute", w.Type())
		}
	}
}

func ExampleConn_Subscribe() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	sub, err := c.Subscribe(ctx, "ethtool", "monitor")
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for m, err := range sub.All(ctx) {
		if errors.Is(err, genl.ErrOverrun) {
			log.Print("notifications were lost; resynchronise with a dump")
			continue
		}
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s notification, cmd %d\n", m.Family, m.Command)
	}
}
