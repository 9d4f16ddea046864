package family

import (
	"bytes"
	"encoding/json"
	"math/bits"
	"strconv"
)

// Descriptor returns the family as a canonical JSON document that is itself
// a valid spec of the family's protocol: every name resolved, every
// attribute, enum entry and (unified) operation value explicit, docs kept,
// anchors expanded and overlays merged. Parse(f.FileName, desc) yields a
// model equal to f apart from positions. Keys appear in a fixed order and
// empty or default keys are left out, so equal families give equal bytes.
//
// Directional operations carry their ids in the request and reply blocks of
// the mode that numbers them (do, else dump); an op whose numbering mode has
// no request block takes the next request id, as the spec's own rules give.
// Keys the model does not hold (kernel-family) are not rendered.
func (f *Family) Descriptor() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(f.descriptor()); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// obj is a JSON object that keeps its key order.
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON renders the object with its keys in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Quote(p.k))
		b.WriteByte(':')
		var vb bytes.Buffer
		enc := json.NewEncoder(&vb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p.v); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimRight(vb.Bytes(), "\n"))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// put appends a key; str, bool and slice values are left out when empty.
func (o *obj) put(k string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case bool:
		if !x {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case []any:
		if len(x) == 0 {
			return
		}
	}
	*o = append(*o, kv{k, v})
}

// enumName renders an enum-name that may be null.
func (o *obj) enumName(k, name string, null bool) {
	if null {
		*o = append(*o, kv{k, nil})
		return
	}
	o.put(k, name)
}

func (f *Family) descriptor() obj {
	o := obj{{"name", f.Name}, {"doc", f.Doc}, {"protocol", string(f.Protocol)}}
	o.put("uapi-header", f.UAPIHeader)
	o.put("c-family-name", f.CFamilyName)
	o.put("c-version-name", f.CVersionName)
	o.put("max-by-define", f.MaxByDefine)
	o.put("cmd-max-name", f.CmdMaxName)
	o.put("cmd-cnt-name", f.CmdCntName)
	o.put("kernel-policy", f.KernelPolicy)
	switch f.Protocol {
	case ProtocolGenetlinkLegacy:
		o.put("version", f.Version)
	case ProtocolNetlinkRaw:
		o.put("protonum", f.ProtoNum)
	}
	var defs []any
	for _, d := range f.Definitions {
		defs = append(defs, d.descriptor())
	}
	o.put("definitions", defs)
	sets := []any{}
	for _, s := range f.AttributeSets {
		sets = append(sets, s.descriptor())
	}
	o = append(o, kv{"attribute-sets", sets})
	o = append(o, kv{"operations", f.Operations.descriptor()})
	var groups []any
	for _, g := range f.MulticastGroups {
		groups = append(groups, g.descriptor(f.Protocol))
	}
	if len(groups) > 0 {
		o.put("mcast-groups", obj{{"list", groups}})
	}
	var subs []any
	for _, s := range f.SubMessages {
		subs = append(subs, s.descriptor())
	}
	o.put("sub-messages", subs)
	return o
}

func (d *Definition) descriptor() obj {
	o := obj{{"name", d.Name}, {"type", string(d.Kind)}}
	o.put("doc", d.Doc)
	o.put("header", d.Header)
	o.put("scope", d.Scope)
	switch d.Kind {
	case DefConst:
		o.put("name-prefix", d.NamePrefix)
		if d.IsString {
			o = append(o, kv{"value", d.StrValue})
		} else {
			o = append(o, kv{"value", d.Value})
		}
	case DefEnum, DefFlags:
		o.enumName("enum-name", d.EnumName, d.NoEnumName)
		o.put("name-prefix", d.NamePrefix)
		o.put("enum-cnt-name", d.EnumCntName)
		o.put("render-max", d.RenderMax)
		if d.ValueStart != 0 {
			o.put("value-start", d.ValueStart)
		}
		entries := []any{}
		next := d.ValueStart
		for _, e := range d.Entries {
			var v int64 = int64(e.Value)
			if d.Kind == DefFlags {
				v = int64(bits.TrailingZeros64(e.Value))
			}
			// A name the schemas' pattern does not allow in a mapping
			// ("ip_map") only comes as a plain string, whose value is
			// implied: keep it that form.
			if e.Doc == "" && v == next && !reName.MatchString(e.Name) {
				entries = append(entries, e.Name)
			} else {
				eo := obj{{"name", e.Name}, {"value", v}}
				eo.put("doc", e.Doc)
				entries = append(entries, eo)
			}
			next = v + 1
		}
		o = append(o, kv{"entries", entries})
	case DefStruct:
		members := []any{}
		for _, m := range d.Members {
			members = append(members, m.descriptor())
		}
		o = append(o, kv{"members", members})
	}
	return o
}

func (m *Member) descriptor() obj {
	o := obj{{"name", m.Name}, {"type", m.Type}}
	if m.Len != 0 || ((m.Type == "string" || m.Type == "pad" || m.Type == "binary") && m.Struct == nil) {
		o.put("len", m.Len)
	}
	o.put("byte-order", string(m.ByteOrder))
	o.put("doc", m.Doc)
	if m.Enum != nil {
		o.put("enum", m.Enum.Name)
	}
	o.put("enum-as-flags", m.EnumAsFlags)
	o.put("display-hint", m.DisplayHint)
	if m.Struct != nil {
		o.put("struct", m.Struct.Name)
	}
	return o
}

func (s *AttrSet) descriptor() obj {
	o := obj{{"name", s.Name}}
	o.put("name-prefix", s.NamePrefix)
	o.enumName("enum-name", s.EnumName, s.NoEnumName)
	o.put("doc", s.Doc)
	if s.SubsetOf != nil {
		o.put("subset-of", s.SubsetOf.Name)
	}
	o.put("attr-cnt-name", s.AttrCntName)
	o.put("attr-max-name", s.AttrMaxName)
	o.put("header", s.Header)
	attrs := []any{}
	for _, a := range s.Attributes {
		attrs = append(attrs, a.descriptor())
	}
	return append(o, kv{"attributes", attrs})
}

func (a *Attr) descriptor() obj {
	o := obj{{"name", a.Name}}
	o.put("type", string(a.Type))
	o = append(o, kv{"value", a.Value})
	o.put("doc", a.Doc)
	o.put("multi-attr", a.MultiAttr)
	o.put("byte-order", string(a.ByteOrder))
	o.put("display-hint", a.DisplayHint)
	o.put("name-prefix", a.NamePrefix)
	if a.Nested != nil {
		o.put("nested-attributes", a.Nested.Name)
	}
	o.put("sub-type", string(a.SubType))
	o.put("type-value", a.TypeValue)
	if a.Struct != nil {
		o.put("struct", a.Struct.Name)
	}
	if a.Enum != nil {
		o.put("enum", a.Enum.Name)
	}
	o.put("enum-as-flags", a.EnumAsFlags)
	if a.SubMessage != nil {
		o.put("sub-message", a.SubMessage.Name)
	}
	o.put("selector", a.SelectorName)
	if c := a.Checks.descriptor(); len(c) > 0 {
		o.put("checks", c)
	}
	return o
}

func (c *Checks) descriptor() obj {
	var o obj
	for _, l := range []struct {
		k string
		v *Limit
	}{{"min", c.Min}, {"max", c.Max}, {"min-len", c.MinLen}, {"max-len", c.MaxLen}, {"exact-len", c.ExactLen}} {
		switch {
		case l.v == nil:
		case l.v.Name != "":
			o.put(l.k, l.v.Name)
		default:
			o.put(l.k, l.v.Abs)
		}
	}
	o.put("unterminated-ok", c.UnterminatedOK)
	if c.FlagsMask != nil {
		o.put("flags-mask", c.FlagsMask.Name)
	}
	return o
}

func (ops *Operations) descriptor() obj {
	o := obj{{"enum-model", ops.Model}}
	o.put("name-prefix", ops.NamePrefix)
	o.enumName("enum-name", ops.EnumName, ops.NoEnumName)
	o.put("async-prefix", ops.AsyncPrefix)
	o.enumName("async-enum", ops.AsyncEnum, ops.NoAsyncEnum)
	if ops.FixedHeader != nil {
		o.put("fixed-header", ops.FixedHeader.Name)
	}
	list := []any{}
	for _, op := range ops.List {
		list = append(list, op.descriptor(ops))
	}
	return append(o, kv{"list", list})
}

func (op *Op) descriptor(ops *Operations) obj {
	o := obj{{"name", op.Name}, {"doc", op.Doc}}
	if !ops.Directional() || op.IsNotification() {
		o.put("value", op.Value)
	}
	if op.AttrSet != nil {
		o.put("attribute-set", op.AttrSet.Name)
	}
	o.put("flags", op.Flags)
	o.put("dont-validate", op.DontValidate)
	o.put("config-cond", op.ConfigCond)
	if op.FixedHeader != nil && op.FixedHeader != ops.FixedHeader {
		o.put("fixed-header", op.FixedHeader.Name)
	}
	if op.Do != nil {
		o.put("do", op.Do.descriptor())
	}
	if op.Dump != nil {
		o.put("dump", op.Dump.descriptor())
	}
	if op.Notify != nil {
		o.put("notify", op.Notify.Name)
	}
	if op.Event != nil {
		o.put("event", obj{{"attributes", attrNames(op.Event.Attributes)}})
	}
	if op.Mcgrp != nil {
		o.put("mcgrp", op.Mcgrp.Name)
	}
	return o
}

func (m *OpMode) descriptor() obj {
	o := obj{}
	if m.Request != nil {
		o.put("request", m.Request.descriptor())
	}
	if m.Reply != nil {
		o.put("reply", m.Reply.descriptor())
	}
	o.put("pre", m.Pre)
	o.put("post", m.Post)
	return o
}

func (m *OpMessage) descriptor() obj {
	o := obj{}
	if m.Value != 0 {
		o.put("value", m.Value)
	}
	return append(o, kv{"attributes", attrNames(m.Attributes)})
}

func attrNames(list []*Attr) []string {
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.Name
	}
	return out
}

func (g *McastGroup) descriptor(p Protocol) obj {
	o := obj{{"name", g.Name}}
	o.put("c-define-name", g.CName)
	o.put("flags", g.Flags)
	if p == ProtocolNetlinkRaw {
		o = append(o, kv{"value", g.Value})
	}
	return o
}

func (s *SubMessage) descriptor() obj {
	o := obj{{"name", s.Name}}
	o.put("doc", s.Doc)
	formats := []any{}
	for _, f := range s.Formats {
		fo := obj{{"value", f.Value}}
		if f.FixedHeader != nil {
			fo.put("fixed-header", f.FixedHeader.Name)
		}
		if f.AttrSet != nil {
			fo.put("attribute-set", f.AttrSet.Name)
		}
		formats = append(formats, fo)
	}
	return append(o, kv{"formats", formats})
}
