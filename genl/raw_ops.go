package genl

import (
	"context"
	"fmt"
	"iter"
)

// RawBody is the attribute-set value a classic netlink request carries:
// the struct a generated client sends.
type RawBody interface {
	Encode(*Encoder)
	Validate() error
}

// NewRawRequest builds the request of a classic netlink op for a
// generated client: m (nil for none) is checked with its Validate method,
// unless validate is false or ctx says WithoutValidation, then encoded
// after the fixed header hdr. The request's flags are ctx's (WithFlags)
// and flags. An error names the family and the op.
func NewRawRequest(ctx context.Context, family string, typ uint16, op string, hdr []byte, layout *HeaderLayout, m RawBody, names *NameTable, validate bool, flags []RequestFlag) (*RawRequest, error) {
	var e Encoder
	if m != nil {
		if validate && !ValidationDisabled(ctx) {
			if err := m.Validate(); err != nil {
				return nil, fmt.Errorf("%s %s: %w", family, op, err)
			}
		}
		m.Encode(&e)
		if err := e.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: %w", family, op, err)
		}
	}
	return &RawRequest{
		Family: family,
		Type:   typ,
		Flags:  FlagsFrom(ctx) | Flags(flags...),
		Header: hdr,
		Attrs:  e.Bytes(),
		OpName: op,
		Names:  names,
		Layout: layout,
	}, nil
}

// DumpRaw streams a classic netlink dump for a generated client: it
// builds the request with req when the stream is ranged over (an error
// is yielded alone), and yields each reply decoded into a new T by
// decode, which takes the values' memory from one Arena for the whole
// dump. A reply that does not decode is yielded as an error and the dump
// goes on; a dump the kernel flagged as interrupted yields its data, then
// an error matching ErrDumpInterrupted. With ReuseValues among opts, it
// yields one T for every reply, reset before each, and recycles the
// arena's memory (see ReuseValues).
func DumpRaw[T any](ctx context.Context, c *RawConn, req func() (*RawRequest, error), decode func(data []byte, v *T, a *Arena) error, opts ...DumpOption) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		r, err := req()
		if err != nil {
			yield(nil, err)
			return
		}
		var arena Arena
		var reused *T
		if Reuses(opts) {
			arena.SetRecycle()
			reused = new(T)
		}
		for msg, err := range c.Dump(ctx, r) {
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			v := reused
			if v == nil {
				v = new(T)
			} else {
				var zero T
				*v = zero
				arena.Recycle()
			}
			if err := decode(msg.Data, v, &arena); err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}
