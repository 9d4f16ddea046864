package dynamic

import (
	"testing"
)

func TestEverythingRoundTrip(t *testing.T) {
	f := loadTest(t, "everything.yaml")
	set := f.AttrSet("main")
	in := `{"u8":255,"u16":65535,"u32":4294967295,"u64":18446744073709551615,` +
		`"s8":-128,"s16":-32768,"s32":-2147483648,"s64":-9223372036854775808,` +
		`"uint":4294967296,"sint":-2147483649,"be16":4660,"be32":305419896,` +
		`"str":"hello","bin":"00ff10","mac":"aa:bb:cc:dd:ee:ff","ip4":"192.0.2.1",` +
		`"ip6":"2001:db8::1","uuid":"12345678-9abc-def0-1234-56789abcdef0",` +
		`"ip4num":"10.1.2.3","hexnum":"0x1f",` +
		`"point":{"x":1,"y":-2,"tag":"abc","reserved":0,"port":8080,"hue":"blue","rest":"010203"},` +
		`"u32s":[1,2,3],"flag":true,"bits":{"value":["exec","read"],"selector":["exec","read","write"]},` +
		`"color":"green","perms":["write",64],"color-mask":["blue","red"],` +
		`"inner":{"id":7,"name":"x","deep":{"level":3}},"many":[1,2,3],` +
		`"inners":[{"id":1},{"id":2,"name":"two"}],"array":[{"1":{"id":10}},{"2":{"name":"b"}}],` +
		`"u16-array":[5,6],"table":[{"row":1,"col":2,"id":12},{"row":1,"col":3,"id":13},{"row":4,"col":1,"name":"n"}]}`
	b, err := Encode(set, jsonObj(t, in))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Decode(set, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, m); got != in {
		t.Errorf("round trip:\n got %s\nwant %s", got, in)
	}
	b2, err := Encode(set, jsonObj(t, mustJSON(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if string(b2) != string(b) {
		t.Errorf("re-encoding the decoded value changed the bytes:\n%x\n%x", b, b2)
	}
}
