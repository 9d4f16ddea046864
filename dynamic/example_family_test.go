package dynamic_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/families/netdev"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Open a family from a built-in descriptor and dump it, as
// `ynl --family netdev --dump dev-get --output-json` does.
func ExampleOpenDescriptor() {
	ctx := context.Background()
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	f, err := dynamic.OpenDescriptor(conn, "netdev", netdev.Descriptor(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for dev, err := range f.Dump(ctx, "dev-get", nil) {
		if err != nil {
			log.Fatal(err)
		}
		out, _ := dynamic.AppendJSON(nil, dev, dynamic.PythonJSON)
		fmt.Println(string(out)) // {"ifindex": 1, "xdp-features": [], ...}
	}
}

// Open a family from a spec file and run a do: kernel errors name the
// offending attribute in spec names.
func ExampleFamily_Do() {
	ctx := context.Background()
	spec, err := family.LoadByName("ethtool")
	if err != nil {
		log.Fatal(err)
	}
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	f, err := dynamic.Open(conn, spec, &dynamic.Options{ProcessUnknown: true})
	if err != nil {
		log.Fatal(err)
	}
	replies, err := f.Do(ctx, "linkinfo-get", map[string]any{"header": map[string]any{"dev-name": "nosuchdev"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err) // ethtool linkinfo-get: no such device: ... (bad attribute: .header.dev-name)
		return
	}
	fmt.Println(dynamic.ReplyValue(replies))
}

// Subscribe to a group by its kernel name and print notifications as
// pyynl does.
func ExampleFamily_Subscribe() {
	ctx := context.Background()
	conn, err := genl.Dial(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	f, err := dynamic.OpenDescriptor(conn, "netdev", netdev.Descriptor(), nil)
	if err != nil {
		log.Fatal(err)
	}
	sub, err := f.Subscribe(ctx, "mgmt")
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	for n, err := range sub.All(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		out, _ := dynamic.AppendJSON(nil, n.Value(), dynamic.PythonJSON)
		fmt.Println(string(out)) // {"name": "dev-add-ntf", "msg": {...}}
	}
}
