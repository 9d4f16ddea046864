package dynamic

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/family"
)

// fuzzTargets are the messages FuzzDecode decodes every input as: each op's
// attribute set with its fixed header, from the test spec and (when
// YNL_SPEC_PATH has them) the kernel's specs.
func fuzzTargets(f *testing.F) []*family.Op {
	fams := []*family.Family{loadTest(f, "everything.yaml")}
	for _, dir := range family.SpecPath() {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, p := range paths {
			if fam, err := family.Load(p); err == nil {
				fams = append(fams, fam)
			}
		}
	}
	var ops []*family.Op
	for _, fam := range fams {
		for _, op := range fam.Operations.List {
			if op.AttrSet != nil {
				ops = append(ops, op)
			}
		}
	}
	return ops
}

// FuzzDecode feeds arbitrary bytes to the decoder of every op: it must
// return a value or an error, never panic, and a decoded value must marshal
// to JSON and encode again.
func FuzzDecode(f *testing.F) {
	ops := fuzzTargets(f)
	everything := loadTest(f, "everything.yaml").AttrSet("main")
	seed, err := Encode(everything, map[string]any{
		"u32": json.Number("7"), "str": "x", "inner": map[string]any{"deep": map[string]any{"level": json.Number("1")}},
		"array": []any{map[string]any{"id": json.Number("1")}}, "bits": map[string]any{"value": json.Number("1")},
		"table": []any{map[string]any{"row": json.Number("1"), "col": json.Number("2"), "id": json.Number("3")}},
		"point": map[string]any{"x": json.Number("1")}, "u32s": []any{json.Number("1")},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint16(0), seed)
	f.Add(uint16(1), []byte{8, 0, 1, 0, 1, 0, 0, 0})
	f.Add(uint16(2), []byte{12, 0, 1, 0x80, 8, 0, 1, 0, 1, 0, 0, 0})
	f.Fuzz(func(t *testing.T, which uint16, b []byte) {
		op := ops[int(which)%len(ops)]
		for _, unknown := range []bool{false, true} {
			m, err := DecodeMessage(op.FixedHeader, op.AttrSet, b, Options{ProcessUnknown: unknown})
			if err != nil {
				continue
			}
			if _, err := json.Marshal(m); err != nil {
				t.Fatalf("%s: decoded value does not marshal: %v", op.Name, err)
			}
			obj, _ := object(m)
			_, _, _ = EncodeMessage(op.FixedHeader, op.AttrSet, obj)
		}
	})
}

// FuzzEncode feeds arbitrary JSON objects to the encoder of every op, as
// users do through the CLI's --json: it must return bytes or an error,
// never panic, and bytes it returns must decode and pass through Check
// without a panic.
func FuzzEncode(f *testing.F) {
	ops := fuzzTargets(f)
	for _, s := range []string{
		`{"u32":7,"str":"x","inner":{"deep":{"level":1}}}`,
		`{"table":[{"row":1,"col":2,"id":3}],"array":[{"id":1}],"bits":{"value":["read"]}}`,
		`{"header":{"dev-name":"eth0","flags":["stats"]},"rx-count":2}`,
		`{"linkinfo":{"kind":"vlan","data":{"id":5}},"ifname":"v0"}`,
		`{"point":{"x":1,"tag":"abc","rest":"0102"},"mac":"aa:bb:cc:dd:ee:ff","ip6":"::1"}`,
	} {
		f.Add(uint16(0), s)
	}
	f.Fuzz(func(t *testing.T, which uint16, js string) {
		var v map[string]any
		d := json.NewDecoder(strings.NewReader(js))
		d.UseNumber()
		if d.Decode(&v) != nil {
			return
		}
		op := ops[int(which)%len(ops)]
		hdr, attrs, err := EncodeMessage(op.FixedHeader, op.AttrSet, v)
		if err != nil {
			return
		}
		// What encodes can be checked: an error or nil, never a panic.
		_ = Check(op.FixedHeader, op.AttrSet, v)
		body := append(append(hdr, make([]byte, align4(len(hdr))-len(hdr))...), attrs...)
		if _, err := DecodeMessage(op.FixedHeader, op.AttrSet, body, Options{}); err != nil {
			t.Fatalf("%s: encoded %s but cannot decode it: %v", op.Name, js, err)
		}
	})
}
