//go:build linux

package genl

import (
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"
)

// TestCloseRaceStress closes a Conn while 50 goroutines use it through
// every path (do, dump, subscribe, a unicast socket, each opening sockets
// in the namespace Dial pinned by descriptor), 1000 times (100 with
// -short): once Close has run, every failure must be ErrClosed (and
// net.ErrClosed), never a socket's own error such as "setns: bad file
// descriptor". It runs against the kernel's nlctrl, which every Linux has.
func TestCloseRaceStress(t *testing.T) {
	rounds := 1000
	if testing.Short() {
		rounds = 100
	}
	ctx := t.Context() // no deadline: under -race the rounds take a minute
	var e Encoder
	e.String(ctrlAttrFamilyName, "nlctrl")
	get := &Request{Family: "nlctrl", Command: ctrlCmdGetFamily, OpName: "getfamily", Attrs: e.Bytes()}
	dump := &Request{Family: "nlctrl", Command: ctrlCmdGetFamily, OpName: "getfamily"}
	paths := []func(c *Conn) error{
		func(c *Conn) error { _, err := c.Do(ctx, get); return err },
		func(c *Conn) error {
			for _, err := range c.Dump(ctx, dump) {
				if err != nil {
					return err
				}
			}
			return nil
		},
		func(c *Conn) error {
			sub, err := c.Subscribe(ctx, "nlctrl", "notify")
			if err == nil {
				_ = sub.Close()
			}
			return err
		},
		func(c *Conn) error {
			u, err := c.OpenSocket(ctx, "nlctrl")
			if err != nil {
				return err
			}
			defer u.Close()
			_, err = u.Do(ctx, get)
			return err
		},
	}
	for round := range rounds {
		c, err := Dial(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Family(ctx, "nlctrl"); err != nil {
			t.Fatal(err)
		}
		const workers = 50
		errs := make(chan error, workers)
		var wg sync.WaitGroup
		for i := range workers {
			wg.Go(func() {
				for {
					if err := paths[i%len(paths)](c); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
		if err := c.Close(); err != nil {
			t.Fatalf("round %d: Close: %v", round, err)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if !errors.Is(err, ErrClosed) || !errors.Is(err, net.ErrClosed) {
				t.Fatalf("round %d: a request racing Close failed with %q (%T), want ErrClosed", round, err, err)
			}
		}
		if _, err := c.Do(ctx, get); !errors.Is(err, ErrClosed) {
			t.Fatalf("round %d: Do after Close: %v, want ErrClosed", round, err)
		}
	}
}

// TestErrClosedMatchesNet: ErrClosed matches net.ErrClosed, like the
// standard library's closed sockets, and still itself.
func TestErrClosedMatchesNet(t *testing.T) {
	if !errors.Is(ErrClosed, net.ErrClosed) || !errors.Is(ErrClosed, ErrClosed) || errors.Is(net.ErrClosed, ErrClosed) {
		t.Fatal("ErrClosed must match itself and net.ErrClosed")
	}
}
