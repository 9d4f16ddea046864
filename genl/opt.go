package genl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Opt is an optional value: Valid reports presence, so an explicit zero can
// be sent. Generated structs use it for optional scalar attributes; it is a
// plain value, so decoding into it does not allocate.
//
// Some infers T from its argument, and an untyped constant defaults to
// int, so genl.Some(3) is an Opt[int] that a genl.Opt[uint32] field does
// not accept. Name the type either way: genl.Some[uint32](3) or
// genl.Some(uint32(3)); typed values need neither (genl.Some(ifindex),
// genl.Some(ethtool.HeaderFlagsStats)).
type Opt[T any] struct {
	Value T
	Valid bool
}

// Some returns a present Opt holding v.
func Some[T any](v T) Opt[T] { return Opt[T]{Value: v, Valid: true} }

// None returns an absent Opt.
func None[T any]() Opt[T] { return Opt[T]{} }

// Get returns the value and whether it is present.
func (o Opt[T]) Get() (T, bool) { return o.Value, o.Valid }

// Or returns the value if present, else def.
func (o Opt[T]) Or(def T) T {
	if o.Valid {
		return o.Value
	}
	return def
}

// IsZero reports whether o is absent. It lets encoding/json's omitzero
// option drop absent values while keeping an explicit zero.
func (o Opt[T]) IsZero() bool { return !o.Valid }

// String returns "<none>" for an absent value, else fmt.Sprint of the value.
func (o Opt[T]) String() string {
	if !o.Valid {
		return "<none>"
	}
	return fmt.Sprint(o.Value)
}

// MarshalJSON encodes an absent value as null and a present one as the value.
func (o Opt[T]) MarshalJSON() ([]byte, error) {
	if !o.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// UnmarshalJSON decodes null as absent and anything else into a present value.
func (o *Opt[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Opt[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = Opt[T]{Value: v, Valid: true}
	return nil
}
