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

	hs handlers[uint8]
}

// Set makes h answer the command's dumps (dump true) or dos; nil removes
// the handler.
func (o *Ops) Set(cmd uint8, dump bool, h func(context.Context, Request) ([]Reply, error)) {
	o.hs.set(cmd, dump, h)
}

// Serve answers req with the handler set for it, passing a context that
// RequestOf reads req from. A request no handler is set for fails with
// EOPNOTSUPP and a message naming the op, as a kernel without the op does.
func (o *Ops) Serve(req Request) ([]Reply, error) {
	name := o.Names[req.Command]
	if name == "" {
		name = fmt.Sprintf("command %d", req.Command)
	}
	return o.hs.serve(o.Family, name, req.Command, req)
}

// handlers maps an op's key (a generic netlink command, a classic
// netlink message type) and kind (do or dump) to its handler, for Ops
// and RawOps.
type handlers[K comparable] struct {
	mu sync.Mutex
	h  map[handlerKey[K]]func(context.Context, Request) ([]Reply, error)
}

type handlerKey[K comparable] struct {
	op   K
	dump bool
}

func (hs *handlers[K]) set(op K, dump bool, h func(context.Context, Request) ([]Reply, error)) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.h == nil {
		hs.h = map[handlerKey[K]]func(context.Context, Request) ([]Reply, error){}
	}
	if h == nil {
		delete(hs.h, handlerKey[K]{op, dump})
		return
	}
	hs.h[handlerKey[K]{op, dump}] = h
}

// serve answers req with op's handler; name names the op in the error of
// a request no handler is set for.
func (hs *handlers[K]) serve(family, name string, op K, req Request) ([]Reply, error) {
	hs.mu.Lock()
	h := hs.h[handlerKey[K]{op, req.Dump}]
	hs.mu.Unlock()
	if h == nil {
		kind := "do"
		if req.Dump {
			kind = "dump"
		}
		return nil, &Error{Errno: syscall.EOPNOTSUPP, Message: fmt.Sprintf("%s fake: no handler set for the %s of %s", family, kind, name)}
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
