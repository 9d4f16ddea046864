package codegen

// rawClientSrc is the Client of a netlink-raw family and the helpers its
// methods share. FAMILY is replaced by the family name.
const rawClientSrc = `// Client sends the FAMILY family's operations over a classic netlink
// connection (a genl.RawConn of protocol Protocol). It is safe for
// concurrent use.
//
// Requests are checked against the spec (their Validate method) before
// they are sent; set NoValidate, or use genl.WithoutValidation for one
// call, to send them as they are. Methods take request flags
// (genl.Create, genl.Excl, genl.Replace, genl.Append) as options;
// genl.WithFlags adds flags to every request made under a context. Dumps
// are filtered by the fixed header's fields where the kernel supports it:
// strict checking is on unless genl.DialOptions.NoStrict is set. A method
// returning a reply fails with an error wrapping ErrNoReply when the
// kernel only acknowledges the request.
type Client struct {
	conn *genl.RawConn
	own  bool

	// NoValidate turns off the check of requests against the spec.
	NoValidate bool
}

// Dial opens a classic netlink connection of the family's protocol and
// returns a client over it; Close closes the connection. opts may be nil.
func Dial(ctx context.Context, opts *genl.DialOptions) (*Client, error) {
	c, err := genl.DialRaw(ctx, Protocol, opts)
	if err != nil {
		return nil, err
	}
	return &Client{conn: c, own: true}, nil
}

// New returns a client over an existing connection of the family's
// protocol, which Close leaves open.
func New(c *genl.RawConn) *Client { return &Client{conn: c} }

// Conn returns the client's connection.
func (c *Client) Conn() *genl.RawConn { return c.conn }

// Close closes the connection if Dial opened it.
func (c *Client) Close() error {
	if c.own {
		return c.conn.Close()
	}
	return nil
}

// message is an attribute-set struct sent in a request.
type message interface {
	Encode(*genl.Encoder)
	Validate() error
}

// request builds the request of an op: validated, then encoded after
// the fixed header hdr. m may be nil.
func (c *Client) request(ctx context.Context, typ uint16, op string, hdr []byte, layout *genl.HeaderLayout, m message, names *genl.NameTable, flags []genl.RequestFlag) (*genl.RawRequest, error) {
	return genl.NewRawRequest(ctx, FamilyName, typ, op, hdr, layout, m, names, !c.NoValidate, flags)
}

// do sends a request and waits for its replies and ACK.
func (c *Client) do(ctx context.Context, typ uint16, op string, hdr []byte, layout *genl.HeaderLayout, m message, names *genl.NameTable, flags []genl.RequestFlag) ([]genl.RawMessage, error) {
	r, err := c.request(ctx, typ, op, hdr, layout, m, names, flags)
	if err != nil {
		return nil, err
	}
	return c.conn.Do(ctx, r)
}

// decoder is an attribute-set struct received in a reply.
type decoder interface {
	Decode([]byte) error
	decodeIn([]byte, *genl.Arena) error
}

// headerDecoder is a struct whose messages carry a fixed header.
type headerDecoder interface {
	decodeHeader([]byte)
}

// decodeData decodes a message's data: hdrLen bytes of fixed header,
// then the attributes.
func decodeData(op string, b []byte, hdrLen int, m decoder) error {
	return decodeDataIn(op, b, hdrLen, m, nil)
}

// decodeDataIn is decodeData taking the values' memory from arena a
// (nil: allocating each).
func decodeDataIn(op string, b []byte, hdrLen int, m decoder, a *genl.Arena) error {
	if len(b) < hdrLen {
		return opError(op, fmt.Errorf("message of %d bytes is shorter than its %d-byte fixed header", len(b), hdrLen))
	}
	if hdrLen > 0 {
		if h, ok := m.(headerDecoder); ok {
			h.decodeHeader(b)
		}
	}
	if err := m.decodeIn(b[hdrLen:], a); err != nil {
		return opError(op, err)
	}
	return nil
}

// ErrNoReply is the error, wrapped with the family and op names, of a
// method whose op the spec declares a reply for when the kernel
// acknowledged the request without sending one. Callers that expect this
// test errors.Is(err, ErrNoReply); the reply is nil.
var ErrNoReply = errors.New("the kernel acknowledged the request but sent no reply")

// decodeReply decodes the first reply of a do op into m.
func decodeReply(op string, msgs []genl.RawMessage, hdrLen int, m decoder) error {
	if len(msgs) == 0 {
		return opError(op, ErrNoReply)
	}
	return decodeData(op, msgs[0].Data, hdrLen, m)
}

// opError prefixes err with the family and op names.
func opError(op string, err error) error {
	return fmt.Errorf("%s %s: %w", FamilyName, op, err)
}

// dump sends a dump request and yields each decoded reply. A dump the
// kernel flagged as interrupted yields its data, then an error matching
// genl.ErrDumpInterrupted. The values' strings, byte slices and nested
// values come from one genl.Arena for the whole dump: a value kept keeps
// its arena chunks' memory alive (a few KiB). With genl.ReuseValues among
// opts it yields one value for every reply, reset before each, and
// recycles the arena's memory (see genl.ReuseValues).
func dump[T any, P interface {
	*T
	decoder
}](ctx context.Context, c *Client, typ uint16, op string, hdr []byte, layout *genl.HeaderLayout, hdrLen int, m message, names *genl.NameTable, opts []genl.DumpOption) iter.Seq2[*T, error] {
	return genl.DumpRaw(ctx, c.conn, func() (*genl.RawRequest, error) {
		return c.request(ctx, typ, op, hdr, layout, m, names, nil)
	}, func(b []byte, v *T, a *genl.Arena) error { return decodeDataIn(op, b, hdrLen, P(v), a) }, opts...)
}
`

// rawSubscriptionSrc is Subscribe and the Subscription type of a
// netlink-raw family.
const rawSubscriptionSrc = `// Subscription receives the messages of the groups it joined, on a
// socket of its own. Close it when done.
type Subscription struct {
	sub *genl.RawSubscription
}

// Subscribe joins multicast groups (at least one) and returns the
// subscription that receives their messages.
func (c *Client) Subscribe(ctx context.Context, groups ...Group) (*Subscription, error) {
	gs := make([]genl.RawGroup, len(groups))
	for i, g := range groups {
		id, ok := groupID(g)
		if !ok {
			return nil, fmt.Errorf("%s: no multicast group %q", FamilyName, string(g))
		}
		gs[i] = genl.RawGroup{Name: string(g), ID: id}
	}
	s, err := c.conn.Subscribe(ctx, FamilyName, gs...)
	if err != nil {
		return nil, err
	}
	return &Subscription{sub: s}, nil
}

// Receive blocks for the next message. A message that does not decode
// is returned with its Raw form and the decoding error. When the socket
// overran and messages were lost, the error matches genl.ErrOverrun and
// the subscription keeps going.
func (s *Subscription) Receive(ctx context.Context) (Notification, error) {
	m, err := s.sub.Receive(ctx)
	if err != nil {
		return Notification{}, err
	}
	return DecodeNotification(m)
}

// All streams messages until ctx is done or the subscription is closed.
// Overruns and undecodable messages are yielded as errors and the stream
// goes on.
func (s *Subscription) All(ctx context.Context) iter.Seq2[Notification, error] {
	return func(yield func(Notification, error) bool) {
		for m, err := range s.sub.All(ctx) {
			var n Notification
			if err == nil {
				n, err = DecodeNotification(m)
			}
			if !yield(n, err) {
				return
			}
		}
	}
}

// Close leaves the groups and closes the subscription's socket.
func (s *Subscription) Close() error { return s.sub.Close() }
`

// rawBatchSrc is the Batch type of an nfnetlink family whose spec has
// batch-begin and batch-end ops.
const rawBatchSrc = `// Batch collects requests that Commit sends as one transaction: a
// batch-begin message, the requests, a batch-end message, all in one
// sendmsg. The kernel applies the whole batch or, when any request fails,
// none of it. Build it with the methods named after the ops, then Commit:
//
//	b := c.NewBatch()
//	b.Newtable(&TableAttrs{...}, genl.Create)
//	b.Newchain(&ChainAttrs{...}, genl.Create)
//	results, err := b.Commit(ctx)
type Batch struct {
	c     *Client
	items []batchItem
}

type batchItem struct {
	typ    uint16
	op     string
	hdr    []byte
	layout *genl.HeaderLayout
	m      message
	names  *genl.NameTable
	flags  []genl.RequestFlag
}

// NewBatch returns an empty batch of the client.
func (c *Client) NewBatch() *Batch { return &Batch{c: c} }

// Len returns the number of requests in the batch.
func (b *Batch) Len() int { return len(b.items) }

func (b *Batch) add(typ uint16, op string, hdr []byte, layout *genl.HeaderLayout, m message, names *genl.NameTable, flags []genl.RequestFlag) *Batch {
	b.items = append(b.items, batchItem{typ, op, hdr, layout, m, names, flags})
	return b
}

// Commit validates and sends the batch, and returns the kernel's answer
// to each request in order. When a request failed, the error is a
// *genl.BatchError naming it (errors.As finds the kernel's *genl.Error
// through it), and nothing of the batch was applied.
func (b *Batch) Commit(ctx context.Context) ([]genl.BatchResult, error) {
	reqs := make([]*genl.RawRequest, len(b.items))
	for i, it := range b.items {
		r, err := b.c.request(ctx, it.typ, it.op, it.hdr, it.layout, it.m, it.names, it.flags)
		if err != nil {
			return nil, fmt.Errorf("batch request %d: %w", i, err)
		}
		reqs[i] = r
	}
	begin := &genl.RawRequest{Family: FamilyName, Type: batchBeginType, OpName: batchBeginOp, Header: batchHeader()}
	end := &genl.RawRequest{Family: FamilyName, Type: batchEndType, OpName: batchEndOp, Header: batchHeader()}
	return b.c.conn.Batch(ctx, begin, reqs, end)
}
`
