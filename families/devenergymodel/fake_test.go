package devenergymodel_test

import (
	"testing"

	"github.com/ynlgo/ynl/families/devenergymodel"
	"github.com/ynlgo/ynl/families/devenergymodel/devenergymodeltest"
	"github.com/ynlgo/ynl/families/internal/faketest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// ctx and diff are the helpers the families' fake tests share.
var (
	ctx  = faketest.Ctx
	diff = faketest.Diff
)

// The kernel here has no dev-energymodel family, so these tests run the
// client against a fake kernel: requests must decode to what the client
// sent, and replies built attribute by attribute must decode to the
// typed values.

// fake serves the family from its generated fake kernel (devenergymodeltest),
// with raw handlers: these tests build the kernel's messages attribute by
// attribute, so the decoder is checked against the wire, not against the
// encoder.
func fake(t *testing.T, ops map[devenergymodel.Cmd]genltest.Handler) (*devenergymodel.Client, *genltest.Kernel) {
	t.Helper()
	f := devenergymodeltest.New(t)
	for cmd, h := range ops {
		f.HandleRaw(cmd, false, h)
		f.HandleRaw(cmd, true, h)
	}
	return f.Client(), f.Kernel
}

// perfDomain encodes a perf domain reply by hand.
func perfDomain(id uint32, cpus ...uint64) []byte {
	var e genl.Encoder
	e.Uint32(devenergymodel.AttrPerfDomainID, id)
	e.Uint64(devenergymodel.AttrPerfDomainFlags, uint64(devenergymodel.PerfDomainFlagsPerfDomainMicrowatts))
	for _, c := range cpus {
		e.Uint64(devenergymodel.AttrPerfDomainCPUs, c)
	}
	return e.Bytes()
}

func TestFakeGetPerfDomains(t *testing.T) {
	got := new(devenergymodel.PerfDomain)
	c, _ := fake(t, map[devenergymodel.Cmd]genltest.Handler{devenergymodel.CmdGetPerfDomains: genltest.Answer(got, perfDomain(7, 0, 1, 2, 3))})
	req := &devenergymodel.PerfDomain{ID: genl.Some[uint32](7)}
	rep, err := c.GetPerfDomains(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &devenergymodel.PerfDomain{
		ID: genl.Some[uint32](7), Flags: genl.Some(devenergymodel.PerfDomainFlagsPerfDomainMicrowatts), CPUs: []uint64{0, 1, 2, 3},
	}, rep)
}

func TestFakeGetPerfDomainsDump(t *testing.T) {
	c, _ := fake(t, map[devenergymodel.Cmd]genltest.Handler{devenergymodel.CmdGetPerfDomains: genltest.Answer(new(devenergymodel.PerfDomain), perfDomain(0, 0, 1), perfDomain(1, 2, 3))})
	var got []*devenergymodel.PerfDomain
	for m, err := range c.GetPerfDomainsDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	flags := genl.Some(devenergymodel.PerfDomainFlagsPerfDomainMicrowatts)
	diff(t, "dump", []*devenergymodel.PerfDomain{
		{ID: genl.Some[uint32](0), Flags: flags, CPUs: []uint64{0, 1}},
		{ID: genl.Some[uint32](1), Flags: flags, CPUs: []uint64{2, 3}},
	}, got)
}

func TestFakePerfDomainCreated(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), devenergymodel.GroupEvent)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(devenergymodel.AttrPerfTablePerfDomainID, 4)
	for _, f := range []uint64{800000, 1600000} {
		n := e.Nest(devenergymodel.AttrPerfTablePerfState)
		e.Uint64(devenergymodel.AttrPerfStateFrequency, f)
		e.Uint64(devenergymodel.AttrPerfStatePower, f/1000)
		e.Uint64(devenergymodel.AttrPerfStateFlags, uint64(devenergymodel.PerfStateFlagsPerfStateInefficient))
		e.End(n)
	}
	if err := k.Notify(devenergymodel.FamilyName, string(devenergymodel.GroupEvent), uint8(devenergymodel.CmdPerfDomainCreated), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ineff := genl.Some(devenergymodel.PerfStateFlagsPerfStateInefficient)
	diff(t, "notification", devenergymodel.Notification{Cmd: devenergymodel.CmdPerfDomainCreated, Msg: &devenergymodel.PerfTable{
		PerfDomainID: genl.Some[uint32](4),
		PerfState: []devenergymodel.PerfState{
			{Frequency: genl.Some[uint64](800000), Power: genl.Some[uint64](800), Flags: ineff},
			{Frequency: genl.Some[uint64](1600000), Power: genl.Some[uint64](1600), Flags: ineff},
		},
	}}, n)
}
