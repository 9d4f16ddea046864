//go:build linux

package genl

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// channelsRx returns the device name and rx count of a channels message.
func channelsRx(t testing.TB, data []byte) (string, uint32) {
	t.Helper()
	var rx uint32
	w := NewWalker(data, nil)
	for w.Next() {
		if w.Type() == unix.ETHTOOL_A_CHANNELS_RX_COUNT {
			rx = w.Uint32()
		}
	}
	return devName(t, data), rx
}

// addMultiQueueVeth adds a veth pair whose rx channel count can change.
func addMultiQueueVeth(t testing.TB, ns *testNS) {
	t.Helper()
	ns.ip(t, "link", "add", "v0", "numrxqueues", "2", "numtxqueues", "2", "type", "veth",
		"peer", "v1", "numrxqueues", "2", "numtxqueues", "2")
}

func TestSubscribeEthtoolMonitor(t *testing.T) {
	ns := newTestNS(t)
	addMultiQueueVeth(t, ns)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	sub, err := c.Subscribe(ctx, "ethtool", "monitor")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	for _, rx := range []uint32{1, 2} {
		if _, err := c.Do(ctx, channelsSetReq("v0", rx)); err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		m, err := sub.Receive(rctx)
		cancel()
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		dev, got := channelsRx(t, m.Data)
		if m.Family != "ethtool" || m.Command != unix.ETHTOOL_MSG_CHANNELS_NTF || dev != "v0" || got != rx {
			t.Errorf("got %s cmd %d dev %q rx %d, want ethtool cmd %d dev v0 rx %d",
				m.Family, m.Command, dev, got, unix.ETHTOOL_MSG_CHANNELS_NTF, rx)
		}
	}
}

func TestSubscribeUnknownGroup(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	_, err := c.Subscribe(testCtx(t), "ethtool", "nosuchgroup")
	if err == nil || !strings.Contains(err.Error(), `"nosuchgroup"`) || !strings.Contains(err.Error(), "monitor") {
		t.Errorf("err = %v, want it to name the group and list monitor", err)
	}
}

func TestSubscribeCancel(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	sub, err := c.Subscribe(testCtx(t), "ethtool", "monitor")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	ctx, cancel := context.WithCancel(context.Background())
	var cancelled time.Time
	timer := time.AfterFunc(30*time.Millisecond, func() { cancelled = time.Now(); cancel() })
	defer timer.Stop()
	_, err = sub.Receive(ctx)
	took := time.Since(cancelled)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want Canceled", err)
	}
	if took > 100*time.Millisecond {
		t.Errorf("Receive returned %v after the cancellation, want < 100ms", took)
	}

	ctx, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	start := time.Now()
	if _, err := sub.Receive(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 130*time.Millisecond {
		t.Errorf("Receive with a 30ms deadline took %v", took)
	}

	// Close unblocks a pending Receive.
	done := make(chan error, 1)
	go func() {
		_, err := sub.Receive(context.Background())
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	_ = sub.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("Receive after Close: %v, want ErrClosed", err)
		}
	case <-time.After(time.Second):
		t.Fatal("Close did not unblock Receive")
	}
}

// TestSubscribeOverrun overflows a subscription's small receive buffer: the
// overrun is reported and the subscription keeps going.
func TestSubscribeOverrun(t *testing.T) {
	ns := newTestNS(t)
	addMultiQueueVeth(t, ns)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	sub, err := c.Subscribe(ctx, "ethtool", "monitor")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	// Shrink only the subscription's buffer (the kernel's minimum is about
	// 2 KiB): a request socket this small would drop its own replies.
	if err := sub.sub.s.nl.SetReadBuffer(1024); err != nil {
		t.Fatal(err)
	}
	for i := range 64 {
		if _, err := c.Do(ctx, channelsSetReq("v0", uint32(1+i%2))); err != nil {
			t.Fatal(err)
		}
	}
	overruns, msgs := 0, 0
	rctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	for _, err := range sub.All(rctx) {
		switch {
		case err == nil:
			msgs++
		case errors.Is(err, ErrOverrun) && errors.Is(err, unix.ENOBUFS):
			overruns++
		default:
			t.Fatalf("All: %v", err)
		}
	}
	if overruns == 0 {
		t.Fatalf("no overrun reported (%d messages)", msgs)
	}
	// The subscription still works.
	if _, err := c.Do(ctx, channelsSetReq("v0", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(ctx, channelsSetReq("v0", 2)); err != nil {
		t.Fatal(err)
	}
	rctx2, cancel2 := context.WithTimeout(ctx, 5*time.Second)
	defer cancel2()
	if _, err := sub.Receive(rctx2); err != nil {
		t.Errorf("Receive after the overrun: %v", err)
	}
	t.Logf("%d overruns, %d messages of 64", overruns, msgs)
}
