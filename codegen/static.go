package codegen

// The parts of generated packages that are the same for every family,
// as Go source. PSource adds their imports.

// clientSrc is the Client and the helpers its methods share. FAMILY is
// replaced by the family name.
const clientSrc = `// Client sends the FAMILY family's operations over a genl.Conn.
// It is safe for concurrent use.
//
// Requests are checked against the spec (their Validate method) before
// they are sent; set NoValidate, or use genl.WithoutValidation for one
// call, to send them as they are. genl.WithFlags adds request flags
// (create, excl, replace, append) to a call. A method returning a reply
// fails with an error wrapping ErrNoReply when the kernel only
// acknowledges the request.
type Client struct {
	conn *genl.Conn
	own  bool

	// NoValidate turns off the check of requests against the spec.
	NoValidate bool
}

// Dial opens a generic netlink connection and returns a client over it;
// Close closes the connection. opts may be nil.
func Dial(ctx context.Context, opts *genl.DialOptions) (*Client, error) {
	c, err := genl.Dial(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &Client{conn: c, own: true}, nil
}

// New returns a client over an existing connection, which Close leaves open.
func New(c *genl.Conn) *Client { return &Client{conn: c} }

// Conn returns the client's connection.
func (c *Client) Conn() *genl.Conn { return c.conn }

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
func (c *Client) request(ctx context.Context, cmd Cmd, op string, hdr []byte, m message, names *genl.NameTable) (*genl.Request, error) {
	var e genl.Encoder
	if m != nil {
		if !c.NoValidate && !genl.ValidationDisabled(ctx) {
			if err := m.Validate(); err != nil {
				return nil, opError(op, err)
			}
		}
		m.Encode(&e)
		if err := e.Err(); err != nil {
			return nil, opError(op, err)
		}
	}
	return &genl.Request{
		Family:  FamilyName,
		Command: uint8(cmd),
		Flags:   genl.FlagsFrom(ctx),
		Header:  hdr,
		Attrs:   e.Bytes(),
		OpName:  op,
		Names:   names,
	}, nil
}

// do sends a request and waits for its replies and ACK.
func (c *Client) do(ctx context.Context, cmd Cmd, op string, hdr []byte, m message, names *genl.NameTable) ([]genl.Message, error) {
	r, err := c.request(ctx, cmd, op, hdr, m, names)
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
// acknowledged the request without sending one. The request was carried
// out: the spec of some ops claims a reply the kernel never sends, as it
// announces the result in a notification instead (team's options-set),
// which Subscribe receives. Callers that expect this test errors.Is(err,
// ErrNoReply); the reply is nil.
var ErrNoReply = errors.New("the kernel acknowledged the request but sent no reply")

// decodeReply decodes the first reply of a do op into m.
func decodeReply(op string, msgs []genl.Message, hdrLen int, m decoder) error {
	if len(msgs) == 0 {
		return opError(op, ErrNoReply)
	}
	return decodeData(op, msgs[0].Data, hdrLen, m)
}

// opError prefixes err with the family and op names.
func opError(op string, err error) error {
	return fmt.Errorf("%s %s: %w", FamilyName, op, err)
}

// dumpBatch is how many values of a dump one allocation holds.
const dumpBatch = 16

// dump sends a dump request and yields each decoded reply. The values are
// allocated dumpBatch at a time, and their strings, byte slices and nested
// values come from one genl.Arena for the whole dump: one allocation
// serves several messages, and a value kept keeps its batch's and its
// arena chunks' memory alive (a few KiB). With genl.ReuseValues among
// opts it yields one value for every reply, reset before each, and
// recycles the arena's memory (see genl.ReuseValues).
func dump[T any, P interface {
	*T
	decoder
}](ctx context.Context, c *Client, cmd Cmd, op string, hdr []byte, hdrLen int, m message, names *genl.NameTable, opts []genl.DumpOption) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		r, err := c.request(ctx, cmd, op, hdr, m, names)
		if err != nil {
			yield(nil, err)
			return
		}
		var batch []T
		var arena genl.Arena
		var reused P
		if genl.Reuses(opts) {
			arena.SetRecycle()
			reused = P(new(T))
		}
		for msg, err := range c.conn.Dump(ctx, r) {
			if err != nil {
				if !yield(nil, err) {
					return
				}
				continue
			}
			v := reused
			if v != nil {
				var zero T
				*v = zero
				arena.Recycle()
			} else {
				if len(batch) == 0 {
					batch = make([]T, dumpBatch)
				}
				v = P(&batch[0])
				batch = batch[1:]
			}
			if err := decodeDataIn(op, msg.Data, hdrLen, v, &arena); err != nil {
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
`

// subscriptionSrc is Subscribe and the Subscription type.
const subscriptionSrc = `// Subscription receives the notifications of the groups it joined, on a
// socket of its own. Close it when done.
type Subscription struct {
	sub *genl.Subscription
}

// Subscribe joins multicast groups (at least one) and returns the
// subscription that receives their notifications.
func (c *Client) Subscribe(ctx context.Context, groups ...Group) (*Subscription, error) {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = string(g)
	}
	s, err := c.conn.Subscribe(ctx, FamilyName, names...)
	if err != nil {
		return nil, err
	}
	return &Subscription{sub: s}, nil
}

// Receive blocks for the next notification. When the socket overran and
// notifications were lost, the error matches genl.ErrOverrun and the
// subscription keeps going.
func (s *Subscription) Receive(ctx context.Context) (Notification, error) {
	m, err := s.sub.Receive(ctx)
	if err != nil {
		return Notification{}, err
	}
	return DecodeNotification(m)
}

// All streams notifications until ctx is done or the subscription is
// closed. Overruns and undecodable messages are yielded as errors and
// the stream goes on.
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

// addrSrc is the codec of IP address attributes.
const addrSrc = `// encodeAddr appends an IP address attribute: 4 bytes for an IPv4
// address (n is 4 for attributes that hold only IPv4), else 16.
func encodeAddr(e *genl.Encoder, t uint16, a netip.Addr, n int) {
	if n == 4 {
		a = a.Unmap()
	}
	if a.Is4() {
		b := a.As4()
		e.Binary(t, b[:])
		return
	}
	b := a.As16()
	e.Binary(t, b[:])
}

// decodeAddr reads an IP address attribute of n bytes (0: 4 or 16).
func decodeAddr(w *genl.Walker, n int) netip.Addr {
	d := w.Data()
	if len(d) == n || n == 0 && (len(d) == 4 || len(d) == 16) {
		a, _ := netip.AddrFromSlice(d)
		return a
	}
	w.Fail(fmt.Sprintf("want an IP address, got %d bytes", len(d)))
	return netip.Addr{}
}
`

// uuidSrc is the decoder of UUID attributes.
const uuidSrc = `// decodeUUID reads a 16-byte UUID attribute.
func decodeUUID(w *genl.Walker) (u [16]byte) {
	if copy(u[:], w.Data()) != 16 || len(w.Data()) != 16 {
		w.Fail(fmt.Sprintf("want 16 bytes, got %d", len(w.Data())))
	}
	return u
}
`

// bitfield32Src builds a Bitfield32 from the walker's two values.
const bitfield32Src = `func bitfield32(value, selector uint32) Bitfield32 {
	return Bitfield32{Value: value, Selector: selector}
}
`

// notFitSrc says that an enum or flags value is too large for its
// attribute's wire type, for Encode and Validate alike.
const notFitSrc = `// notFit says that v does not fit in an attribute of wire type wire.
func notFit(v uint64, wire string) string {
	return strconv.FormatUint(v, 10) + " does not fit in " + wire
}
`
