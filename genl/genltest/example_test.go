//go:build linux

package genltest_test

import (
	"context"
	"fmt"

	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// A fake "demo" family whose command 1 greets the name it is sent.
func Example() {
	k := genltest.New()
	k.AddFamily(genltest.Family{Name: "demo", Version: 1, Ops: map[uint8]genltest.Handler{
		1: func(req genltest.Request) ([]genltest.Reply, error) {
			w := genl.NewWalker(req.Attrs, nil)
			var name string
			for w.Next() {
				if w.Type() == 1 {
					name = w.String()
				}
			}
			var e genl.Encoder
			e.String(1, "hello, "+name)
			return []genltest.Reply{{Attrs: e.Bytes()}}, nil
		},
	}})
	conn, err := k.NewConn() // in a test: k.Conn(t)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()

	var e genl.Encoder
	e.String(1, "gopher")
	msgs, err := conn.Do(context.Background(), &genl.Request{Family: "demo", Command: 1, Attrs: e.Bytes()})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := genl.NewWalker(msgs[0].Data, nil)
	for w.Next() {
		fmt.Println(w.String())
	}
	// Output: hello, gopher
}
