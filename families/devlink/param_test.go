package devlink

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/ynlgo/ynl/genl"
)

// The kernel's devlink_nl_param_value_put writes a value as its
// param-type's netlink type: ParamData must give each back typed, and
// EncodeParamData must write what the kernel reads.
func TestParamData(t *testing.T) {
	u32 := binary.NativeEndian.AppendUint32(nil, 1234)
	u64 := binary.NativeEndian.AppendUint64(nil, 1<<40)
	for _, c := range []struct {
		t         VarAttrType
		data      []byte
		asDefault bool
		want      any
	}{
		{VarAttrTypeU8, []byte{7}, false, uint8(7)},
		{VarAttrTypeU16, binary.NativeEndian.AppendUint16(nil, 300), false, uint16(300)},
		{VarAttrTypeU32, u32, false, uint32(1234)},
		{VarAttrTypeU64, u64, false, uint64(1 << 40)},
		{VarAttrTypeString, []byte("abc\x00"), false, "abc"},
		{VarAttrTypeFlag, []byte{}, false, true},
		{VarAttrTypeFlag, nil, false, false},
		{VarAttrTypeFlag, []byte{0}, true, false},
		{VarAttrTypeFlag, []byte{1}, true, true},
	} {
		got, err := ParamData(c.t, c.data, c.asDefault)
		if err != nil || got != c.want {
			t.Errorf("ParamData(%s, %x, %v) = %T %v, %v; want %T %v", c.t, c.data, c.asDefault, got, got, err, c.want, c.want)
		}
		if c.asDefault || c.want == false {
			continue
		}
		enc, send, err := EncodeParamData(c.t, c.want)
		if err != nil || !send || string(enc) != string(c.data) {
			t.Errorf("EncodeParamData(%s, %v) = %x, %v, %v; want %x", c.t, c.want, enc, send, err, c.data)
		}
	}
	if _, send, err := EncodeParamData(VarAttrTypeFlag, false); err != nil || send {
		t.Errorf("EncodeParamData(flag, false): send %v, %v; want no attribute", send, err)
	}
	for _, c := range []struct {
		t    VarAttrType
		data []byte
		want string
	}{
		{VarAttrTypeU32, []byte{1, 2}, "2 bytes for a u32, want 4"},
		{VarAttrTypeFlag, []byte{1}, "1 bytes for a flag, want none"},
		{VarAttrTypeBinary, []byte{1}, "not decoded"},
	} {
		if _, err := ParamData(c.t, c.data, false); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParamData(%s, %x): %v, want an error with %q", c.t, c.data, err, c.want)
		}
	}
	if _, _, err := EncodeParamData(VarAttrTypeU8, uint32(1)); err == nil {
		t.Error("EncodeParamData(u8, uint32): no error")
	}
}

// Values names the value that does not fit its type.
func TestParamValuesError(t *testing.T) {
	p := &DlParam{ParamName: genl.Some("x"), ParamType: genl.Some(VarAttrTypeU32),
		ParamValuesList: &DlParamValuesList{ParamValue: []DlParamValue{{ParamValueData: []byte{1}}}}}
	_, err := p.Values()
	if err == nil || !strings.Contains(err.Error(), `param "x": param-values-list.param-value[0].param-value-data: 1 bytes for a u32`) {
		t.Errorf("Values: %v", err)
	}
}
