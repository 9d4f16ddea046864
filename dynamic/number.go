package dynamic

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// number is an integer of either sign, exact for all of int64 and uint64.
type number struct {
	neg bool
	abs uint64
}

// toNumber converts a JSON-ish value to an integer: json.Number, float64 with
// no fraction, Go integers, or a string holding a decimal or 0x-hex number.
func toNumber(v any) (number, error) {
	switch x := v.(type) {
	case json.Number:
		// A JSON number is shown as written: 1.5, not "1.5", which
		// would read as if the user had sent a string.
		return parseNumberAs(string(x), string(x))
	case string:
		return parseNumber(strings.TrimSpace(x))
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) || math.IsNaN(x) || math.Abs(x) >= 1<<64 {
			return number{}, fmt.Errorf("%v is not an integer", x)
		}
		if x < 0 {
			return number{true, uint64(-x)}, nil
		}
		return number{false, uint64(x)}, nil
	case int:
		return fromInt64(int64(x)), nil
	case int8:
		return fromInt64(int64(x)), nil
	case int16:
		return fromInt64(int64(x)), nil
	case int32:
		return fromInt64(int64(x)), nil
	case int64:
		return fromInt64(x), nil
	case uint:
		return number{abs: uint64(x)}, nil
	case uint8:
		return number{abs: uint64(x)}, nil
	case uint16:
		return number{abs: uint64(x)}, nil
	case uint32:
		return number{abs: uint64(x)}, nil
	case uint64:
		return number{abs: x}, nil
	}
	return number{}, fmt.Errorf("want an integer, got %s", describe(v))
}

func fromInt64(x int64) number {
	if x < 0 {
		return number{true, uint64(-(x + 1)) + 1}
	}
	return number{abs: uint64(x)}
}

// parseNumber parses decimal or 0x-hex text; errors quote the text.
func parseNumber(s string) (number, error) { return parseNumberAs(s, strconv.Quote(s)) }

// parseNumberAs parses s, naming it as shown in errors.
func parseNumberAs(s, shown string) (number, error) {
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	u, err := strconv.ParseUint(digits, 0, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return number{}, fmt.Errorf("%s does not fit in 64 bits", s)
		}
		return number{}, fmt.Errorf("%s is not an integer", shown)
	}
	return number{neg && u != 0, u}, nil
}

// intRange returns the inclusive bounds of an integer type as numbers.
func intRange(signed bool, bits int) (lo, hi number) {
	if signed {
		return number{true, 1 << (bits - 1)}, number{abs: 1<<(bits-1) - 1}
	}
	return number{}, number{abs: math.MaxUint64 >> (64 - bits)}
}

// bits returns the value as the two's complement bit pattern of a bits-wide
// integer type, or an error saying it is out of range.
func (n number) bits(signed bool, bits int, typ string) (uint64, error) {
	lo, hi := intRange(signed, bits)
	if (n.neg && (!lo.neg || n.abs > lo.abs)) || (!n.neg && n.abs > hi.abs) {
		return 0, fmt.Errorf("value %s out of range for %s", n, typ)
	}
	if n.neg {
		return -n.abs, nil
	}
	return n.abs, nil
}

func (n number) String() string {
	if n.neg {
		return "-" + strconv.FormatUint(n.abs, 10)
	}
	return strconv.FormatUint(n.abs, 10)
}

// describe names the JSON type of v for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return fmt.Sprintf("the string %q", x)
	case json.Number, float64, int, int64, uint64:
		return fmt.Sprintf("the number %v", x)
	case []any:
		return "a list"
	case map[string]any, *Map:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
