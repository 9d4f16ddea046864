//go:build linux

package genl

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"

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
// there too.
func TestDialPinsThreadNetNS(t *testing.T) {
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
