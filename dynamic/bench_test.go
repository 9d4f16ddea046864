package dynamic

import (
	"encoding/json"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// The benchmarks encode and decode an ethtool-like header nest plus two
// u32s; BenchmarkEncoderBaseline does the same with genl.Encoder by hand,
// the floor the model-driven path is measured against.
const benchJSON = `{"u32":7,"str":"eth0","inner":{"id":3,"name":"eth0"}}`

func BenchmarkEncode(b *testing.B) {
	set := loadTest(b, "everything.yaml").AttrSet("main")
	v := jsonObj(b, benchJSON)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(set, v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncoderBaseline(b *testing.B) {
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		e := genl.NewEncoder(buf[:0])
		e.Uint32(3, 7)
		e.String(13, "eth0")
		n := e.Nest(28)
		e.Uint32(1, 3)
		e.String(2, "eth0")
		e.End(n)
		buf = e.Bytes()
	}
}

func BenchmarkDecode(b *testing.B) {
	set := loadTest(b, "everything.yaml").AttrSet("main")
	msg, err := Encode(set, jsonObj(b, benchJSON))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(set, msg, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeJSON(b *testing.B) {
	set := loadTest(b, "everything.yaml").AttrSet("main")
	msg, _ := Encode(set, jsonObj(b, benchJSON))
	b.ReportAllocs()
	for b.Loop() {
		m, err := Decode(set, msg, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(m); err != nil {
			b.Fatal(err)
		}
	}
}
