package kitchensink_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/internal/kitchensink"
)

// Example shows the shape of a generated client: a do op, a dump, request
// flags, and a subscription. (The kitchensink family exists in no kernel;
// the same calls work on every generated family.)
func Example() {
	ctx := context.Background()
	c, err := kitchensink.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// A do op: the request and the reply are the struct of the op's set.
	obj, err := c.Get(ctx, &kitchensink.Attrs{
		KsHeader: kitchensink.KsHeader{Ifindex: 2},
		U32:      genl.Some[uint32](0), // an explicit zero is sent
	})
	var verr *genl.ValidationError
	switch {
	case errors.As(err, &verr):
		log.Fatalf("bad request: %v", err) // caught before sending
	case err != nil:
		log.Fatal(err) // a *genl.Error naming the attribute, e.g. ".name"
	}
	fmt.Println(obj.Name.Or("<no name>"), obj.Color.Value)

	// A dump: an iterator.
	for obj, err := range c.GetDump(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(obj.U32)
	}

	// Request flags for one call.
	if err := c.Set(genl.WithFlags(ctx, netlink.Create|netlink.Excl), &kitchensink.Attrs{Name: genl.Some("x")}); err != nil {
		log.Fatal(err)
	}

	// Notifications of a multicast group, typed by op.
	sub, err := c.Subscribe(ctx, kitchensink.GroupEvents)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for n, err := range sub.All(ctx) {
		if err != nil {
			log.Print(err) // e.g. genl.ErrOverrun; the stream goes on
			continue
		}
		switch m := n.Msg.(type) {
		case *kitchensink.Attrs:
			fmt.Println("changed:", m.Name)
		case *kitchensink.Inner:
			fmt.Println("alarm:", m.ID)
		}
	}
}
