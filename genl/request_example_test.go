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
	exLinkinfoGet    = 2 // ETHTOOL_MSG_LINKINFO_GET
	exLinkinfoHeader = 1 // ETHTOOL_A_LINKINFO_HEADER
	exHeaderDevName  = 2 // ETHTOOL_A_HEADER_DEV_NAME
)

// exampleNames names the attributes of the request in errors, as generated code
// does.
var exampleNames = &genl.NameTable{
	Names:  []string{exLinkinfoHeader: "header"},
	Nested: []*genl.NameTable{exLinkinfoHeader: {Names: []string{exHeaderDevName: "dev-name"}}},
}

func ExampleConn_Do() {
	ctx := context.Background()
	c, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	var e genl.Encoder
	h := e.Nest(exLinkinfoHeader)
	e.String(exHeaderDevName, "eth0")
	e.End(h)
	msgs, err := c.Do(ctx, &genl.Request{
		Family: "ethtool", Command: exLinkinfoGet,
		Attrs: e.Bytes(), OpName: "linkinfo-get", Names: exampleNames,
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
	e.End(e.Nest(exLinkinfoHeader)) // an empty header: every device
	req := &genl.Request{Family: "ethtool", Command: exLinkinfoGet, Attrs: e.Bytes()}
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
