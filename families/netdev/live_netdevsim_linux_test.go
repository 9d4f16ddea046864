//go:build linux

package netdev

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/ynlgo/ynl/families/internal/livetest"
	"github.com/ynlgo/ynl/genl"
)

// Queues with NAPI instances and page pools need a driver that has them,
// which veth (the host tests' device) does not by default: these tests
// make a netdevsim device, so they run in the VM lab, which builds
// netdevsim for the guest's kernel (go run ./internal/vmlab
// ./families/netdev), and skip elsewhere. netdevsim gives each RX queue a
// NAPI instance and a page pool while the device is up.

const nsimQueues = 4

// afterLTS reports whether the kernel is newer than 6.12, whose netdevsim
// lacks some of what 7.2's has. The lab's kernels are 6.1, 6.12 and 7.2.
func afterLTS() bool { return livetest.AtLeast(6, 13) }

// nsimDev is a one-port netdevsim device.
type nsimDev struct {
	c       *Client
	d       *livetest.NetdevsimDevice
	name    string
	ifindex uint32
}

// newNsim makes a one-port device, with IPv6 off so the kernel sends
// nothing on its own, and a client in its namespace (the initial one). up
// brings it up.
func newNsim(t *testing.T, up bool) *nsimDev {
	t.Helper()
	return newNsimPorts(t, 1, up)[0]
}

// newNsimPorts makes a device with the given number of ports, one nsimDev
// each (sharing the device and the client).
func newNsimPorts(t *testing.T, ports int, up bool) []*nsimDev {
	t.Helper()
	d := livetest.Netdevsim(t, ports, nsimQueues)
	c, err := Dial(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	livetest.Family(t, c.Conn(), FamilyName, "netdev") // new in Linux 6.2
	var out []*nsimDev
	for _, name := range d.Netdevs {
		n := &nsimDev{c: c, d: d, name: name, ifindex: livetest.Ifindex(t, name)}
		if err := os.WriteFile("/proc/sys/net/ipv6/conf/"+n.name+"/disable_ipv6", []byte("1"), 0); err != nil && !os.IsNotExist(err) {
			t.Fatalf("disable IPv6 on %s: %v", n.name, err)
		}
		if up {
			n.link(t, "up")
		}
		out = append(out, n)
	}
	return out
}

// accepts reports whether the running kernel's policy for cmd takes
// attribute attr; a kernel without the op skips t, naming it.
func (n *nsimDev) accepts(t *testing.T, cmd Cmd, op string, attr uint16) bool {
	t.Helper()
	fp, err := n.c.Conn().OpPolicy(ctx(t), FamilyName, uint8(cmd))
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("kernel %s has no netdev %s", livetest.Release(), op)
	}
	if err != nil {
		t.Fatalf("policy of %s: %v", op, err)
	}
	o, ok := fp.Op(uint8(cmd))
	return ok && o.Do != nil && o.Do.Attrs[attr] != nil
}

func (n *nsimDev) link(t *testing.T, state string) {
	t.Helper()
	livetest.Run(t, "ip", "link", "set", n.name, state)
}

// queues dumps the device's queues: the NAPI id of each RX queue, and
// the TX queue ids.
func (n *nsimDev) queues(t *testing.T) (rx map[uint32]uint32, tx []uint32) {
	t.Helper()
	rx = map[uint32]uint32{}
	for q, err := range n.c.QueueGetDump(ctx(t), &Queue{Ifindex: genl.Some(n.ifindex)}) {
		if err != nil {
			t.Fatalf("queue-get dump: %v", err)
		}
		if q.Ifindex.Value != n.ifindex {
			t.Errorf("queue-get dump for ifindex %d yields queue %+v", n.ifindex, q)
		}
		switch q.Type.Value {
		case QueueTypeRX:
			rx[q.ID.Value] = q.NAPIID.Value
		case QueueTypeTX:
			tx = append(tx, q.ID.Value)
		}
	}
	return rx, tx
}

// TestLiveNetdevsimQueues dumps and gets the device's queues: four each
// way, each RX queue with a NAPI instance of its own; a queue it does not
// have is the kernel's EINVAL.
func TestLiveNetdevsimQueues(t *testing.T) {
	n := newNsim(t, true)
	rx, tx := n.queues(t)
	napis := map[uint32]bool{}
	for _, id := range rx {
		napis[id] = true
	}
	if len(rx) != nsimQueues || len(tx) != nsimQueues || len(napis) != nsimQueues || napis[0] {
		t.Fatalf("queue-get dump of %s: rx %v (queue: napi id), tx %v: want %d each, a distinct NAPI per RX queue", n.name, rx, tx, nsimQueues)
	}
	q, err := n.c.QueueGet(ctx(t), &Queue{Ifindex: genl.Some(n.ifindex), Type: genl.Some(QueueTypeRX), ID: genl.Some[uint32](2)})
	if err != nil {
		t.Fatalf("queue-get rx 2: %v", err)
	}
	if q.ID.Value != 2 || q.Type.Value != QueueTypeRX || q.NAPIID.Value != rx[2] || q.Ifindex.Value != n.ifindex {
		t.Errorf("queue-get rx 2: %+v, want queue 2 of ifindex %d with NAPI %d", q, n.ifindex, rx[2])
	}
	_, err = n.c.QueueGet(ctx(t), &Queue{Ifindex: genl.Some(n.ifindex), Type: genl.Some(QueueTypeTX), ID: genl.Some[uint32](nsimQueues)})
	livetest.KernelError(t, err, syscall.EINVAL, "")
	// Down, the device has no queues to report.
	n.link(t, "down")
	if rx, tx := n.queues(t); len(rx)+len(tx) != 0 {
		t.Errorf("queue-get dump of %s while down: rx %v tx %v, want none", n.name, rx, tx)
	}
}

// TestLiveNetdevsimNAPI dumps and gets the NAPI instances, sets their
// configuration and reads it back, and gets the kernel's error, naming the
// attribute, for an instance that is not there.
func TestLiveNetdevsimNAPI(t *testing.T) {
	n := newNsim(t, true)
	rx, _ := n.queues(t)
	var ids []uint32
	for napi, err := range n.c.NAPIGetDump(ctx(t), &NAPI{Ifindex: genl.Some(n.ifindex)}) {
		if err != nil {
			t.Fatalf("napi-get dump: %v", err)
		}
		if napi.Ifindex.Value != n.ifindex {
			t.Errorf("napi-get dump for ifindex %d yields %+v", n.ifindex, napi)
		}
		ids = append(ids, napi.ID.Value)
	}
	slices.Sort(ids)
	want := slices.Sorted(maps.Values(rx))
	if !slices.Equal(ids, want) {
		t.Fatalf("napi-get dump ids %v, the RX queues' NAPI ids %v", ids, want)
	}
	id := rx[1]
	t.Run("set", func(t *testing.T) {
		n.accepts(t, CmdNAPISet, "napi-set", AttrNAPIDeferHardIRQs) // new in 6.13
		set := &NAPI{ID: genl.Some(id), DeferHardIRQs: genl.Some[uint32](7), GROFlushTimeout: genl.Some[uint64](20000), IRQSuspendTimeout: genl.Some[uint64](50000)}
		if err := n.c.NAPISet(ctx(t), set); err != nil {
			t.Fatalf("napi-set %d: %v", id, err)
		}
		got, err := n.c.NAPIGet(ctx(t), &NAPI{ID: genl.Some(id)})
		if err != nil {
			t.Fatalf("napi-get %d: %v", id, err)
		}
		if got.ID.Value != id || got.Ifindex.Value != n.ifindex || got.DeferHardIRQs.Value != 7 || got.GROFlushTimeout.Value != 20000 || got.IRQSuspendTimeout.Value != 50000 {
			t.Errorf("napi-get %d after napi-set: %+v, want ifindex %d, defer-hard-irqs 7, gro-flush-timeout 20000, irq-suspend-timeout 50000", id, got, n.ifindex)
		}
		if !n.accepts(t, CmdNAPISet, "napi-set", AttrNAPIThreaded) {
			t.Logf("kernel %s: napi-set takes no threaded attribute", livetest.Release())
			return
		}
		// Threaded polling gives the instance a kernel thread, whose pid
		// napi-get reports.
		if err := n.c.NAPISet(ctx(t), &NAPI{ID: genl.Some(id), Threaded: genl.Some(NAPIThreadedEnabled)}); err != nil {
			t.Fatalf("napi-set %d threaded: %v", id, err)
		}
		got, err = n.c.NAPIGet(ctx(t), &NAPI{ID: genl.Some(id)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Threaded.Value != NAPIThreadedEnabled || got.PID.Value == 0 {
			t.Errorf("napi-get %d after napi-set threaded: threaded %v pid %v, want enabled with a thread", id, got.Threaded, got.PID)
		} else if comm, err := os.ReadFile("/proc/" + strconv.Itoa(int(got.PID.Value)) + "/comm"); err != nil || !strings.HasPrefix(string(comm), "napi/") {
			t.Errorf("pid %d of NAPI %d: comm %q (%v), want a napi/ kernel thread", got.PID.Value, id, comm, err)
		}
	})
	_, err := n.c.NAPIGet(ctx(t), &NAPI{ID: genl.Some[uint32](1)}) // below the first NAPI id
	livetest.KernelError(t, err, syscall.ENOENT, ".id")
}

// TestLiveNetdevsimPagePools follows the page pools: created on up (a
// page-pool-add-ntf each on the page-pool group), listed per RX queue
// with its NAPI, with statistics; on down, a pool still holding a page
// (netdevsim's pp_hold) is detached (page-pool-change-ntf, detach-time)
// and goes (page-pool-del-ntf) only once the page is returned.
func TestLiveNetdevsimPagePools(t *testing.T) {
	n := newNsim(t, false)
	sub, err := n.c.Subscribe(ctx(t), GroupPagePool)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	n.link(t, "up")
	added := map[uint64]bool{}
	for len(added) < nsimQueues {
		ntf := receive(t, sub)
		pp, ok := ntf.Msg.(*PagePool)
		if ntf.Cmd != CmdPagePoolAddNtf || !ok {
			t.Fatalf("after up: %v %+v, want page-pool-add-ntf", ntf.Cmd, ntf.Msg)
		}
		if pp.Ifindex.Value == n.ifindex {
			added[pp.ID.Value] = true
		}
	}

	rx, _ := n.queues(t)
	napis := map[uint64]bool{}
	for _, id := range rx {
		napis[uint64(id)] = true
	}
	pools := map[uint64]*PagePool{}
	for pp, err := range n.c.PagePoolGetDump(ctx(t), &PagePool{Ifindex: genl.Some(n.ifindex)}) {
		if err != nil {
			t.Fatalf("page-pool-get dump: %v", err)
		}
		pools[pp.ID.Value] = pp
		if !added[pp.ID.Value] || pp.Ifindex.Value != n.ifindex || !napis[pp.NAPIID.Value] || pp.DetachTime.Valid || pp.Inflight.Value != 0 {
			t.Errorf("page pool %+v: want one announced, of ifindex %d, on an RX queue's NAPI %v, attached, unused", pp, n.ifindex, napis)
		}
	}
	if len(pools) != nsimQueues {
		t.Fatalf("page-pool-get dump: %d pools, want %d", len(pools), nsimQueues)
	}

	// pp_hold takes a page from RX queue 0's pool.
	hold := filepath.Join("/sys/kernel/debug/netdevsim", n.d.DevName, "ports", "0", "pp_hold")
	if err := os.WriteFile(hold, []byte("y"), 0); err != nil {
		t.Fatalf("netdevsim pp_hold: %v", err)
	}
	var held *PagePool
	for id := range pools {
		pp, err := n.c.PagePoolGet(ctx(t), &PagePool{ID: genl.Some(id)})
		if err != nil {
			t.Fatalf("page-pool-get %d: %v", id, err)
		}
		if pp.Inflight.Value > 0 {
			held = pp
		}
	}
	// The pool allocates in bulk: the held page and the rest of its
	// batch, in the pool's cache, are all in flight until down.
	if held == nil || held.InflightMem.Value != held.Inflight.Value*uint64(os.Getpagesize()) || held.NAPIID.Value != uint64(rx[0]) {
		t.Fatalf("after pp_hold: pool in use %+v, want RX queue 0's pool (NAPI %d) with pages in flight", held, rx[0])
	}
	t.Run("stats", func(t *testing.T) {
		if _, ok := n.fam(t).Op(uint8(CmdPagePoolStatsGet)); !ok {
			t.Skipf("kernel %s has no page-pool-stats-get: built without CONFIG_PAGE_POOL_STATS", livetest.Release())
		}
		st, err := n.c.PagePoolStatsGet(ctx(t), &PagePoolStats{Info: &PagePoolInfo{ID: held.ID}})
		if err != nil {
			t.Fatalf("page-pool-stats-get %d: %v", held.ID.Value, err)
		}
		if st.Info == nil || st.Info.ID != held.ID || st.Info.Ifindex.Value != n.ifindex || st.AllocSlow.Value+st.AllocFast.Value == 0 {
			t.Errorf("page-pool-stats-get %d: %+v info %+v: want its id and ifindex, the page's allocation counted", held.ID.Value, st, st.Info)
		}
		nstats := 0
		for s, err := range n.c.PagePoolStatsGetDump(ctx(t), nil) {
			if err != nil {
				t.Fatalf("page-pool-stats-get dump: %v", err)
			}
			if s.Info != nil && s.Info.Ifindex.Value == n.ifindex {
				nstats++
			}
		}
		if nstats != nsimQueues {
			t.Errorf("page-pool-stats-get dump: %d pools of ifindex %d, want %d", nstats, n.ifindex, nsimQueues)
		}
	})

	n.link(t, "down")
	deleted := map[uint64]bool{}
	var detached *PagePool
	for len(deleted) < nsimQueues-1 || detached == nil {
		ntf := receive(t, sub)
		pp, _ := ntf.Msg.(*PagePool)
		switch {
		case pp == nil || !pools[pp.ID.Value].ID.Valid:
		case ntf.Cmd == CmdPagePoolDelNtf:
			if pp.ID == held.ID {
				t.Fatalf("page-pool-del-ntf for pool %d while it holds a page", pp.ID.Value)
			}
			deleted[pp.ID.Value] = true
		case ntf.Cmd == CmdPagePoolChangeNtf && pp.ID == held.ID:
			detached = pp
		}
	}
	if !detached.DetachTime.Valid || detached.Inflight.Value != 1 {
		t.Errorf("page-pool-change-ntf of the held pool: %+v, want a detach-time and the page in flight", detached)
	}
	pp, err := n.c.PagePoolGet(ctx(t), &PagePool{ID: held.ID})
	if err != nil || pp.DetachTime != detached.DetachTime {
		t.Errorf("page-pool-get of the detached pool: %+v, %v: want it listed with detach-time %v", pp, err, detached.DetachTime)
	}
	if err := os.WriteFile(hold, []byte("n"), 0); err != nil {
		t.Fatalf("netdevsim pp_hold release: %v", err)
	}
	for {
		ntf := receive(t, sub)
		if pp, _ := ntf.Msg.(*PagePool); ntf.Cmd == CmdPagePoolDelNtf && pp != nil && pp.ID == held.ID {
			break
		}
	}
	_, err = n.c.PagePoolGet(ctx(t), &PagePool{ID: held.ID})
	livetest.KernelError(t, err, syscall.ENOENT, "") // the kernel names no attribute here
}

// fam returns the kernel's netdev family: its ops.
func (n *nsimDev) fam(t *testing.T) *genl.Family {
	t.Helper()
	f, err := n.c.Conn().Family(ctx(t), FamilyName)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// receive returns the next notification, failing t after 10 s.
func receive(t *testing.T, sub *Subscription) Notification {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ntf, err := sub.Receive(c)
	if err != nil {
		t.Fatalf("waiting for a page-pool notification: %v", err)
	}
	return ntf
}

// TestLiveNetdevsimQstats links the two ports of a device (netdevsim
// hands what one sends to the other's RX queues), sends frames, and reads
// the statistics: for the devices, whose totals must equal the kernel's
// link statistics, and per queue.
func TestLiveNetdevsimQstats(t *testing.T) {
	ps := newNsimPorts(t, 2, true)
	a, b := ps[0], ps[1]
	ns, err := os.Open("/proc/self/ns/net")
	if err != nil {
		t.Fatal(err)
	}
	defer ns.Close()
	link := fmt.Sprintf("%d:%d %d:%d", ns.Fd(), a.ifindex, ns.Fd(), b.ifindex)
	if err := os.WriteFile(livetest.NetdevsimBus+"/link_device", []byte(link), 0); err != nil {
		t.Fatalf("netdevsim link_device %q: %v", link, err)
	}
	const frames, size = 20, 300
	sendFrames(t, int(a.ifindex), frames, size)
	// 6.12's netdevsim counts only what it sends; later ones also what
	// they receive, without the Ethernet header.
	rxFrames, rxBytes := uint64(0), uint64(0)
	if afterLTS() {
		rxFrames, rxBytes = frames, frames*(size-14)
	}
	deadline := time.Now().Add(5 * time.Second)
	for b.sysfs(t, "rx_packets") < rxFrames && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // NAPI delivers on a timer
	}
	da, db := a.qstats(t), b.qstats(t)
	if da.TXPackets.Value != frames || da.TXBytes.Value != frames*size || db.RXPackets.Value != rxFrames || db.RXBytes.Value != rxBytes {
		t.Errorf("qstats-get: %s sent %v packets %v bytes, %s received %v packets %v bytes: want %d, %d sent, %d, %d received",
			a.name, da.TXPackets, da.TXBytes, b.name, db.RXPackets, db.RXBytes, frames, frames*size, rxFrames, rxBytes)
	}
	for _, p := range []struct {
		n *nsimDev
		q *Qstats
	}{{a, da}, {b, db}} {
		if p.q.TXPackets.Value != p.n.sysfs(t, "tx_packets") || p.q.RXPackets.Value != p.n.sysfs(t, "rx_packets") || p.q.TXBytes.Value != p.n.sysfs(t, "tx_bytes") {
			t.Errorf("qstats-get %s: tx %v/%v rx %v; sysfs tx %d/%d rx %d", p.n.name, p.q.TXPackets, p.q.TXBytes, p.q.RXPackets,
				p.n.sysfs(t, "tx_packets"), p.n.sysfs(t, "tx_bytes"), p.n.sysfs(t, "rx_packets"))
		}
	}
	perQueue := map[QueueType]int{}
	var queueTX uint64
	for q, err := range a.c.QstatsGetDump(ctx(t), &Qstats{Ifindex: genl.Some(a.ifindex), Scope: genl.Some(QstatsScopeQueue)}) {
		if err != nil {
			t.Fatalf("qstats-get dump scope queue: %v", err)
		}
		if q.Ifindex.Value != a.ifindex || !q.QueueType.Valid || !q.QueueID.Valid || q.QueueID.Value >= nsimQueues {
			t.Errorf("qstats-get scope queue: %+v, want a queue of ifindex %d", q, a.ifindex)
		}
		perQueue[q.QueueType.Value]++
		queueTX += q.TXPackets.Value
	}
	// netdevsim counts everything on queue 0, less one it puts in the
	// device's base statistics, which the device totals add back.
	if perQueue[QueueTypeRX] != nsimQueues || perQueue[QueueTypeTX] != nsimQueues || queueTX != frames-1 {
		t.Errorf("qstats-get scope queue: %v queues, %d tx packets: want %d of each type, %d", perQueue, queueTX, nsimQueues, frames-1)
	}
}

// qstats returns the device's qstats-get entry: the only one its dump
// yields.
func (n *nsimDev) qstats(t *testing.T) *Qstats {
	t.Helper()
	var dev *Qstats
	for q, err := range n.c.QstatsGetDump(ctx(t), &Qstats{Ifindex: genl.Some(n.ifindex)}) {
		if err != nil {
			t.Fatalf("qstats-get dump: %v", err)
		}
		if q.Ifindex.Value != n.ifindex || dev != nil {
			t.Fatalf("qstats-get for ifindex %d: %+v (and %+v before): want one entry for the device", n.ifindex, q, dev)
		}
		dev = q
	}
	if dev == nil {
		t.Fatalf("qstats-get %s: nothing for the device", n.name)
	}
	return dev
}

// sysfs returns one of the device's link statistics.
func (n *nsimDev) sysfs(t *testing.T, stat string) uint64 {
	t.Helper()
	b, err := os.ReadFile("/sys/class/net/" + n.name + "/statistics/" + stat)
	if err != nil {
		t.Fatal(err)
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// sendFrames sends n Ethernet frames of size bytes to the broadcast
// address through a packet socket on ifindex.
func sendFrames(t *testing.T, ifindex, n, size int) {
	t.Helper()
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, 0)
	if err != nil {
		t.Fatalf("packet socket: %v", err)
	}
	defer unix.Close(fd)
	frame := make([]byte, size)
	copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	frame[12], frame[13] = 0x88, 0xb5 // IEEE local experimental ethertype
	to := &unix.SockaddrLinklayer{Ifindex: ifindex, Halen: 6, Addr: [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
	for i := 0; i < n; i++ {
		if err := unix.Sendto(fd, frame, 0, to); err != nil {
			t.Fatalf("send on ifindex %d: %v", ifindex, err)
		}
	}
}

// TestLiveNetdevsimDev gets the new device's dev-add-ntf on the mgmt group
// and its XDP features.
func TestLiveNetdevsimDev(t *testing.T) {
	c, err := Dial(ctx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	livetest.Family(t, c.Conn(), FamilyName, "netdev")
	sub, err := c.Subscribe(ctx(t), GroupMgmt)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	n := newNsim(t, false)
	for {
		ntf := receive(t, sub)
		if d, ok := ntf.Msg.(*Dev); ok && ntf.Cmd == CmdDevAddNtf && d.Ifindex.Value == n.ifindex {
			break
		}
	}
	d, err := c.DevGet(ctx(t), &Dev{Ifindex: genl.Some(n.ifindex)})
	if err != nil {
		t.Fatalf("dev-get %d: %v", n.ifindex, err)
	}
	// netdevsim offloads XDP programs (its bpf.c); after 6.12 it also
	// runs them itself (basic).
	want := XDPActHWOffload
	if afterLTS() {
		want |= XDPActBasic
	}
	if d.Ifindex.Value != n.ifindex || d.XDPFeatures.Value != want {
		t.Errorf("dev-get %s: %+v, want xdp-features %v", n.name, d, want)
	}
}
