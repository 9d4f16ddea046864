package main

import (
	"context"
	"strings"

	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/internal/dynamic"
)

// runOps subscribes (if asked), runs the do or dump (if asked), then prints
// notifications until the duration ends, in the Python tool's order.
func runOps(ctx context.Context, o *options, p *printer, f *family.Family) error {
	if o.do == "" && o.dump == "" && o.subscribe == "" {
		return usagef("nothing to do: give --do, --dump, --subscribe or a --list option")
	}
	req, err := parseJSON(o.json)
	if err != nil {
		return err
	}
	if !f.Protocol.IsGenetlink() {
		return runRaw(ctx, o, p, f, req)
	}
	s, err := newSession(ctx, f, o)
	if err != nil {
		return err
	}
	defer s.close()
	if o.subscribe != "" {
		if err := s.subscribe(ctx, o.subscribe); err != nil {
			return err
		}
	}
	if o.do != "" || o.dump != "" {
		if err := s.request(ctx, o, p, req); err != nil {
			return err
		}
	}
	if o.subscribe != "" {
		return s.listen(ctx, p, o.duration)
	}
	return nil
}

// parseJSON reads the --json request: an object, numbers kept exact.
func parseJSON(text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return map[string]any{}, nil
	}
	v, err := parseJSONValue(text)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, usagef("bad --json: want a JSON object of attributes")
	}
	return obj, nil
}

// findOp looks up an op that has the wanted mode.
func findOp(f *family.Family, name, mode string) (*family.Op, error) {
	op := f.Operations.Op(name)
	if op == nil {
		return nil, usagef("unknown operation %q in family %s (see --list-ops)", name, f.Name)
	}
	if (mode == "do" && op.Do == nil) || (mode == "dump" && op.Dump == nil) {
		return nil, usagef("operation %q of family %s has no %s", name, f.Name, mode)
	}
	return op, nil
}

// encodeRequest encodes the request body of op from the --json object
// and, unless told not to, enforces the spec's checks on it. Input errors
// name the JSON path and exit 2.
func encodeRequest(op *family.Op, req map[string]any, noValidate bool) (hdr, attrs []byte, err error) {
	if op.AttrSet == nil {
		if len(req) > 0 && op.FixedHeader == nil {
			return nil, nil, usagef("bad --json: operation %s takes no attributes", op.Name)
		}
	}
	set := op.AttrSet
	if set == nil {
		set = &family.AttrSet{Name: op.Name}
	}
	hdr, attrs, err = dynamic.EncodeMessage(op.FixedHeader, set, req)
	if err != nil {
		return nil, nil, usagef("bad --json: %v", err)
	}
	if !noValidate {
		// The generated clients refuse such a request before sending;
		// the CLI must not disagree with them (the kernel may not check,
		// or answer with a bare ERANGE).
		if err := dynamic.Check(op.FixedHeader, set, req); err != nil {
			return nil, nil, usagef("bad --json: %v (the spec's check; --no-validate sends it anyway)", err)
		}
	}
	return hdr, attrs, nil
}

// replyValue shapes a do's replies as the Python tool does: nothing, the
// one reply, or a list.
func replyValue(msgs []*dynamic.Map) any {
	switch len(msgs) {
	case 0:
		return nil
	case 1:
		return msgs[0]
	}
	return msgs
}

// notificationOp finds the op a message with command id cmd belongs to,
// preferring notifications.
func notificationOp(f *family.Family, cmd int) *family.Op {
	var reply *family.Op
	for _, op := range f.Operations.List {
		if op.ReplyValue != cmd {
			continue
		}
		if op.IsNotification() {
			return op
		}
		if reply == nil {
			reply = op
		}
	}
	return reply
}
