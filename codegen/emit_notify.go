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
	g.emitMsgDoc(f, ntfs)
	f.P("Msg any")
	f.P("}")
	f.P()
	f.P("// DecodeNotification decodes a message received from one of the family's")
	f.P("// multicast groups: a notification, or a reply of another op (see")
	f.P("// Notification.Msg).")
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

// emitMsgDoc documents Notification.Msg: first the notifications and
// events the spec declares, which are what a subscription delivers, then,
// apart, the replies of other ops, which DecodeNotification decodes too
// because some families multicast replies (nlctrl announces a new family
// with a getfamily reply) although their specs do not say so.
func (g *gen) emitMsgDoc(f *GeneratedFile, ops []*goOp) {
	var ntfs, replies []*goOp
	for _, o := range ops {
		if o.op.IsNotification() {
			ntfs = append(ntfs, o)
		} else {
			replies = append(replies, o)
		}
	}
	if len(ntfs) > 0 {
		f.P("// Msg is the decoded message, by Cmd. The family's notifications:")
		f.P("//")
		for _, o := range ntfs {
			line := "//   - " + g.ntfID(o) + ": *" + o.set.Name
			if mg := o.op.Mcgrp; mg != nil {
				line += ", on " + g.groups[mg]
			}
			f.P(line)
		}
		f.P("//")
	}
	switch {
	case len(replies) > 0 && len(ntfs) > 0:
		f.P("// The replies of other ops are decoded too, should one be multicast")
		f.P("// (the spec declares them only as replies):")
	case len(replies) > 0:
		f.P("// Msg is the decoded message, by Cmd. The spec declares no")
		f.P("// notifications; the replies of the family's ops, which it may")
		f.P("// multicast, are decoded:")
	}
	if len(replies) > 0 {
		f.P("//")
		for _, o := range replies {
			f.P("//   - ", g.ntfID(o), ": *", o.set.Name)
		}
		f.P("//")
	}
	if len(ops) == 0 {
		f.P("// Msg is the decoded message: the spec declares none, so it is nil.")
		return
	}
	f.P("// It is nil for an id the spec does not describe.")
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
