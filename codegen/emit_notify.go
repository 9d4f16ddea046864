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
	f.PSource(subscriptionSrc, "context", "iter", genlPath)
}
