package genl

import (
	"context"
	"strings"

	"github.com/mdlayher/netlink"
)

// ValidationError reports a request value that breaks a check of its
// family spec (min, max, lengths, flag masks). Generated Validate methods
// return it, and generated clients return it before sending anything.
type ValidationError struct {
	// Path holds attribute names, outermost first (".header.dev-name" is
	// {"header", "dev-name"}).
	Path []string
	// Msg says what is wrong, e.g. "longer than 15 bytes".
	Msg string
}

// Error renders the error as `invalid .header.dev-name: longer than 15 bytes`.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("invalid ")
	for _, p := range e.Path {
		b.WriteByte('.')
		b.WriteString(p)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Invalid returns a *ValidationError for the attribute named attr.
func Invalid(attr, msg string) error {
	return &ValidationError{Path: []string{attr}, Msg: msg}
}

// InvalidIn prepends name to the path of a *ValidationError; generated
// Validate methods use it for nested attributes. Other errors, and nil,
// are returned unchanged.
func InvalidIn(err error, name string) error {
	if e, ok := err.(*ValidationError); ok {
		e.Path = append([]string{name}, e.Path...)
	}
	return err
}

type ctxKey int

const (
	noValidationKey ctxKey = iota
	flagsKey
)

// WithoutValidation returns a context under which generated clients send
// requests without calling their Validate method first, for example to
// probe how the kernel handles a value the spec forbids.
func WithoutValidation(ctx context.Context) context.Context {
	return context.WithValue(ctx, noValidationKey, true)
}

// ValidationDisabled reports whether ctx came from WithoutValidation.
func ValidationDisabled(ctx context.Context) bool {
	v, _ := ctx.Value(noValidationKey).(bool)
	return v
}

// WithFlags returns a context under which generated clients add flags
// (netlink.Create, netlink.Excl, netlink.Replace, netlink.Append) to the
// requests they send:
//
//	err := c.DevSet(genl.WithFlags(ctx, netlink.Create|netlink.Excl), req)
func WithFlags(ctx context.Context, flags netlink.HeaderFlags) context.Context {
	return context.WithValue(ctx, flagsKey, flags)
}

// FlagsFrom returns the request flags set by WithFlags, or 0.
func FlagsFrom(ctx context.Context) netlink.HeaderFlags {
	f, _ := ctx.Value(flagsKey).(netlink.HeaderFlags)
	return f
}
