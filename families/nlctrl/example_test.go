package nlctrl_test

import (
	"context"
	"fmt"
	"log"

	"github.com/ynlgo/ynl/families/ethtool"
	"github.com/ynlgo/ynl/families/nlctrl"
	"github.com/ynlgo/ynl/genl"
)

// Listing the generic netlink families the kernel has, with their ops.
func ExampleClient_GetfamilyDump() {
	ctx := context.Background()
	c, err := nlctrl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	for f, err := range c.GetfamilyDump(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s id %d, %d ops\n", f.FamilyName.Value, f.FamilyID.Value, len(f.Ops))
		for _, op := range f.Ops {
			fmt.Printf("  op %d: %v\n", op.ID.Value, op.Flags.Value) // e.g. "cmd-cap-do|cmd-cap-haspol"
		}
	}
}

// Looking up one family by name.
func ExampleClient_Getfamily() {
	ctx := context.Background()
	c, err := nlctrl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	f, err := c.Getfamily(ctx, &nlctrl.CtrlAttrs{FamilyName: genl.Some("ethtool")})
	if err != nil {
		log.Fatal(err) // ENOENT when the family is not registered
	}
	for _, g := range f.McastGroups {
		fmt.Println(g.Name.Value, g.ID.Value)
	}
}

// Reading the attribute policy of one op of a family: which types and
// bounds the kernel checks requests against.
func ExampleClient_GetpolicyDump() {
	ctx := context.Background()
	c, err := nlctrl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	req := &nlctrl.CtrlAttrs{FamilyName: genl.Some(ethtool.FamilyName), Op: genl.Some(uint32(ethtool.CmdLinkinfoGet))}
	for m, err := range c.GetpolicyDump(ctx, req) {
		if err != nil {
			log.Fatal(err)
		}
		for idx, attrs := range m.Policy {
			for typ, p := range attrs {
				fmt.Printf("policy %d attr %d: %v max-length %v\n", idx, typ, p.Type, p.MaxLength)
			}
		}
	}
}
