package devlink

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// A parameter's value has the type its param-type names, two nests above
// the value (see overlay.yaml), so the generated DlParamValue holds the
// bytes; the methods here give them their type, as the kernel's
// devlink_nl_param_value_put writes them.

// ParamValue is one value of a parameter, in one configuration mode, typed
// by the parameter's param-type: uint8, uint16, uint32, uint64, string or
// bool.
type ParamValue struct {
	Cmode ParamCmode
	Value any
	// Default is the value a param-set with param-reset-default restores,
	// nil when the kernel reports none.
	Default any
}

// Values returns the parameter's values, typed by its param-type. It fails
// naming the value when the type is missing or the bytes do not fit it.
func (p *DlParam) Values() ([]ParamValue, error) {
	if p == nil || p.ParamValuesList == nil {
		return nil, nil
	}
	if !p.ParamType.Valid {
		return nil, fmt.Errorf("devlink: param %q: no param-type to type its values with", p.ParamName.Value)
	}
	t := p.ParamType.Value
	out := make([]ParamValue, 0, len(p.ParamValuesList.ParamValue))
	for i, v := range p.ParamValuesList.ParamValue {
		val, err := ParamData(t, v.ParamValueData, false)
		if err != nil {
			return nil, fmt.Errorf("devlink: param %q: param-values-list.param-value[%d].param-value-data: %w", p.ParamName.Value, i, err)
		}
		pv := ParamValue{Cmode: v.ParamValueCmode.Value, Value: val}
		if v.ParamValueDefault != nil {
			if pv.Default, err = ParamData(t, v.ParamValueDefault, true); err != nil {
				return nil, fmt.Errorf("devlink: param %q: param-values-list.param-value[%d].param-value-default: %w", p.ParamName.Value, i, err)
			}
		}
		out = append(out, pv)
	}
	return out, nil
}

// Value returns the parameter's value in the configuration mode, typed,
// and whether the kernel reported one.
func (p *DlParam) Value(cmode ParamCmode) (any, bool, error) {
	vals, err := p.Values()
	if err != nil {
		return nil, false, err
	}
	for _, v := range vals {
		if v.Cmode == cmode {
			return v.Value, true, nil
		}
	}
	return nil, false, nil
}

// ParamData decodes the payload of a param-value-data attribute of type t.
// A bool is a flag, present when true (data is nil for false), except in a
// default value (asDefault), where it is a u8 so false can be told from
// none.
func ParamData(t VarAttrType, data []byte, asDefault bool) (any, error) {
	size := func(n int) error {
		if len(data) != n {
			return fmt.Errorf("%d bytes for a %s, want %d", len(data), t, n)
		}
		return nil
	}
	switch t {
	case VarAttrTypeU8:
		if err := size(1); err != nil {
			return nil, err
		}
		return data[0], nil
	case VarAttrTypeU16:
		if err := size(2); err != nil {
			return nil, err
		}
		return binary.NativeEndian.Uint16(data), nil
	case VarAttrTypeU32:
		if err := size(4); err != nil {
			return nil, err
		}
		return binary.NativeEndian.Uint32(data), nil
	case VarAttrTypeU64:
		if err := size(8); err != nil {
			return nil, err
		}
		return binary.NativeEndian.Uint64(data), nil
	case VarAttrTypeString, VarAttrTypeNulString:
		if i := bytes.IndexByte(data, 0); i >= 0 {
			data = data[:i]
		}
		return string(data), nil
	case VarAttrTypeFlag:
		if asDefault {
			if err := size(1); err != nil {
				return nil, err
			}
			return data[0] != 0, nil
		}
		if len(data) != 0 {
			return nil, fmt.Errorf("%d bytes for a flag, want none", len(data))
		}
		return data != nil, nil
	}
	return nil, fmt.Errorf("param-type %s (%d) is not decoded", t, uint8(t))
}

// EncodeParamData returns v as the payload of param-set's param-value-data
// for a parameter of type t, and whether the attribute is sent at all (a
// false bool is the flag's absence). v is a uint8, uint16, uint32, uint64,
// string or bool matching t.
func EncodeParamData(t VarAttrType, v any) ([]byte, bool, error) {
	var b []byte
	switch x := v.(type) {
	case uint8:
		if t == VarAttrTypeU8 {
			return []byte{x}, true, nil
		}
	case uint16:
		if t == VarAttrTypeU16 {
			return binary.NativeEndian.AppendUint16(b, x), true, nil
		}
	case uint32:
		if t == VarAttrTypeU32 {
			return binary.NativeEndian.AppendUint32(b, x), true, nil
		}
	case uint64:
		if t == VarAttrTypeU64 {
			return binary.NativeEndian.AppendUint64(b, x), true, nil
		}
	case string:
		if t == VarAttrTypeString || t == VarAttrTypeNulString {
			return append([]byte(x), 0), true, nil
		}
	case bool:
		if t == VarAttrTypeFlag {
			return []byte{}, x, nil
		}
	}
	return nil, false, fmt.Errorf("devlink: a %T value for a param of type %s", v, t)
}
