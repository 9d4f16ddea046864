package family_test

import (
	"fmt"

	"github.com/ynlgo/ynl/family"
)

func ExampleParse() {
	spec := []byte(`name: demo
doc: A demo family.
attribute-sets:
  - name: main
    attributes:
      - name: id
        type: u32
      - name: stats
        type: nest
        nested-attributes: stats
  - name: stats
    attributes:
      - name: rx
        type: u64
operations:
  list:
    - name: get
      doc: Get the stats.
      attribute-set: main
      do:
        request:
          attributes: [id]
        reply:
          attributes: [id, stats]
`)
	f, err := family.Parse("demo.yaml", spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	get := f.Operations.Op("get")
	stats := get.Do.Reply.Attributes[1]
	fmt.Println(get.Value, stats.Name, stats.Value, stats.Nested.Attr("rx").Type)
	// Output: 1 stats 2 u64
}

func ExampleErrorList() {
	spec := []byte(`name: demo
doc: A demo family.
attribute-sets:
  - name: main
    attributes:
      - name: stats
        type: nest
        nested-attributes: no-such-set
operations:
  list:
    - name: get
      doc: Get.
      attribute-set: main
      do:
        request:
          attributes: [id]
`)
	_, err := family.Parse("demo.yaml", spec)
	fmt.Println(err)
	// Output:
	// demo.yaml:8:28: attribute-sets[main].attributes[stats]: nested-attributes "no-such-set" is not defined
	// demo.yaml:16:24: operations.list[get].do.request: attribute "id" is not in attribute set "main"
}
