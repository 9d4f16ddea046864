package genltest

import (
	"context"
	"fmt"
	"sync"
	"syscall"
)

// Ops routes a family's requests to handlers that can be set and replaced
// while the fake kernel runs: one for the do and one for the dump of each
// command. The typed fakes ynlgen generates for each family (package
// <family>test) are built on it; Serve is the Handler they register for
// every command. Its methods are safe for concurrent use.
type Ops struct {
	// Family names the family in errors.
	Family string
	// Names maps commands to op names, for errors.
	Names map[uint8]string

	mu sync.Mutex
	h  map[opKey]func(context.Context, Request) ([]Reply, error)
}

type opKey struct {
	cmd  uint8
	dump bool
}

// Set makes h answer the command's dumps (dump true) or dos; nil removes
// the handler.
func (o *Ops) Set(cmd uint8, dump bool, h func(context.Context, Request) ([]Reply, error)) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.h == nil {
		o.h = map[opKey]func(context.Context, Request) ([]Reply, error){}
	}
	if h == nil {
		delete(o.h, opKey{cmd, dump})
		return
	}
	o.h[opKey{cmd, dump}] = h
}

// Serve answers req with the handler set for it, passing a context that
// RequestOf reads req from. A request no handler is set for fails with
// EOPNOTSUPP and a message naming the op, as a kernel without the op does.
func (o *Ops) Serve(req Request) ([]Reply, error) {
	o.mu.Lock()
	h := o.h[opKey{req.Command, req.Dump}]
	o.mu.Unlock()
	if h == nil {
		kind := "do"
		if req.Dump {
			kind = "dump"
		}
		name := o.Names[req.Command]
		if name == "" {
			name = fmt.Sprintf("command %d", req.Command)
		}
		return nil, &Error{Errno: syscall.EOPNOTSUPP, Message: fmt.Sprintf("%s fake: no handler set for the %s of %s", o.Family, kind, name)}
	}
	return h(context.WithValue(context.Background(), requestKey{}, req), req)
}

type requestKey struct{}

// RequestOf returns the request a typed handler is answering, for
// handlers that look at more than the decoded message: its flags
// (create, excl, dump), sequence number, or raw attributes. It reports
// false for a context not made by Ops.Serve.
func RequestOf(ctx context.Context) (Request, bool) {
	r, ok := ctx.Value(requestKey{}).(Request)
	return r, ok
}
