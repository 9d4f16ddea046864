package dynamic_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
)

// Encode a request given as JSON, then decode it back: values come out in
// spec order, enums by name.
func Example() {
	f, err := family.Load("testdata/everything.yaml")
	if err != nil {
		panic(err)
	}
	set := f.AttrSet("main")

	var req map[string]any
	d := json.NewDecoder(strings.NewReader(`{"inner":{"id":7},"color":"blue","u16":300}`))
	d.UseNumber() // keep 64-bit values exact
	if err := d.Decode(&req); err != nil {
		panic(err)
	}
	b, err := dynamic.Encode(set, req)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d bytes\n", len(b))

	m, err := dynamic.Decode(set, b, dynamic.Options{})
	if err != nil {
		panic(err)
	}
	out, _ := json.Marshal(m)
	fmt.Println(string(out))

	_, err = dynamic.Encode(set, map[string]any{"inner": map[string]any{"id": -1}})
	fmt.Println(err)
	// Output:
	// 28 bytes
	// {"u16":300,"color":"blue","inner":{"id":7}}
	// encode .inner.id: value -1 out of range for u32
}
