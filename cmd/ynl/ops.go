package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ynlgo/ynl/dynamic"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// runOps subscribes (if asked), runs the do or dump, or the --multi dos
// (if asked), then prints notifications until the duration ends, in the
// Python tool's order. Every request is encoded before anything is sent,
// so a mistake in the last --multi op sends nothing.
func runOps(ctx context.Context, o *options, p *printer, f *family.Family) error {
	if o.do == "" && o.dump == "" && o.subscribe == "" && len(o.multi) == 0 {
		return usagef("nothing to do: give --do, --dump, --multi, --subscribe or a --list option")
	}
	fam, err := dynamic.Open(nil, f, &dynamic.Options{ProcessUnknown: o.unknown()})
	if err != nil {
		return err
	}
	reqs, err := prepareRequests(ctx, fam, o)
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
		if err := s.subscribe(ctx, o.subscribe, o.listenAllNSID); err != nil {
			return err
		}
	}
	if err := s.send(ctx, p, o, reqs); err != nil {
		return err
	}
	if o.subscribe != "" {
		return s.listen(ctx, p, o.duration)
	}
	return nil
}

// unknown says whether to keep what the spec lacks: --process-unknown, by
// default on with --family (pyynl's default for installed specs).
func (o *options) unknown() bool {
	if o.processUnknown != nil {
		return *o.processUnknown
	}
	return o.family != ""
}

// multiFailed says which --multi request failed, which ran before it
// (carried out: --multi is not atomic) and which were not sent, before the
// error itself is printed.
func multiFailed(p *printer, o *options, i int) {
	if len(o.multi) == 0 {
		return
	}
	list := func(from, to int) string {
		var reqs []string
		for j := from; j < to; j++ {
			reqs = append(reqs, fmt.Sprintf("%d (%s)", j+1, o.multi[j].op))
		}
		switch len(reqs) {
		case 0:
			return ""
		case 1:
			return "request " + reqs[0]
		}
		return "requests " + strings.Join(reqs, ", ")
	}
	msg := fmt.Sprintf("ynl: --multi: request %d of %d (%s) failed", i+1, len(o.multi), o.multi[i].op)
	if done := list(0, i); done != "" {
		msg += "; " + done + " ran before it and took effect"
	}
	if rest := list(i+1, len(o.multi)); rest != "" {
		msg += "; " + rest + " not sent"
	}
	fmt.Fprintln(p.errw(), msg)
}

// prepared is a request encoded and ready to send.
type prepared struct {
	op   *family.Op
	dump bool
	req  *genl.Request
}

// prepareRequests encodes the --do or --dump request, or each --multi op.
func prepareRequests(ctx context.Context, f *dynamic.Family, o *options) ([]*prepared, error) {
	if o.noValidate {
		ctx = genl.WithoutValidation(ctx)
	}
	ctx = genl.WithFlags(ctx, o.flags)
	if len(o.multi) > 0 {
		out := make([]*prepared, len(o.multi))
		for i, m := range o.multi {
			label := fmt.Sprintf("--multi %s (#%d)", m.op, i+1)
			r, err := prepare(ctx, f, label, m.op, false, m.json)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	switch {
	case o.do != "":
		r, err := prepare(ctx, f, "--json", o.do, false, o.json)
		return []*prepared{r}, err
	case o.dump != "":
		r, err := prepare(ctx, f, "--json", o.dump, true, o.json)
		return []*prepared{r}, err
	}
	return nil, nil
}

// prepare encodes op's request from the JSON text; label names the text's
// flag in errors, which name the JSON path and exit 2.
func prepare(ctx context.Context, f *dynamic.Family, label, name string, dump bool, text string) (*prepared, error) {
	body, err := parseJSON(label, text)
	if err != nil {
		return nil, err
	}
	req, err := f.Request(ctx, name, dump, body)
	var oe *dynamic.OpError
	var pe *dynamic.PathError
	switch {
	case errors.As(err, &oe) && oe.Missing:
		return nil, usagef("%v (see --list-ops)", err)
	case errors.As(err, &oe):
		return nil, usagef("%v", err)
	case errors.As(err, &pe) && pe.Op == "check":
		// The generated clients refuse such a request before sending;
		// the CLI must not disagree with them.
		return nil, usagef("bad %s: %v (the spec's check; --no-validate sends it anyway)", label, err)
	case err != nil:
		return nil, usagef("bad %s: %v", label, err)
	}
	return &prepared{op: f.Spec().Operations.Op(name), dump: dump, req: req}, nil
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
