package nl80211

import (
	"context"

	"github.com/ynlgo/ynl/genl"
)

// FrameSocket registers for management frames and receives them. nl80211
// delivers the frames a register-frame asked for only to the socket that
// sent it, unicast, and drops the registration when that socket closes,
// so a FrameSocket is a socket of its own (a genl.Socket) that sends the
// registrations, receives the frames and transmits frames too.
type FrameSocket struct {
	c *Client
	s *genl.Socket
}

// OpenFrameSocket opens a socket for frame registrations. Close it to end
// them.
func (c *Client) OpenFrameSocket(ctx context.Context) (*FrameSocket, error) {
	s, err := c.conn.OpenSocket(ctx, FamilyName)
	if err != nil {
		return nil, err
	}
	return &FrameSocket{c: c, s: s}, nil
}

// Close closes the socket, which ends its registrations.
func (f *FrameSocket) Close() error { return f.s.Close() }

// do sends one request of op cmd on the socket.
func (f *FrameSocket) do(ctx context.Context, cmd Cmd, op string, m message) ([]genl.Message, error) {
	r, err := f.c.request(ctx, cmd, op, nil, m, nl80211AttrsTable)
	if err != nil {
		return nil, err
	}
	return f.s.Do(ctx, r)
}

// Register asks for the management frames of type frameType (a Frame*
// value) whose body starts with match (nil matches all) received on the
// interface ifindex.
func (f *FrameSocket) Register(ctx context.Context, ifindex uint32, frameType uint16, match []byte) error {
	if match == nil {
		match = []byte{}
	}
	_, err := f.do(ctx, CmdRegisterFrame, "register-frame", &Attrs{
		Ifindex: genl.Some(ifindex), FrameType: genl.Some(frameType), FrameMatch: match,
	})
	return err
}

// Send transmits a management frame with the frame command (req.Frame and
// req.Ifindex at least) and returns the cookie of its reply, which the
// frame-tx-status event repeats.
func (f *FrameSocket) Send(ctx context.Context, req *Attrs) (uint64, error) {
	msgs, err := f.do(ctx, CmdFrame, "frame", req)
	if err != nil {
		return 0, err
	}
	rep := new(Attrs)
	if err := decodeReply("frame", msgs, 0, rep); err != nil {
		return 0, err
	}
	return rep.Cookie.Value, nil
}

// Receive returns the next frame notification (frame-ntf): the frame in
// Frame, the interface, frequency and signal. Other unsolicited messages
// are skipped.
func (f *FrameSocket) Receive(ctx context.Context) (*Attrs, error) {
	for {
		m, err := f.s.Receive(ctx)
		if err != nil {
			return nil, err
		}
		if ReplyCmd(m.Command) != CmdFrameNtf {
			continue
		}
		v := new(Attrs)
		if err := decodeData("frame-ntf", m.Data, 0, v); err != nil {
			return nil, err
		}
		return v, nil
	}
}
