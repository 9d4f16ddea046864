package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
)

// runOps subscribes (if asked), runs the do or dump, or the --multi dos
// (if asked), then prints notifications until the duration ends, in the
// Python tool's order. Every request is encoded before anything is sent,
// so a mistake in the last --multi op sends nothing.
func runOps(ctx context.Context, o *options, p *printer, f *family.Family) error {
	if o.do == "" && o.dump == "" && o.subscribe == "" && len(o.multi) == 0 {
		return usagef("nothing to do: give --do, --dump, --multi, --subscribe or a --list option")
	}
	reqs, err := prepareRequests(f, o)
	if err != nil {
		return err
	}
	if !f.Protocol.IsGenetlink() {
		return runRaw(ctx, o, p, f, reqs)
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
	for i, r := range reqs {
		if err := s.send(ctx, p, r, o.flags); err != nil {
			multiFailed(p, o, i)
			return err
		}
	}
	if o.subscribe != "" {
		return s.listen(ctx, p, o.duration)
	}
	return nil
}

// multiFailed says which --multi op failed and what that means for the
// others, before the error itself is printed.
func multiFailed(p *printer, o *options, i int) {
	if len(o.multi) == 0 {
		return
	}
	fmt.Fprintf(p.errw(), "ynl: --multi op #%d (%s) failed: the %d before it were done, the %d after it not sent\n",
		i+1, o.multi[i].op, i, len(o.multi)-i-1)
}

// prepared is a request encoded and ready to send.
type prepared struct {
	op         *family.Op
	mode       string // "do" or "dump"
	hdr, attrs []byte
}

// prepareRequests encodes the --do or --dump request, or each --multi op.
func prepareRequests(f *family.Family, o *options) ([]*prepared, error) {
	if len(o.multi) > 0 {
		out := make([]*prepared, len(o.multi))
		for i, m := range o.multi {
			label := fmt.Sprintf("--multi %s (#%d)", m.op, i+1)
			r, err := prepare(f, label, m.op, "do", m.json, o.noValidate)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	switch {
	case o.do != "":
		r, err := prepare(f, "--json", o.do, "do", o.json, o.noValidate)
		return []*prepared{r}, err
	case o.dump != "":
		r, err := prepare(f, "--json", o.dump, "dump", o.json, o.noValidate)
		return []*prepared{r}, err
	}
	return nil, nil
}

// prepare finds op name with the mode and encodes its request from the
// JSON text; label names the text's flag in errors.
func prepare(f *family.Family, label, name, mode, text string, noValidate bool) (*prepared, error) {
	body, err := parseJSON(label, text)
	if err != nil {
		return nil, err
	}
	op, err := findOp(f, name, mode)
	if err != nil {
		return nil, err
	}
	hdr, attrs, err := encodeRequest(label, op, body, noValidate)
	if err != nil {
		return nil, err
	}
	return &prepared{op: op, mode: mode, hdr: hdr, attrs: attrs}, nil
}

// parseJSON reads a request (label names its flag in errors): an object,
// numbers kept exact.
func parseJSON(label, text string) (map[string]any, error) {
	if strings.TrimSpace(text) == "" {
		return map[string]any{}, nil
	}
	v, err := parseJSONValue(label, text)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, usagef("bad %s: want a JSON object of attributes", label)
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
func encodeRequest(label string, op *family.Op, req map[string]any, noValidate bool) (hdr, attrs []byte, err error) {
	if op.AttrSet == nil {
		if len(req) > 0 && op.FixedHeader == nil {
			return nil, nil, usagef("bad %s: operation %s takes no attributes", label, op.Name)
		}
	}
	set := op.AttrSet
	if set == nil {
		set = &family.AttrSet{Name: op.Name}
	}
	hdr, attrs, err = dynamic.EncodeMessage(op.FixedHeader, set, req)
	if err != nil {
		return nil, nil, usagef("bad %s: %v", label, err)
	}
	if !noValidate {
		// The generated clients refuse such a request before sending;
		// the CLI must not disagree with them (the kernel may not check,
		// or answer with a bare ERANGE).
		if err := dynamic.Check(op.FixedHeader, set, req); err != nil {
			return nil, nil, usagef("bad %s: %v (the spec's check; --no-validate sends it anyway)", label, err)
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
