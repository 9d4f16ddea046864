package devenergymodel

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The kernel here has no dev-energymodel family, so these tests run the
// client against a fake kernel: requests must decode to what the client
// sent, and replies built attribute by attribute must decode to the
// typed values.

// fake serves the family from a fake kernel whose ops answer its commands.
func fake(t *testing.T, ops map[uint8]genltest.Handler) (*Client, *genltest.Kernel) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{
		Name: FamilyName, Version: FamilyVersion, HeaderSize: HeaderSize,
		Groups: []string{string(GroupEvent)}, Ops: ops,
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

// perfDomain encodes a perf domain reply by hand.
func perfDomain(id uint32, cpus ...uint64) []byte {
	var e genl.Encoder
	e.Uint32(AttrPerfDomainID, id)
	e.Uint64(AttrPerfDomainFlags, uint64(PerfDomainFlagsPerfDomainMicrowatts))
	for _, c := range cpus {
		e.Uint64(AttrPerfDomainCPUs, c)
	}
	return e.Bytes()
}

func TestFakeGetPerfDomains(t *testing.T) {
	got := new(PerfDomain)
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGetPerfDomains): genltest.Answer(got, perfDomain(7, 0, 1, 2, 3))})
	req := &PerfDomain{ID: genl.Some[uint32](7)}
	rep, err := c.GetPerfDomains(ctx(t), req)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "request the kernel received", req, got)
	diff(t, "reply", &PerfDomain{
		ID: genl.Some[uint32](7), Flags: genl.Some(PerfDomainFlagsPerfDomainMicrowatts), CPUs: []uint64{0, 1, 2, 3},
	}, rep)
}

func TestFakeGetPerfDomainsDump(t *testing.T) {
	c, _ := fake(t, map[uint8]genltest.Handler{uint8(CmdGetPerfDomains): genltest.Answer(new(PerfDomain), perfDomain(0, 0, 1), perfDomain(1, 2, 3))})
	var got []*PerfDomain
	for m, err := range c.GetPerfDomainsDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m)
	}
	flags := genl.Some(PerfDomainFlagsPerfDomainMicrowatts)
	diff(t, "dump", []*PerfDomain{
		{ID: genl.Some[uint32](0), Flags: flags, CPUs: []uint64{0, 1}},
		{ID: genl.Some[uint32](1), Flags: flags, CPUs: []uint64{2, 3}},
	}, got)
}

func TestFakePerfDomainCreated(t *testing.T) {
	c, k := fake(t, nil)
	sub, err := c.Subscribe(ctx(t), GroupEvent)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	var e genl.Encoder
	e.Uint32(AttrPerfTablePerfDomainID, 4)
	for _, f := range []uint64{800000, 1600000} {
		n := e.Nest(AttrPerfTablePerfState)
		e.Uint64(AttrPerfStateFrequency, f)
		e.Uint64(AttrPerfStatePower, f/1000)
		e.Uint64(AttrPerfStateFlags, uint64(PerfStateFlagsPerfStateInefficient))
		e.End(n)
	}
	if err := k.Notify(FamilyName, string(GroupEvent), uint8(CmdPerfDomainCreated), e.Bytes()); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	ineff := genl.Some(PerfStateFlagsPerfStateInefficient)
	diff(t, "notification", Notification{Cmd: CmdPerfDomainCreated, Msg: &PerfTable{
		PerfDomainID: genl.Some[uint32](4),
		PerfState: []PerfState{
			{Frequency: genl.Some[uint64](800000), Power: genl.Some[uint64](800), Flags: ineff},
			{Frequency: genl.Some[uint64](1600000), Power: genl.Some[uint64](1600), Flags: ineff},
		},
	}}, n)
}
