package dynamic

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// isFlags reports whether values of enum are bit sets.
func isFlags(enum *family.Definition, asFlags bool) bool {
	return enum != nil && (asFlags || enum.Kind == family.DefFlags)
}

// entryMask is the bit an entry stands for in a bit set: flags entries hold
// their mask already, enum entries used as flags hold a bit number.
func entryMask(enum *family.Definition, e *family.EnumEntry) uint64 {
	if enum.Kind == family.DefFlags {
		return e.Value
	}
	if e.Value >= 64 {
		return 0
	}
	return 1 << e.Value
}

func findEntry(enum *family.Definition, name string) *family.EnumEntry {
	for _, e := range enum.Entries {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// enumToNumber resolves an enum value given by name (or as a number).
func enumToNumber(enum *family.Definition, v any) (number, error) {
	if s, ok := v.(string); ok {
		if e := findEntry(enum, s); e != nil {
			return number{abs: e.Value}, nil
		}
		if n, err := parseNumber(s); err == nil {
			return n, nil
		}
		if n, ok := unknownNumber(s); ok {
			return number{abs: n}, nil
		}
		return number{}, fmt.Errorf("%q is not an entry of enum %s", s, enum.Name)
	}
	return toNumber(v)
}

// flagsToNumber resolves a bit set given as a list of names and numbers, a
// single name, or a number.
func flagsToNumber(enum *family.Definition, v any) (number, error) {
	list, ok := v.([]any)
	if !ok {
		if s, ok := v.(string); ok {
			list = []any{s}
		} else {
			return toNumber(v)
		}
	}
	var u uint64
	for _, item := range list {
		if s, ok := item.(string); ok {
			if e := findEntry(enum, s); e != nil {
				u |= entryMask(enum, e)
				continue
			}
			if bit, ok := unknownNumber(s); ok && bit < 64 {
				u |= 1 << bit
				continue
			}
		}
		n, err := toNumber(item)
		if err != nil {
			if s, ok := item.(string); ok {
				return number{}, fmt.Errorf("%q is not a flag of %s", s, enum.Name)
			}
			return number{}, err
		}
		if n.neg {
			return number{}, fmt.Errorf("flag value %s is negative", n)
		}
		u |= n.abs
	}
	return number{abs: u}, nil
}

// unknownNumber reads the "Unknown(N)" that decoding prints for values no
// entry names.
func unknownNumber(s string) (uint64, bool) {
	inner, ok := strings.CutPrefix(s, "Unknown(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return 0, false
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(inner, ")"), 10, 64)
	return n, err == nil
}

// enumValue renders a decoded enum value: its entry name, or when no
// entry has it "Unknown(N)" with unknown set (pyynl's --process-unknown),
// else the number.
func enumValue(enum *family.Definition, u uint64, raw any, unknown bool) any {
	for _, e := range enum.Entries {
		if e.Value == u {
			return e.Name
		}
	}
	if unknown {
		return fmt.Sprintf("Unknown(%v)", raw)
	}
	return raw
}

// flagsValue renders a bit set as the names of its set bits, sorted as
// pyynl prints its sets. A bit no entry names is "Unknown(BIT)" (its bit
// number) with unknown set, else its value, after the names.
func flagsValue(enum *family.Definition, u uint64, unknown bool) []any {
	// The names gather on the stack (most sets have a few bits set; more
	// spill to the heap); only the result is allocated.
	var buf [8]string
	names := buf[:0]
	rest := u
	for _, e := range enum.Entries {
		m := entryMask(enum, e)
		if m != 0 && u&m == m {
			names = append(names, e.Name)
			rest &^= m
		}
	}
	if unknown {
		for r := rest; r != 0; r &= r - 1 { // the set bits, lowest first
			names = append(names, fmt.Sprintf("Unknown(%d)", bits.TrailingZeros64(r)))
		}
		rest = 0
	}
	slices.Sort(names)
	out := make([]any, 0, len(names)+bits.OnesCount64(rest))
	for _, n := range names {
		out = append(out, n)
	}
	for r := rest; r != 0; r &= r - 1 {
		out = append(out, uint64(1)<<bits.TrailingZeros64(r))
	}
	return out
}
