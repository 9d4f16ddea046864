package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ynlgo/ynl/family"
)

// listOps prints "name  [ do, dump ]" per op, like the Python tool: the
// ops with a do or dump, or with all every message (notifications too).
func listOps(w io.Writer, f *family.Family, all bool) {
	for _, op := range f.Operations.List {
		modes := opModes(op)
		if !all && op.Do == nil && op.Dump == nil {
			continue
		}
		fmt.Fprintf(w, "%s  [ %s ]\n", op.Name, strings.Join(modes, ", "))
	}
}

func opModes(op *family.Op) []string {
	var m []string
	if op.Do != nil {
		m = append(m, "do")
	}
	if op.Dump != nil {
		m = append(m, "dump")
	}
	if op.Event != nil {
		m = append(m, "event")
	}
	if op.Notify != nil {
		m = append(m, "notify")
	}
	return m
}

// listAttrs prints the attributes of a message: per mode the request and
// reply attributes with types, enums and docs, nests expanded.
func listAttrs(w io.Writer, f *family.Family, name string) error {
	op := f.Operations.Op(name)
	if op == nil {
		return usagef("operation %q not found in family %s (see --list-msgs)", name, f.Name)
	}
	fmt.Fprintf(w, "Operation: %s\n", op.Name)
	if op.Doc != "" {
		fmt.Fprintln(w, strings.TrimSpace(op.Doc))
	}
	same := op.Do != nil && op.Dump != nil && op.Do.Reply != nil && op.Dump.Reply != nil &&
		sameAttrs(op.Do.Reply.Attributes, op.Dump.Reply.Attributes)
	for _, mode := range []struct {
		name string
		m    *family.OpMode
	}{{"Do", op.Do}, {"Dump", op.Dump}} {
		if mode.m == nil {
			continue
		}
		if r := mode.m.Request; r != nil && len(r.Attributes) > 0 {
			fmt.Fprintf(w, "\n%s request attributes:\n", mode.name)
			printAttrList(w, r.Attributes, 2, nil)
		}
		if r := mode.m.Reply; r != nil && len(r.Attributes) > 0 && !(same && mode.name == "Do") {
			title := mode.name
			if same {
				title = "Do and Dump"
			}
			fmt.Fprintf(w, "\n%s reply attributes:\n", title)
			printAttrList(w, r.Attributes, 2, nil)
		}
	}
	if op.IsNotification() {
		title := "Notification"
		if op.Event != nil {
			title = "Event"
		}
		fmt.Fprintf(w, "\n%s attributes:\n", title)
		printAttrList(w, op.NotificationAttrs(), 2, nil)
	}
	if op.Mcgrp != nil {
		fmt.Fprintf(w, "\nMulticast group: %s\n", op.Mcgrp.Name)
	}
	return nil
}

func sameAttrs(a, b []*family.Attr) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// printAttrList prints attributes and, indented, the sets they nest;
// seen stops recursive sets from expanding forever.
func printAttrList(w io.Writer, attrs []*family.Attr, indent int, seen map[*family.AttrSet]bool) {
	prefix := strings.Repeat(" ", indent)
	for _, a := range attrs {
		fmt.Fprintf(w, "%s- %s: %s\n", prefix, a.Name, attrTypeText(a))
		if a.Enum != nil {
			fmt.Fprintf(w, "%s  %s: %s\n", prefix, strings.ToUpper(string(a.Enum.Kind[:1]))+string(a.Enum.Kind[1:]), entryNames(a.Enum))
		}
		if doc := strings.Join(strings.Fields(a.Doc), " "); doc != "" {
			fmt.Fprintf(w, "%s    %s\n", prefix, doc)
		}
		if a.Nested != nil && !seen[a.Nested] {
			s := map[*family.AttrSet]bool{a.Nested: true}
			for k := range seen {
				s[k] = true
			}
			printAttrList(w, usedAttrs(a.Nested), indent+4, s)
		}
	}
}

// attrTypeText is the type with its details: "u32 (enum: color)",
// "nest -> inner", "indexed-array of nest -> inner".
func attrTypeText(a *family.Attr) string {
	t := string(a.Type)
	if a.SubType != "" {
		t += " of " + string(a.SubType)
	}
	if a.MultiAttr {
		t += " (multi-attr)"
	}
	if a.Enum != nil {
		t += fmt.Sprintf(" (%s: %s)", a.Enum.Kind, a.Enum.Name)
	}
	if a.Struct != nil {
		t += " (struct: " + a.Struct.Name + ")"
	}
	if a.DisplayHint != "" {
		t += " (" + a.DisplayHint + ")"
	}
	if a.Nested != nil {
		t += " -> " + a.Nested.Name
	}
	if a.SubMessage != nil {
		t += fmt.Sprintf(" -> %s (selector: %s)", a.SubMessage.Name, a.SelectorName)
	}
	if c := checksText(a.Checks); c != "" {
		t += " [" + c + "]"
	}
	return t
}

// checksText lists an attribute's checks: "min 1, max 10, max-len 15".
func checksText(c family.Checks) string {
	var parts []string
	for _, l := range []struct {
		name string
		lim  *family.Limit
	}{{"min", c.Min}, {"max", c.Max}, {"min-len", c.MinLen}, {"max-len", c.MaxLen}, {"exact-len", c.ExactLen}} {
		if l.lim != nil {
			parts = append(parts, l.name+" "+limitText(l.lim))
		}
	}
	if c.FlagsMask != nil {
		parts = append(parts, "flags-mask "+c.FlagsMask.Name)
	}
	return strings.Join(parts, ", ")
}

func entryNames(d *family.Definition) string {
	names := make([]string, len(d.Entries))
	for i, e := range d.Entries {
		names[i] = e.Name
	}
	return strings.Join(names, ", ")
}

// usedAttrs lists a set's attributes without the unused placeholders.
func usedAttrs(s *family.AttrSet) []*family.Attr {
	var out []*family.Attr
	for _, a := range s.Attributes {
		if a.Type != family.TypeUnused && a.Type != family.TypePad {
			out = append(out, a)
		}
	}
	return out
}
