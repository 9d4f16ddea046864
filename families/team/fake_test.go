package team_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/families/team"
	"github.com/ynlgo/ynl/families/team/teamtest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no team family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from its generated fake kernel (teamtest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[team.Cmd]genltest.Handler) (*team.Client, *genltest.Kernel) {
	t.Helper()
	f := teamtest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// The team spec has only do operations (noop is command 0); our overlay
// adds the change_event group and marks the option and port entries
// repeated (see TestLiveOptions in the VM lab for the real kernel).

func TestFakeOptionsSetAndGet(t *testing.T) {
	set := new(team.Attrs)
	var e genl.Encoder
	e.Uint32(team.AttrIfindex, 5)
	n := e.Nest(team.AttrListOption)
	o := e.Nest(team.AttrItemOptionOption)
	e.String(team.AttrAttrOptionName, "mode")
	e.Uint8(team.AttrAttrOptionType, 5) // NLA_STRING
	e.Binary(team.AttrAttrOptionData, []byte("activebackup\x00"))
	e.Flag(team.AttrAttrOptionChanged)
	e.End(o)
	e.End(n)
	c, _ := fake(t, map[team.Cmd]genltest.Handler{
		team.CmdOptionsSet: genltest.Answer(set, e.Bytes()),
		team.CmdOptionsGet: genltest.Answer(new(team.Attrs), e.Bytes()),
	})
	mode := &team.AttrOption{Name: genl.Some("mode"), Type: genl.Some[uint8](5), Data: []byte("activebackup\x00")}
	req := &team.Attrs{Ifindex: genl.Some[uint32](5), ListOption: &team.ItemOption{Option: []team.AttrOption{*mode}}}
	// The spec gives options-set a reply: the options as changed.
	setRep, err := c.OptionsSet(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "options-set request the kernel received", req, set)

	rep, err := c.OptionsGet(ctx(t), &team.Attrs{Ifindex: genl.Some[uint32](5)})
	if err != nil {
		t.Fatal(err)
	}
	changed := *mode
	changed.Changed = true
	want := &team.Attrs{Ifindex: genl.Some[uint32](5), ListOption: &team.ItemOption{Option: []team.AttrOption{changed}}}
	diff(t, "options-set reply", want, setRep)
	diff(t, "options-get reply", want, rep)
}

func TestFakePortListGet(t *testing.T) {
	var e genl.Encoder
	e.Uint32(team.AttrIfindex, 5)
	n := e.Nest(team.AttrListPort)
	p := e.Nest(team.AttrItemPortPort)
	e.Uint32(team.AttrAttrPortIfindex, 6)
	e.Flag(team.AttrAttrPortLinkup)
	e.Uint32(team.AttrAttrPortSpeed, 10000)
	e.Uint8(team.AttrAttrPortDuplex, 1)
	e.End(p)
	e.End(n)
	got := new(team.Attrs)
	c, _ := fake(t, map[team.Cmd]genltest.Handler{team.CmdPortListGet: genltest.Answer(got, e.Bytes())})
	rep, err := c.PortListGet(ctx(t), &team.Attrs{Ifindex: genl.Some[uint32](5)})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", &team.Attrs{Ifindex: genl.Some[uint32](5)}, got)
	diff(t, "reply", &team.Attrs{Ifindex: genl.Some[uint32](5), ListPort: &team.ItemPort{Port: []team.AttrPort{{
		Ifindex: genl.Some[uint32](6), Linkup: true, Speed: genl.Some[uint32](10000), Duplex: genl.Some[uint8](1),
	}}}}, rep)
}

func TestFakeNoop(t *testing.T) {
	var e genl.Encoder
	e.Uint32(team.AttrIfindex, 5)
	c, _ := fake(t, map[team.Cmd]genltest.Handler{team.CmdNoop: genltest.Answer(new(team.Attrs), e.Bytes())})
	rep, err := c.Noop(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "reply", &team.Attrs{Ifindex: genl.Some[uint32](5)}, rep)
}
