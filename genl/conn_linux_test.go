//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// TestConcurrentRequests runs Do and Dump from many goroutines on one Conn;
// run it with -race.
func TestConcurrentRequests(t *testing.T) {
	ns := newTestNS(t)
	devs := addVeths(t, ns, 10)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				dev := devs[(g+i)%len(devs)]
				msgs, err := c.Do(ctx, linkinfoReq(dev, nil))
				if err != nil {
					errs <- err
					return
				}
				if got := devName(t, msgs[0].Data); got != dev {
					errs <- errors.New("reply for " + got + ", want " + dev)
					return
				}
				if i%5 == 0 {
					n := 0
					for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
						if err != nil {
							errs <- err
							return
						}
						n++
					}
					if n != len(devs) {
						errs <- errors.New("short dump")
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	c.mu.Lock()
	idle, all := len(c.idle), len(c.all)
	c.mu.Unlock()
	if idle > maxIdleSockets || all > maxIdleSockets {
		t.Errorf("%d idle of %d sockets after the burst, want at most %d", idle, all, maxIdleSockets)
	}
}

// TestNoDialWaits checks a Conn with a single socket (NewConn without a
// dial func): a request inside a dump loop waits for the socket, and ends
// with ctx rather than deadlocking.
func TestNoDialWaits(t *testing.T) {
	ns := newTestNS(t)
	addVeths(t, ns, 2)
	fd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	nc, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConn(nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t)
	if _, err := c.Do(ctx, linkinfoReq("va0", nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Subscribe(ctx, "ethtool", "monitor"); err == nil {
		t.Error("Subscribe without a dial func succeeded")
	}
	for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
		if err != nil {
			t.Fatal(err)
		}
		short, cancel := context.WithTimeout(ctx, 20e6)
		_, err := c.Do(short, linkinfoReq("va0", nil))
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Do inside the dump of a one-socket Conn: %v, want DeadlineExceeded", err)
		}
		break
	}
	if _, err := c.Do(ctx, linkinfoReq("va0", nil)); err != nil {
		t.Fatalf("Do after the dump: %v", err)
	}
}

// TestDialPinsThreadNetNS dials from a thread that entered another network
// namespace: sockets the Conn opens later, from other threads, must land
// there too, whether the namespace was asked of the first socket or read
// from the locked thread (the way without CAP_NET_ADMIN).
func TestDialPinsThreadNetNS(t *testing.T) {
	for _, threadPin := range []bool{false, true} {
		t.Run(fmt.Sprintf("threadPin=%v", threadPin), func(t *testing.T) {
			forceThreadPin = threadPin
			defer func() { forceThreadPin = false }()
			testDialPinsThreadNetNS(t)
		})
	}
}

func testDialPinsThreadNetNS(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "pin0", "type", "veth", "peer", "pin1")
	type result struct {
		c   *Conn
		err error
	}
	ch := make(chan result)
	go func() {
		// The thread is left in the test namespace; not unlocking it
		// makes the runtime discard it when this goroutine ends.
		runtime.LockOSThread()
		fd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			ch <- result{err: err}
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			ch <- result{err: err}
			return
		}
		c, err := Dial(context.Background(), nil)
		ch <- result{c, err}
	}()
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	c := r.c
	defer c.Close()
	ctx := testCtx(t)
	if _, err := c.Do(ctx, linkinfoReq("pin0", nil)); err != nil {
		t.Fatalf("the first socket is not in the Dial thread's namespace: %v", err)
	}
	// Hold the first socket in a dump; the Do inside opens another socket
	// from this goroutine's thread, which is in the original namespace.
	for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Do(ctx, linkinfoReq("pin0", nil)); err != nil {
			t.Fatalf("a socket opened later is not in the Dial thread's namespace: %v", err)
		}
	}
	c.mu.Lock()
	n := len(c.all)
	c.mu.Unlock()
	if n < 2 {
		t.Errorf("the Conn has %d sockets, want a second one", n)
	}
}

func TestSocketOptions(t *testing.T) {
	ns := newTestNS(t)
	for _, tc := range []struct {
		opts   DialOptions
		strict int
	}{{DialOptions{}, 1}, {DialOptions{NoStrict: true, ReceiveBuffer: 1 << 20}, 0}} {
		c := ns.dial(t, &tc.opts)
		raw, err := c.idle[0].nl.SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		_ = raw.Control(func(fd uintptr) {
			for _, o := range []struct {
				name      string
				level, op int
				want      int
			}{
				{"NETLINK_EXT_ACK", unix.SOL_NETLINK, unix.NETLINK_EXT_ACK, 1},
				{"NETLINK_CAP_ACK", unix.SOL_NETLINK, unix.NETLINK_CAP_ACK, 1},
				{"NETLINK_GET_STRICT_CHK", unix.SOL_NETLINK, unix.NETLINK_GET_STRICT_CHK, tc.strict},
			} {
				v, err := unix.GetsockoptInt(int(fd), o.level, o.op)
				if err != nil || v != o.want {
					t.Errorf("%s = %d, %v; want %d", o.name, v, err, o.want)
				}
			}
			if tc.opts.ReceiveBuffer > 0 {
				// The kernel doubles the value for its bookkeeping.
				if v, _ := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF); v < tc.opts.ReceiveBuffer {
					t.Errorf("SO_RCVBUF = %d, want >= %d", v, tc.opts.ReceiveBuffer)
				}
			}
		})
	}
}

// TestReceiveBufferGrows shrinks a socket's receive buffer below the size
// of a reply: the datagram is peeked, the buffer grows, nothing is lost.
func TestReceiveBufferGrows(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	c.idle[0].rbuf = make([]byte, 64)
	fams, err := c.Families(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(fams) < 2 {
		t.Errorf("%d families", len(fams))
	}
	if n := len(c.idle[0].rbuf); n <= 64 {
		t.Errorf("buffer still %d bytes", n)
	}
}

// TestStaleRepliesSkipped abandons a dump on a Conn that cannot open another
// socket, so the socket is kept with the dump's replies still queued: the
// next request must skip them by sequence number.
func TestStaleRepliesSkipped(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	fd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	nc, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewConn(nc, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// ethtool's policy dump spans several datagrams.
	var e Encoder
	e.String(ctrlAttrFamilyName, "ethtool")
	req := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETPOLICY, Attrs: e.Bytes()}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for _, err := range c.Dump(ctx, req) {
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
			break
		}
		n++
		cancel()
	}
	for range 3 {
		msgs, err := c.Do(testCtx(t), linkinfoReq("v0", nil))
		if err != nil {
			t.Fatalf("Do after the abandoned dump: %v", err)
		}
		if got := devName(t, msgs[0].Data); got != "v0" {
			t.Fatalf("reply for %q", got)
		}
	}
	// A new dump must not trip over the old one either.
	count := 0
	for _, err := range c.Dump(testCtx(t), req) {
		if err != nil {
			t.Fatalf("second dump: %v", err)
		}
		count++
	}
	if count <= n {
		t.Errorf("second dump: %d messages", count)
	}
}

// TestDialNetNSFD dials by namespace descriptor.
func TestDialNetNSFD(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "fd0", "type", "veth", "peer", "fd1")
	fd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	c, err := Dial(context.Background(), &DialOptions{NetNS: fd})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Do(testCtx(t), linkinfoReq("fd0", nil)); err != nil {
		t.Errorf("Do in the namespace: %v", err)
	}
	if _, err := Dial(context.Background(), &DialOptions{NetNSPath: "/nonexistent/netns"}); err == nil ||
		!strings.Contains(err.Error(), "/nonexistent/netns") {
		t.Errorf("bad path: err = %v, want it named", err)
	}
}

// TestCancellationStress runs requests under tiny deadlines from several
// goroutines: every error is a context error, and afterwards the Conn
// answers correctly (no socket was returned out of step) and leaves no
// goroutine behind.
func TestCancellationStress(t *testing.T) {
	ns := newTestNS(t)
	devs := addVeths(t, ns, 20)
	before := runtime.NumGoroutine()
	c, err := Dial(context.Background(), &DialOptions{NetNSPath: ns.path()})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []error
	var okN, cancelledN atomic.Int32
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i%40)*50*time.Microsecond)
				var err error
				if i%3 == 0 {
					for _, e := range c.Dump(ctx, linkinfoReq("", nil)) {
						if e != nil {
							err = e
							break
						}
					}
				} else {
					_, err = c.Do(ctx, linkinfoReq(devs[(g+i)%len(devs)], nil))
				}
				cancel()
				switch {
				case err == nil:
					okN.Add(1)
				case errors.Is(err, context.DeadlineExceeded):
					cancelledN.Add(1)
				}
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					mu.Lock()
					bad = append(bad, err)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range bad {
		t.Errorf("not a context error: %v", err)
	}
	t.Logf("%d completed, %d cut off by their deadline", okN.Load(), cancelledN.Load())
	if okN.Load() == 0 || cancelledN.Load() == 0 {
		t.Error("the deadlines did not mix completed and cut-off requests")
	}
	for _, dev := range devs {
		msgs, err := c.Do(testCtx(t), linkinfoReq(dev, nil))
		if err != nil || devName(t, msgs[0].Data) != dev {
			t.Fatalf("after the stress, %s: %v", dev, err)
		}
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines before, %d after", before, n)
	}
}
