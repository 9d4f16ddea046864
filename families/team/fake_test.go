package team

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no team family, so these tests run the client
// against a fake kernel: requests must decode to what the client sent,
// and replies built attribute by attribute must decode to the typed
// values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: nil, Ops: ops,
	})
	return New(k.Conn(t)), k
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// diff reports a difference between want and got under what.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// The team spec has only do operations (noop is command 0); our overlay
// adds the change_event group and marks the option and port entries
// repeated (see TestLiveOptions in the VM lab for the real kernel).

func TestFakeOptionsSetAndGet(t *testing.T) {
	set := new(Attrs)
	var e genl.Encoder
	e.Uint32(AttrIfindex, 5)
	n := e.Nest(AttrListOption)
	o := e.Nest(AttrItemOptionOption)
	e.String(AttrAttrOptionName, "mode")
	e.Uint8(AttrAttrOptionType, 5) // NLA_STRING
	e.Binary(AttrAttrOptionData, []byte("activebackup\x00"))
	e.Flag(AttrAttrOptionChanged)
	e.End(o)
	e.End(n)
	c, _ := fake(t, map[uint8]genltest.Handler{
		uint8(CmdOptionsSet): genltest.Answer(set, e.Bytes()),
		uint8(CmdOptionsGet): genltest.Answer(new(Attrs), e.Bytes()),
	})
	mode := &AttrOption{Name: genl.Some("mode"), Type: genl.Some[uint8](5), Data: []byte("activebackup\x00")}
	req := &Attrs{Ifindex: genl.Some[uint32](5), ListOption: &ItemOption{Option: []AttrOption{*mode}}}
	// The spec gives options-set a reply: the options as changed.
	setRep, err := c.OptionsSet(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "options-set request the kernel received", req, set)

	rep, err := c.OptionsGet(ctx(t), &Attrs{Ifindex: genl.Some[uint32](5)})
	if err != nil {
		t.Fatal(err)
	}
	changed := *mode
	changed.Changed = true
	want := &Attrs{Ifindex: genl.Some[uint32](5), ListOption: &ItemOption{Option: []AttrOption{changed}}}
	diff(t, "options-set reply", want, setRep)
	diff(t, "options-get reply", want, rep)
}

func TestFakePortListGet(t *testing.T) {
	var e genl.Encoder
	e.Uint32(AttrIfindex, 5)
	n := e.Nest(AttrListPort)
	p := e.Nest(AttrItemPortPort)
	e.Uint32(AttrAttrPortIfindex, 6)
	e.Flag(AttrAttrPortLinkup)
	e.Uint32(AttrAttrPortSpeed, 10000)
	e.Uint8(AttrAttrPortDuplex, 1)
	e.End(p)
	e.End(n)
	got := new(Attrs)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdPortListGet): genltest.Answer(got, e.Bytes())})
	rep, err := c.PortListGet(ctx(t), &Attrs{Ifindex: genl.Some[uint32](5)})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", &Attrs{Ifindex: genl.Some[uint32](5)}, got)
	diff(t, "reply", &Attrs{Ifindex: genl.Some[uint32](5), ListPort: &ItemPort{Port: []AttrPort{{
		Ifindex: genl.Some[uint32](6), Linkup: true, Speed: genl.Some[uint32](10000), Duplex: genl.Some[uint8](1),
	}}}}, rep)
}

func TestFakeNoop(t *testing.T) {
	var e genl.Encoder
	e.Uint32(AttrIfindex, 5)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdNoop): genltest.Answer(new(Attrs), e.Bytes())})
	rep, err := c.Noop(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "reply", &Attrs{Ifindex: genl.Some[uint32](5)}, rep)
}
