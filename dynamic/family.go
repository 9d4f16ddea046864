package dynamic

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/family"
	"github.com/ynlgo/ynl/genl"
)

// Family is a generic netlink family driven by its spec over a genl.Conn:
// pyynl's YnlFamily for Go. Requests and replies are JSON-like values (see
// the package documentation); requests are checked against the spec's
// checks before they are sent, as the generated clients check theirs, unless
// the context says otherwise (genl.WithoutValidation). A Family is safe for
// concurrent use when its Conn is.
type Family struct {
	spec *family.Family
	conn *genl.Conn
	opts Options
}

// Open returns the family spec describes, talking over conn. opts may be
// nil. conn may be nil for a family that only builds requests and decodes
// messages (Request, Decode), which netlink-raw specs are limited to here:
// Do, Dump and Subscribe need a generic netlink family and a Conn.
func Open(conn *genl.Conn, spec *family.Family, opts *Options) (*Family, error) {
	if spec == nil {
		return nil, errors.New("dynamic: Open needs a spec")
	}
	f := &Family{spec: spec, conn: conn}
	if opts != nil {
		f.opts = *opts
	}
	return f, nil
}

// OpenDescriptor parses a built-in descriptor (the Descriptor() of a
// prebuilt package under families/, the spec as JSON) with overlays, and
// opens the family over conn.
func OpenDescriptor(conn *genl.Conn, name string, desc []byte, opts *Options, overlays ...family.Source) (*Family, error) {
	spec, err := family.Parse(name, desc, overlays...)
	if err != nil {
		return nil, err
	}
	return Open(conn, spec, opts)
}

// Spec returns the family's spec model.
func (f *Family) Spec() *family.Family { return f.spec }

// Conn returns the connection the family talks over.
func (f *Family) Conn() *genl.Conn { return f.conn }

// Call is one do request of DoMulti.
type Call struct {
	Op    string
	Attrs map[string]any
	Flags netlink.HeaderFlags // extra NLM_F_* flags (Create, Excl, ...)
}

// Request encodes the request of op's do (dump false) or dump from v,
// checking it against the spec unless ctx disables validation. Flags set
// with genl.WithFlags are added. Input errors are *PathError (Op "encode"
// or "check"); an unknown op or mode is an *OpError.
func (f *Family) Request(ctx context.Context, op string, dump bool, v map[string]any) (*genl.Request, error) {
	o, err := f.op(op, dump)
	if err != nil {
		return nil, err
	}
	set := o.AttrSet
	if set == nil {
		if len(v) > 0 && o.FixedHeader == nil {
			return nil, &PathError{Op: "encode", Msg: "operation " + o.Name + " takes no attributes"}
		}
		set = &family.AttrSet{Name: o.Name}
	}
	hdr, attrs, err := EncodeMessage(o.FixedHeader, set, v)
	if err != nil {
		return nil, err
	}
	if !genl.ValidationDisabled(ctx) {
		if err := Check(o.FixedHeader, set, v); err != nil {
			return nil, err
		}
	}
	return &genl.Request{
		Family: f.spec.Name, Command: uint8(o.RequestValue), Flags: genl.FlagsFrom(ctx),
		Header: hdr, Attrs: attrs, OpName: o.Name, Names: NewNamer(o.AttrSet),
	}, nil
}

// OpError says an op does not exist or lacks the mode asked for.
type OpError struct {
	Family, Op, Mode string
	Missing          bool // the op does not exist at all
}

// Error renders `unknown operation "x" in family netdev` or `operation
// "x" of family netdev has no dump`.
func (e *OpError) Error() string {
	if e.Missing {
		return fmt.Sprintf("unknown operation %q in family %s", e.Op, e.Family)
	}
	return fmt.Sprintf("operation %q of family %s has no %s", e.Op, e.Family, e.Mode)
}

func (f *Family) op(name string, dump bool) (*family.Op, error) {
	o := f.spec.Operations.Op(name)
	mode := "do"
	if dump {
		mode = "dump"
	}
	if o == nil {
		return nil, &OpError{Family: f.spec.Name, Op: name, Mode: mode, Missing: true}
	}
	if (!dump && o.Do == nil) || (dump && o.Dump == nil) {
		return nil, &OpError{Family: f.spec.Name, Op: name, Mode: mode}
	}
	return o, nil
}

// Do runs op's do with the attributes v and returns its replies (usually
// none or one). A kernel error is a *genl.Error whose AttrPath names the
// offending attribute in spec names (".header.dev-name").
func (f *Family) Do(ctx context.Context, op string, v map[string]any) ([]*Map, error) {
	req, err := f.Request(ctx, op, false, v)
	if err != nil {
		return nil, err
	}
	return f.DoRequest(ctx, req)
}

// DoRequest sends a request built by Request and decodes its replies.
func (f *Family) DoRequest(ctx context.Context, req *genl.Request) ([]*Map, error) {
	if err := f.canSend(); err != nil {
		return nil, err
	}
	msgs, err := f.conn.Do(ctx, req)
	if err != nil {
		return nil, err
	}
	return f.replies(req.OpName, msgs)
}

// canSend says why the family cannot send requests, if it cannot.
func (f *Family) canSend() error {
	if !f.spec.Protocol.IsGenetlink() {
		return fmt.Errorf("dynamic: family %s is %s: only generic netlink families can send here", f.spec.Name, f.spec.Protocol)
	}
	if f.conn == nil {
		return fmt.Errorf("dynamic: family %s was opened without a Conn", f.spec.Name)
	}
	return nil
}

// DoMulti sends the do requests of calls in one datagram (pyynl's
// do_multi) and returns the replies of each. Every request is encoded and
// checked before anything is sent. On a kernel error it returns the
// replies of the calls before the failing one (so the length of the result
// is the failing call's index) and the error; the calls before it stay
// done.
func (f *Family) DoMulti(ctx context.Context, calls []Call) ([][]*Map, error) {
	reqs := make([]*genl.Request, len(calls))
	for i, c := range calls {
		req, err := f.Request(ctx, c.Op, false, c.Attrs)
		if err != nil {
			return nil, fmt.Errorf("call %d (%s): %w", i+1, c.Op, err)
		}
		req.Flags |= c.Flags
		reqs[i] = req
	}
	return f.DoBatch(ctx, reqs)
}

// DoBatch sends requests built by Request in one datagram and decodes the
// replies of each, as DoMulti does.
func (f *Family) DoBatch(ctx context.Context, reqs []*genl.Request) ([][]*Map, error) {
	if err := f.canSend(); err != nil {
		return nil, err
	}
	msgs, err := f.conn.DoBatch(ctx, reqs)
	out := make([][]*Map, 0, len(msgs))
	for i, m := range msgs {
		r, derr := f.replies(reqs[i].OpName, m)
		if derr != nil {
			return out, derr
		}
		out = append(out, r)
	}
	return out, err
}

func (f *Family) replies(op string, msgs []genl.Message) ([]*Map, error) {
	o := f.spec.Operations.Op(op)
	out := make([]*Map, 0, len(msgs))
	for _, m := range msgs {
		v, err := f.decode(o, m.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Dump runs op's dump with the attributes v (a filter, often nil) and
// streams the replies. genl.ErrDumpInterrupted arrives after the data, as
// genl.Conn.Dump delivers it.
func (f *Family) Dump(ctx context.Context, op string, v map[string]any) iter.Seq2[*Map, error] {
	return func(yield func(*Map, error) bool) {
		req, err := f.Request(ctx, op, true, v)
		if err != nil {
			yield(nil, err)
			return
		}
		for m, err := range f.DumpRequest(ctx, req) {
			if !yield(m, err) {
				return
			}
		}
	}
}

// DumpRequest runs a dump request built by Request and streams the
// decoded replies.
func (f *Family) DumpRequest(ctx context.Context, req *genl.Request) iter.Seq2[*Map, error] {
	return func(yield func(*Map, error) bool) {
		if err := f.canSend(); err != nil {
			yield(nil, err)
			return
		}
		o := f.spec.Operations.Op(req.OpName)
		for m, err := range f.conn.Dump(ctx, req) {
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			v, err := f.decode(o, m.Data)
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

// decode decodes a reply or notification body of op.
func (f *Family) decode(o *family.Op, data []byte) (*Map, error) {
	m, err := DecodeMessage(o.FixedHeader, o.AttrSet, data, f.opts)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", f.spec.Name, o.Name, err)
	}
	return m, nil
}

// Decode decodes a message of the family by its command, as a
// notification or reply with that command id is decoded: the op is the
// notification with that id, else the op replying with it. It returns the
// op's name and the decoded body.
func (f *Family) Decode(cmd uint8, data []byte) (string, *Map, error) {
	o := MessageOp(f.spec, int(cmd))
	if o == nil {
		return "", nil, fmt.Errorf("%s: no message with command %d in the spec", f.spec.Name, cmd)
	}
	m, err := f.decode(o, data)
	return o.Name, m, err
}

// MessageOp finds the op a message with command (or message type) id cmd
// belongs to as pyynl does: the last op, in spec order, whose reply or
// notification has that id (rt-link's RTM_NEWLINK notifications are
// "getlink", as pyynl names them).
func MessageOp(spec *family.Family, cmd int) *family.Op {
	var found *family.Op
	for _, op := range spec.Operations.List {
		if op.ReplyValue == cmd {
			found = op
		}
	}
	return found
}

// Notification is one decoded multicast message.
type Notification struct {
	// Name is the op the message belongs to ("" when the spec has no
	// message with its command; Msg is nil then and Raw holds it).
	Name string
	Msg  *Map
	// Raw is the message as received; Raw.NSID names the namespace it
	// came from on a subscription listening to all of them.
	Raw genl.Message
}

// Subscription receives a family's notifications, decoded.
type Subscription struct {
	f   *Family
	sub *genl.Subscription
}

// Subscribe joins multicast groups by name. The names are looked up in the
// running kernel's family, as pyynl does, so a group the spec lacks works
// too.
func (f *Family) Subscribe(ctx context.Context, groups ...string) (*Subscription, error) {
	if err := f.canSend(); err != nil {
		return nil, err
	}
	sub, err := f.conn.Subscribe(ctx, f.spec.Name, groups...)
	if err != nil {
		return nil, err
	}
	return &Subscription{f: f, sub: sub}, nil
}

// Receive blocks for the next notification. A message whose command the
// spec lacks is returned with an empty Name and its Raw bytes; a message
// that fails to decode returns the error with Raw filled in (the
// subscription goes on). Overruns and the end of ctx are as in
// genl.Subscription.Receive.
func (s *Subscription) Receive(ctx context.Context) (Notification, error) {
	m, err := s.sub.Receive(ctx)
	if err != nil {
		return Notification{}, err
	}
	return s.notification(m)
}

func (s *Subscription) notification(m genl.Message) (Notification, error) {
	n := Notification{Raw: m}
	o := MessageOp(s.f.spec, int(m.Command))
	if o == nil {
		return n, nil
	}
	v, err := s.f.decode(o, m.Data)
	if err != nil {
		return n, err
	}
	n.Name, n.Msg = o.Name, v
	return n, nil
}

// All streams notifications until ctx is done or the subscription is
// closed, as genl.Subscription.All does.
func (s *Subscription) All(ctx context.Context) iter.Seq2[Notification, error] {
	return func(yield func(Notification, error) bool) {
		for m, err := range s.sub.All(ctx) {
			if err != nil {
				if !yield(Notification{}, err) {
					return
				}
				continue
			}
			if !yield(s.notification(m)) {
				return
			}
		}
	}
}

// ListenAllNSID makes the subscription receive notifications from every
// network namespace that has an id in the subscriber's own
// (NETLINK_LISTEN_ALL_NSID, pyynl's ntf_listen_all_nsid); see
// genl.Subscription.ListenAllNSID.
func (s *Subscription) ListenAllNSID() error { return s.sub.ListenAllNSID() }

// Kernel returns the kernel's family (id, groups) as resolved when the
// subscription was made.
func (s *Subscription) Kernel() *genl.Family { return s.sub.Family() }

// Close leaves the groups and closes the subscription's socket.
func (s *Subscription) Close() error { return s.sub.Close() }

// Value renders n as pyynl prints a notification: {"name": ..., "msg":
// ...}, with "nsid" when it came from another namespace.
func (n Notification) Value() *Map {
	return NotificationValue(n.Name, n.Msg, n.Raw.NSID)
}

// NotificationValue renders a notification as pyynl prints it.
func NotificationValue(name string, msg *Map, nsid genl.Opt[int32]) *Map {
	m := &Map{}
	m.Set("name", name)
	m.Set("msg", msg)
	if id, ok := nsid.Get(); ok {
		m.Set("nsid", int64(id))
	}
	return m
}

// ReplyValue shapes a do's replies as pyynl returns them: nil for none,
// the reply for one, the list for more.
func ReplyValue(msgs []*Map) any {
	switch len(msgs) {
	case 0:
		return nil
	case 1:
		return msgs[0]
	}
	return msgs
}
