package dynamic

import (
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// deepSpec has a set that nests itself, as ovs_flow's action-attrs does
// through clone.
const deepSpec = `
name: deep
doc: A set that nests itself.
protocol: genetlink
attribute-sets:
  - name: act
    attributes:
      - name: clone
        type: nest
        nested-attributes: act
      - name: out
        type: u32
operations:
  list:
    - name: get
      doc: Get.
      attribute-set: act
      do:
        request:
          attributes: [clone, out]
`

// deepNest returns a clone nest depth levels deep holding an out.
func deepNest(depth int) []byte {
	var e genl.Encoder
	toks := make([]int, depth)
	for i := range toks {
		toks[i] = e.Nest(1)
	}
	e.Uint32(2, 7)
	for i := depth - 1; i >= 0; i-- {
		e.End(toks[i])
	}
	return e.Bytes()
}

func loadDeep(t testing.TB) *family.AttrSet {
	t.Helper()
	f, err := family.Parse("deep.yaml", []byte(deepSpec))
	if err != nil {
		t.Fatal(err)
	}
	return f.AttrSet("act")
}

// decodeAndPrint decodes b and prints it as the CLI does and, with std,
// through encoding/json too (which refuses more than 10,000 levels).
func decodeAndPrint(t testing.TB, set *family.AttrSet, b []byte, std bool) (int, error) {
	m, err := Decode(set, b, Options{})
	if err != nil {
		return 0, err
	}
	out, err := AppendJSON(nil, m, PythonJSON)
	if err != nil || !std {
		return len(out), err
	}
	js, err := json.Marshal([]*Map{m})
	return len(out) + len(js), err
}

// allocated returns the bytes allocated by fn.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDeepNestLinear decodes and prints nests 2,000 and 8,000 deep and
// requires the work (bytes allocated, which a re-encoding of every level
// makes grow with the square of the depth) to grow no faster than about
// the depth: 4x deeper may cost at most 8x, where quadratic costs 16x.
func TestDeepNestLinear(t *testing.T) {
	set := loadDeep(t)
	small, big := deepNest(2000), deepNest(8000)
	var n int
	var err error
	cost := func(b []byte) uint64 {
		return allocated(func() { n, err = decodeAndPrint(t, set, b, true) })
	}
	cs := cost(small)
	if err != nil {
		t.Fatal(err)
	}
	cb := cost(big)
	if err != nil {
		t.Fatal(err)
	}
	if want := 8000 * len(`{"clone": `); n < want {
		t.Fatalf("printed %d bytes for 8000 levels, want at least %d", n, want)
	}
	if ratio := float64(cb) / float64(cs); ratio > 8 {
		t.Errorf("8000 levels allocate %.1fx what 2000 do (%d vs %d bytes): decoding or printing is not linear in the depth", ratio, cb, cs)
	}
}

// TestDeepNestMax decodes and prints the deepest nest a 16-bit nla_len
// allows (16,000 levels of 4-byte headers).
func TestDeepNestMax(t *testing.T) {
	set := loadDeep(t)
	b := deepNest(16000)
	if len(b) > 0xffff {
		t.Fatalf("test nest is %d bytes", len(b))
	}
	n, err := decodeAndPrint(t, set, b, false)
	if err != nil {
		t.Fatal(err)
	}
	if n < 16000*10 {
		t.Errorf("printed only %d bytes", n)
	}
}

func BenchmarkDeepNestJSON(b *testing.B) {
	set := loadDeep(b)
	for _, depth := range []int{1000, 4000, 16000} {
		msg := deepNest(depth)
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeAndPrint(b, set, msg, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
