package ethtool

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// The set operations need a driver that implements them, which veth does
// not: these tests make a netdevsim device (netdevsim's ethtool.c keeps
// what is set and reports it back), so they run in the VM lab, which
// builds netdevsim for the guest's kernel (go run ./internal/vmlab
// ./families/ethtool), and skip elsewhere.

// nsimQueues is the queue count of the test devices: channels-get's
// combined-max.
const nsimQueues = 4

// afterLTS reports whether the kernel is newer than 6.12, whose netdevsim
// lacks some of what 7.2's has. The lab's kernels are 6.1, 6.12 and 7.2.
func afterLTS() bool { return livetest.AtLeast(6, 13) }

// nsim makes a one-port netdevsim device and returns a client in the
// namespace it lives in (the initial one), and the port's netdev name;
// nsimDevice also returns the device.
func nsim(t *testing.T) (*Client, string) {
	c, _, dn := nsimDevice(t)
	return c, dn
}

func nsimDevice(t *testing.T) (*Client, *livetest.NetdevsimDevice, string) {
	t.Helper()
	d := livetest.Netdevsim(t, 1, nsimQueues)
	c, err := Dial(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, d, d.Netdevs[0]
}

// nsimDebugfs returns the path of a knob in the debugfs folder of the
// device's port 0 (netdevsim/netdevsim<ID>/ports/0/...).
func nsimDebugfs(t *testing.T, d *livetest.NetdevsimDevice, knob ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"/sys/kernel/debug/netdevsim", d.DevName, "ports", "0"}, knob...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("netdevsim knob: %v (the lab mounts debugfs)", err)
	}
	return p
}

// TestLiveNetdevsimRings sets ring sizes and reads them back, with the
// rings-ntf the set multicasts on the monitor group; a size over the
// maximum gets the kernel's error naming the attribute.
func TestLiveNetdevsimRings(t *testing.T) {
	c, dn := nsim(t)
	r, err := c.RingsGet(ctx(t), &Rings{Header: dev(dn)})
	if err != nil {
		t.Fatalf("rings-get: %v", err)
	}
	// netdevsim's rings hold up to 4096; after 6.12 they start at 512 and
	// split headers up to 1024 bytes, 6.12's start empty.
	want, hds := genl.Some[uint32](0), genl.Opt[uint32]{}
	if afterLTS() {
		want, hds = genl.Some[uint32](512), genl.Some[uint32](1024)
	}
	if r.RX != want || r.TX != want || r.RXMax.Value != 4096 || r.TXMax.Value != 4096 || r.HdsThreshMax != hds {
		t.Errorf("rings-get %s: rx %v/%v tx %v/%v hds-thresh-max %v: want netdevsim's %v/4096, hds-thresh-max %v",
			dn, r.RX, r.RXMax, r.TX, r.TXMax, r.HdsThreshMax, want, hds)
	}
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.RingsSet(ctx(t), &Rings{Header: dev(dn), RX: genl.Some[uint32](1024), TX: genl.Some[uint32](256)}); err != nil {
		t.Fatalf("rings-set: %v", err)
	}
	ntf := waitNtf[Rings](t, sub, CmdRingsNtf, dn)
	if ntf.RX.Value != 1024 || ntf.TX.Value != 256 {
		t.Errorf("rings-ntf: rx %v tx %v, want 1024 and 256", ntf.RX, ntf.TX)
	}
	r, err = c.RingsGet(ctx(t), &Rings{Header: dev(dn)})
	if err != nil {
		t.Fatal(err)
	}
	if r.RX.Value != 1024 || r.TX.Value != 256 {
		t.Errorf("rings-get after rings-set rx 1024 tx 256: rx %v tx %v", r.RX, r.TX)
	}
	err = c.RingsSet(ctx(t), &Rings{Header: dev(dn), RX: genl.Some[uint32](8192)})
	livetest.KernelError(t, err, syscall.EINVAL, ".rx")
}

// TestLiveNetdevsimCoalesce sets interrupt coalescing and reads it back.
func TestLiveNetdevsimCoalesce(t *testing.T) {
	c, dn := nsim(t)
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	set := &Coalesce{Header: dev(dn), RXUsecs: genl.Some[uint32](50), RXMaxFrames: genl.Some[uint32](32),
		TXUsecs: genl.Some[uint32](100), TXMaxFrames: genl.Some[uint32](16), UseAdaptiveRX: genl.Some[uint8](1)}
	if err := c.CoalesceSet(ctx(t), set); err != nil {
		t.Fatalf("coalesce-set: %v", err)
	}
	ntf := waitNtf[Coalesce](t, sub, CmdCoalesceNtf, dn)
	got, err := c.CoalesceGet(ctx(t), &Coalesce{Header: dev(dn)})
	if err != nil {
		t.Fatalf("coalesce-get: %v", err)
	}
	for _, m := range []*Coalesce{ntf, got} {
		if m.RXUsecs.Value != 50 || m.RXMaxFrames.Value != 32 || m.TXUsecs.Value != 100 || m.TXMaxFrames.Value != 16 || m.UseAdaptiveRX.Value != 1 || m.UseAdaptiveTX.Value != 0 {
			t.Errorf("after coalesce-set: rx %v us %v frames, tx %v us %v frames, adaptive rx %v tx %v; want 50/32, 100/16, 1/0",
				m.RXUsecs, m.RXMaxFrames, m.TXUsecs, m.TXMaxFrames, m.UseAdaptiveRX, m.UseAdaptiveTX)
		}
	}
}

// TestLiveNetdevsimChannels changes the combined channel count, which
// netdevsim applies to the device's real queue counts (sysfs shows
// them), and gets the kernel's errors for counts it cannot have.
func TestLiveNetdevsimChannels(t *testing.T) {
	c, dn := nsim(t)
	ch, err := c.ChannelsGet(ctx(t), &Channels{Header: dev(dn)})
	if err != nil {
		t.Fatalf("channels-get: %v", err)
	}
	if ch.CombinedMax.Value != nsimQueues || ch.CombinedCount.Value != nsimQueues || ch.RXMax.Value != 0 {
		t.Errorf("channels-get %s: combined %v of %v, rx-max %v: want %d of %d, no separate rx", dn, ch.CombinedCount, ch.CombinedMax, ch.RXMax, nsimQueues, nsimQueues)
	}
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.ChannelsSet(ctx(t), &Channels{Header: dev(dn), CombinedCount: genl.Some[uint32](2)}); err != nil {
		t.Fatalf("channels-set combined 2: %v", err)
	}
	if ntf := waitNtf[Channels](t, sub, CmdChannelsNtf, dn); ntf.CombinedCount.Value != 2 {
		t.Errorf("channels-ntf combined %v, want 2", ntf.CombinedCount)
	}
	ch, err = c.ChannelsGet(ctx(t), &Channels{Header: dev(dn)})
	if err != nil {
		t.Fatal(err)
	}
	if ch.CombinedCount.Value != 2 {
		t.Errorf("channels-get after combined 2: %v", ch.CombinedCount)
	}
	rx, _ := filepath.Glob("/sys/class/net/" + dn + "/queues/rx-*")
	tx, _ := filepath.Glob("/sys/class/net/" + dn + "/queues/tx-*")
	if len(rx) != 2 || len(tx) != 2 {
		t.Errorf("sysfs lists %d rx and %d tx queues after combined 2, want 2 and 2", len(rx), len(tx))
	}
	err = c.ChannelsSet(ctx(t), &Channels{Header: dev(dn), CombinedCount: genl.Some[uint32](nsimQueues + 1)})
	livetest.KernelError(t, err, syscall.EINVAL, ".combined-count")
	err = c.ChannelsSet(ctx(t), &Channels{Header: dev(dn), RXCount: genl.Some[uint32](1)})
	livetest.KernelError(t, err, syscall.EINVAL, ".rx-count")
}

// TestLiveNetdevsimPause turns pause frames on and reads them back, with
// netdevsim's pause statistics (1 received, 2 sent) when asked for; it
// cannot autonegotiate pause and says so with EINVAL.
func TestLiveNetdevsimPause(t *testing.T) {
	c, dn := nsim(t)
	p, err := c.PauseGet(ctx(t), &Pause{Header: &Header{DevName: genl.Some(dn), Flags: genl.Some(HeaderFlagsStats)}})
	if err != nil {
		t.Fatalf("pause-get: %v", err)
	}
	if p.RX.Value != 0 || p.TX.Value != 0 || p.Autoneg.Value != 0 {
		t.Errorf("pause-get %s: rx %v tx %v autoneg %v, want all off", dn, p.RX, p.TX, p.Autoneg)
	}
	// Since 6.12 netdevsim reports pause statistics by default (6.1's
	// only when told to through debugfs).
	if s := p.Stats; livetest.AtLeast(6, 12) && (s == nil || s.RXFrames.Value != 1 || s.TXFrames.Value != 2) {
		t.Errorf("pause-get stats %+v: want netdevsim's rx-frames 1, tx-frames 2", s)
	}
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.PauseSet(ctx(t), &Pause{Header: dev(dn), RX: genl.Some[uint8](1), TX: genl.Some[uint8](1)}); err != nil {
		t.Fatalf("pause-set: %v", err)
	}
	if ntf := waitNtf[Pause](t, sub, CmdPauseNtf, dn); ntf.RX.Value != 1 || ntf.TX.Value != 1 {
		t.Errorf("pause-ntf rx %v tx %v, want both on", ntf.RX, ntf.TX)
	}
	p, err = c.PauseGet(ctx(t), &Pause{Header: dev(dn)})
	if err != nil {
		t.Fatal(err)
	}
	if p.RX.Value != 1 || p.TX.Value != 1 || p.Stats != nil {
		t.Errorf("pause-get after pause-set: rx %v tx %v stats %+v: want both on, no stats unasked", p.RX, p.TX, p.Stats)
	}
	err = c.PauseSet(ctx(t), &Pause{Header: dev(dn), Autoneg: genl.Some[uint8](1)})
	livetest.KernelError(t, err, syscall.EINVAL, "")
}

// TestLiveNetdevsimFEC sets a FEC mode and reads it back: modes named by
// the link-modes string set, the active mode as a link mode bit, and
// netdevsim's FEC statistics; then an error injected through netdevsim's
// debugfs comes back as the kernel's errno.
func TestLiveNetdevsimFEC(t *testing.T) {
	c, d, dn := nsimDevice(t)
	modes, err := c.StringSet(ctx(t), nil, StringsetLinkModes)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.FecGet(ctx(t), &Fec{Header: &Header{DevName: genl.Some(dn), Flags: genl.Some(HeaderFlagsStats)}})
	if err != nil {
		t.Fatalf("fec-get: %v", err)
	}
	// netdevsim starts at ETHTOOL_FEC_NONE, "not configured": no modes,
	// no active mode.
	if names, err := f.Modes.Names(modes); len(names) != 0 || err != nil || f.Auto.Value != 0 || f.Active.Valid {
		t.Errorf("fec-get %s: modes %v (%v), auto %v, active %v: want none, not auto, none active", dn, names, err, f.Auto, f.Active)
	}
	// netdevsim's FEC statistics: since 6.12 block counts, after 6.12 a
	// histogram too.
	if s := f.Stats; livetest.AtLeast(6, 12) && (s == nil || len(s.Corrected) == 0 || s.Corrected[0] != 123 || len(s.Uncorr) == 0 || s.Uncorr[0] != 4 || (len(s.Hist) > 0) != afterLTS()) {
		t.Errorf("fec-get stats %+v: want netdevsim's 123 corrected, 4 uncorrectable, a histogram: %v", s, afterLTS())
	}
	sub, err := c.Subscribe(ctx(t), GroupMonitor)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := c.FecSet(ctx(t), &Fec{Header: dev(dn), Modes: BitsetList("RS"), Auto: genl.Some[uint8](0)}); err != nil {
		t.Fatalf("fec-set RS: %v", err)
	}
	waitNtf[Fec](t, sub, CmdFecNtf, dn)
	f, err = c.FecGet(ctx(t), &Fec{Header: dev(dn)})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Modes.Names(modes)
	if err != nil || len(got) != 1 || got[0] != "RS" || modes[f.Active.Value] != "RS" {
		t.Errorf("fec-get after fec-set RS: modes %v (%v), active %q: want RS, RS", got, err, modes[f.Active.Value])
	}
	// netdevsim's set_err knob makes set_fecparam fail with that errno.
	knob := nsimDebugfs(t, d, "ethtool", "set_err")
	if err := os.WriteFile(knob, []byte(strconv.Itoa(int(syscall.EOPNOTSUPP))), 0); err != nil {
		t.Fatalf("netdevsim set_err: %v", err)
	}
	defer os.WriteFile(knob, []byte("0"), 0)
	err = c.FecSet(ctx(t), &Fec{Header: dev(dn), Modes: BitsetList("BASER")})
	livetest.KernelError(t, err, syscall.EOPNOTSUPP, "")
}

// TestLiveNetdevsimUnsupported asks for what netdevsim's ethtool_ops lack
// (EEE, wake-on-LAN, RSS): the kernel answers EOPNOTSUPP.
func TestLiveNetdevsimUnsupported(t *testing.T) {
	c, dn := nsim(t)
	_, err := c.EeeGet(ctx(t), &Eee{Header: dev(dn)})
	livetest.KernelError(t, err, syscall.EOPNOTSUPP, "")
	err = c.EeeSet(ctx(t), &Eee{Header: dev(dn), Enabled: genl.Some[uint8](1)})
	livetest.KernelError(t, err, syscall.EOPNOTSUPP, "")
	_, err = c.WolGet(ctx(t), &Wol{Header: dev(dn)})
	livetest.KernelError(t, err, syscall.EOPNOTSUPP, "")
	_, err = c.RSSGet(ctx(t), &RSS{Header: dev(dn)})
	var kerr *genl.Error
	if errors.Is(err, errors.ErrUnsupported) && !errors.As(err, &kerr) {
		// Debian's 6.1 has no rss-get command: the client says so
		// before sending (EOPNOTSUPP from the kernel matches
		// ErrUnsupported too, hence the type check).
		t.Logf("kernel %s has no rss-get: %v", livetest.Release(), err)
		return
	}
	livetest.KernelError(t, err, syscall.EOPNOTSUPP, "")
}

// waitNtf waits on the monitor subscription for the notification cmd
// about device dn and returns its message.
func waitNtf[T any, P interface {
	*T
	GetHeader() *Header
}](t *testing.T, sub *Subscription, cmd ReplyCmd, dn string) P {
	t.Helper()
	var seen []ReplyCmd
	for n, err := range sub.All(ctx(t)) {
		if err != nil {
			t.Fatalf("waiting for %v on %s: %v (seen %v)", cmd, dn, err, seen)
		}
		seen = append(seen, n.Cmd)
		m, ok := n.Msg.(P)
		if n.Cmd != cmd || !ok {
			continue
		}
		if h := m.GetHeader(); h == nil || h.DevName.Value != dn {
			t.Errorf("%v for %+v, want %s", cmd, h, dn)
		}
		return m
	}
	t.Fatalf("no %v for %s before the deadline (seen %v)", cmd, dn, seen)
	return nil
}
