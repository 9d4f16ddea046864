package dynamic

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/kitchensink"
)

// TestCheckAgreesWithGenerated checks Check rejects exactly what the
// generated Validate of the same spec rejects, with the same message: each
// request is encoded here, decoded by the generated codec and validated by
// both.
func TestCheckAgreesWithGenerated(t *testing.T) {
	f, err := family.Parse("kitchensink", kitchensink.Descriptor())
	if err != nil {
		t.Fatal(err)
	}
	set := f.AttrSet("kitchensink")
	for _, tt := range []struct{ in, want string }{
		{`{"name":"fifteen-chars-x","blob":"0102","percent":100,"level":1,"key":"00112233445566778899aabbccddeeff"}`, ""},
		{`{"level":10}`, ""},
		{`{"name":"a-name-of-16-chr"}`, "check .name: longer than 15 (max-name-len) bytes"},
		{`{"blob":"01"}`, "check .blob: shorter than 2 bytes"},
		{`{"blob":"` + strings.Repeat("00", 33) + `"}`, "check .blob: longer than 32 bytes"},
		{`{"percent":101}`, "check .percent: greater than 100"},
		{`{"level":0}`, "check .level: less than 1"},
		{`{"level":-5}`, "check .level: less than 1"},
		{`{"level":11}`, "check .level: greater than 10"},
		{`{"key":"00"}`, "check .key: not 16 bytes long"},
		{`{"inner":{"child":{"percent":200}}}`, "check .inner.child.percent: greater than 100"},
		{`{"inners":[{"percent":1},{"percent":200}]}`, "check .inners[1].percent: greater than 100"},
		{`{"idx-inner":[{"percent":1},{"percent":200}]}`, "check .idx-inner[1].percent: greater than 100"},
	} {
		var v map[string]any
		d := json.NewDecoder(strings.NewReader(tt.in))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		b, err := Encode(set, v)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		var m kitchensink.Attrs
		if err := m.Decode(b); err != nil {
			t.Fatalf("%s: generated decode: %v", tt.in, err)
		}
		gen, dyn := m.Validate(), Check(nil, set, v)
		if (gen == nil) != (dyn == nil) {
			t.Errorf("%s: generated Validate %v, Check %v: they disagree", tt.in, gen, dyn)
			continue
		}
		if dyn == nil {
			if tt.want != "" {
				t.Errorf("%s: Check passed, want %s", tt.in, tt.want)
			}
			continue
		}
		if dyn.Error() != tt.want {
			t.Errorf("%s: Check = %v, want %s", tt.in, dyn, tt.want)
		}
		if msg := func(e error) string { s := e.Error(); return s[strings.LastIndex(s, ": ")+2:] }; msg(gen) != msg(dyn) {
			t.Errorf("%s: generated says %q, Check %q", tt.in, gen, dyn)
		}
	}
}

// TestCheckFlagsMaskAndLimits covers what the kitchen-sink spec lacks: a
// flags mask, a limit named by a type bound, enums given by name,
// multi-attr scalars and the format a sub-message's selector picks.
func TestCheckFlagsMaskAndLimits(t *testing.T) {
	spec := `
name: chk
protocol: netlink-raw
protonum: 0
doc: Checks.
definitions:
  - name: fl
    type: flags
    entries: [a, b]
  - name: col
    type: enum
    entries: [red, green, blue]
attribute-sets:
  - name: main
    attributes:
      - name: masked
        type: u32
        checks:
          flags-mask: fl
      - name: big
        type: u64
        checks:
          max: u32-max
      - name: col
        type: u32
        enum: col
        checks:
          max: 1
      - name: multi
        type: u16
        multi-attr: true
        checks:
          min: 5
      - name: kind
        type: string
      - name: data
        type: sub-message
        sub-message: link-data
        selector: kind
  - name: vlan-attrs
    attributes:
      - name: id
        type: u16
        checks:
          max: 4094
sub-messages:
  - name: link-data
    formats:
      - value: vlan
        attribute-set: vlan-attrs
      - value: dummy
operations:
  list:
    - name: get
      doc: Get.
      attribute-set: main
      value: 18
      do:
        request:
          attributes: [masked, big, col, multi, kind, data]
`
	f, err := family.Parse("chk.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	set := f.AttrSet("main")
	for _, tt := range []struct{ in, want string }{
		{`{"masked":3,"big":4294967295,"col":"green","multi":[5,6]}`, ""},
		{`{"masked":4}`, "check .masked: has bits outside the fl flags"},
		{`{"big":4294967296}`, "check .big: greater than 4294967295 (u32-max)"},
		{`{"col":"blue"}`, "check .col: greater than 1"},
		{`{"multi":[5,4]}`, "check .multi[1]: less than 5"},
		{`{"kind":"vlan","data":{"id":4094}}`, ""},
		{`{"kind":"vlan","data":{"id":4095}}`, "check .data.id: greater than 4094"},
		{`{"kind":"dummy","data":{}}`, ""},
	} {
		var v map[string]any
		d := json.NewDecoder(strings.NewReader(tt.in))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if _, err := Encode(set, v); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		err := Check(nil, set, v)
		if got := errText(err); got != tt.want {
			t.Errorf("%s: Check = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
