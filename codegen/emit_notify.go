package codegen

import (
	"strconv"
)

// emitNotifications writes the Notification type, its decoder and, when
// the family has multicast groups, Subscribe and the Subscription type.
func (g *gen) emitNotifications(f *GeneratedFile) {
	ntfs := g.notifications()
	if len(ntfs) == 0 && len(g.f.MulticastGroups) == 0 {
		return
	}
	idType := g.cmdType
	if g.replyType != "" {
		idType = g.replyType
	}
	f.P("// Notification is a message the kernel multicasts to the family's groups.")
	f.P("type Notification struct {")
	f.P("// Cmd is the notification's id.")
	f.P("Cmd ", idType)
	f.P("// Msg is the decoded message, by Cmd:")
	f.P("//")
	for _, o := range ntfs {
		f.P("//   - ", g.ntfID(o), ": *", o.set.Name)
	}
	f.P("//")
	f.P("// It is nil for an id the spec does not describe.")
	f.P("Msg any")
	f.P("}")
	f.P()
	f.P("// DecodeNotification decodes a message received from one of the family's")
	f.P("// multicast groups.")
	f.P("func DecodeNotification(m ", genlQ(f, "Message"), ") (Notification, error) {")
	f.P("n := Notification{Cmd: ", idType, "(m.Command)}")
	if len(ntfs) > 0 {
		f.P("switch n.Cmd {")
		for _, o := range ntfs {
			_, hdrLen := g.opHeader(o, "")
			f.P("case ", g.ntfID(o), ":")
			f.P("v := new(", o.set.Name, ")")
			f.P("n.Msg = v")
			f.P("return n, decodeData(", strconv.Quote(o.op.Name), ", m.Data, ", hdrLen, ", v)")
		}
		f.P("}")
	}
	f.P("return n, nil")
	f.P("}")
	f.P()
	if len(g.f.MulticastGroups) > 0 {
		g.emitSubscription(f)
	}
}

// ntfID is the constant naming a notification's id.
func (g *gen) ntfID(o *goOp) string {
	if o.Reply != "" {
		return o.Reply
	}
	return o.Cmd
}

func (g *gen) emitSubscription(f *GeneratedFile) {
	ctx := f.Q(identContext)
	f.P("// Subscription receives the notifications of the groups it joined, on a")
	f.P("// socket of its own. Close it when done.")
	f.P("type Subscription struct {")
	f.P("sub *", genlQ(f, "Subscription"))
	f.P("}")
	f.P()
	f.P("// Subscribe joins multicast groups (at least one) and returns the")
	f.P("// subscription that receives their notifications.")
	f.P("func (c *Client) Subscribe(ctx ", ctx, ", groups ...Group) (*Subscription, error) {")
	f.P("names := make([]string, len(groups))")
	f.P("for i, g := range groups {")
	f.P("names[i] = string(g)")
	f.P("}")
	f.P("s, err := c.conn.Subscribe(ctx, FamilyName, names...)")
	f.P("if err != nil {")
	f.P("return nil, err")
	f.P("}")
	f.P("return &Subscription{sub: s}, nil")
	f.P("}")
	f.P()
	f.P("// Receive blocks for the next notification. When the socket overran and")
	f.P("// notifications were lost, the error matches genl.ErrOverrun and the")
	f.P("// subscription keeps going.")
	f.P("func (s *Subscription) Receive(ctx ", ctx, ") (Notification, error) {")
	f.P("m, err := s.sub.Receive(ctx)")
	f.P("if err != nil {")
	f.P("return Notification{}, err")
	f.P("}")
	f.P("return DecodeNotification(m)")
	f.P("}")
	f.P()
	f.P("// All streams notifications until ctx is done or the subscription is")
	f.P("// closed. Overruns and undecodable messages are yielded as errors and")
	f.P("// the stream goes on.")
	f.P("func (s *Subscription) All(ctx ", ctx, ") ", f.Q(identSeq2), "[Notification, error] {")
	f.P("return func(yield func(Notification, error) bool) {")
	f.P("for m, err := range s.sub.All(ctx) {")
	f.P("var n Notification")
	f.P("if err == nil {")
	f.P("n, err = DecodeNotification(m)")
	f.P("}")
	f.P("if !yield(n, err) {")
	f.P("return")
	f.P("}")
	f.P("}")
	f.P("}")
	f.P("}")
	f.P()
	f.P("// Close leaves the groups and closes the subscription's socket.")
	f.P("func (s *Subscription) Close() error { return s.sub.Close() }")
	f.P()
}
