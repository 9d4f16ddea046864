package tcpmetrics

import (
	"context"
	"errors"
	"io"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/internal/netnstest"
	"golang.org/x/sys/unix"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// Loopback addresses of the test connection: the kernel records the
// metrics of a closed connection under its peer (daddr) and source.
var (
	client = netip.MustParseAddr("127.0.0.1")
	server = netip.MustParseAddr("127.0.0.2")
)

// liveClient dials tcp_metrics in a fresh namespace with lo up, and
// returns the client and the namespace. It skips when the kernel lacks
// tcp_metrics.
func liveClient(t *testing.T) (*Client, *netnstest.NS) {
	t.Helper()
	ns := netnstest.New(t)
	ns.IP(t, "link", "set", "lo", "up")
	c, err := Dial(ctx(t), ns.DialOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	for _, err := range c.GetDump(ctx(t), nil) {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("kernel lacks tcp_metrics: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Fatal("a fresh namespace has tcp metrics already")
	}
	return c, ns
}

// connect makes a TCP connection from client to server inside ns,
// exchanges data both ways (so the kernel has RTT samples) and closes
// it, client first.
func connect(t *testing.T, ns *netnstest.NS) {
	t.Helper()
	var ln net.Listener
	var conn net.Conn
	err := inNetNS(ns.Path, func() (err error) {
		ln, err = net.Listen("tcp4", netip.AddrPortFrom(server, 0).String())
		if err != nil {
			return err
		}
		d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(client, 0)), Timeout: 5 * time.Second}
		conn, err = d.Dial("tcp4", ln.Addr().String())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan error, 1)
	go func() {
		s, err := ln.Accept()
		if err != nil {
			done <- err
			return
		}
		defer s.Close()
		if _, err := s.Write(make([]byte, 64<<10)); err != nil {
			done <- err
			return
		}
		_, err = io.Copy(io.Discard, s) // until the client closes
		done <- err
	}()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(conn, make([]byte, 64<<10)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write([]byte("bye")); err != nil {
		t.Fatal(err)
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// dumped returns the metrics the dump reports for peer, or nil.
func dumped(t *testing.T, c *Client, peer netip.Addr) *Attrs {
	t.Helper()
	var found *Attrs
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if m.AddrIPv4 == peer {
			found = m
		}
	}
	return found
}

// waitDumped polls the dump until it reports peer: the kernel records a
// connection's metrics as it closes, which ends after Close returns.
func waitDumped(t *testing.T, c *Client, peer netip.Addr) *Attrs {
	t.Helper()
	for range 50 {
		if m := dumped(t, c, peer); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no tcp metrics for %v after the connection closed", peer)
	return nil
}

func TestLiveGetAndDel(t *testing.T) {
	c, ns := liveClient(t)
	connect(t, ns)

	m := waitDumped(t, c, server)
	if m.SaddrIPv4 != client {
		t.Errorf("dump: metrics for %v have source %v, want %v", server, m.SaddrIPv4, client)
	}
	if m.Vals == nil || m.Vals.RttUs.Value == 0 {
		t.Errorf("dump: metrics for %v lack an RTT: %+v", server, m.Vals)
	}

	got, err := c.Get(ctx(t), &Attrs{AddrIPv4: server, SaddrIPv4: client})
	if err != nil {
		t.Fatal(err)
	}
	if got.AddrIPv4 != server || got.SaddrIPv4 != client || got.Vals == nil || got.Vals.RttUs != m.Vals.RttUs {
		t.Errorf("get %v from %v = %+v (vals %+v), want the dumped entry (vals %+v)", server, client, got, got.Vals, m.Vals)
	}

	if err := c.Del(ctx(t), &Attrs{AddrIPv4: server, SaddrIPv4: client}); err != nil {
		t.Fatal(err)
	}
	if m := dumped(t, c, server); m != nil {
		t.Errorf("dump after del still reports %v: %+v", server, m)
	}
	if _, err := c.Get(ctx(t), &Attrs{AddrIPv4: server, SaddrIPv4: client}); !errors.Is(err, unix.ESRCH) {
		t.Errorf("get after del = %v, want ESRCH", err)
	}
}

func TestLiveDelAllFlushes(t *testing.T) {
	c, ns := liveClient(t)
	connect(t, ns)
	waitDumped(t, c, server)
	// A del without an address flushes the namespace's whole cache.
	if err := c.Del(ctx(t), &Attrs{}); err != nil {
		t.Fatal(err)
	}
	for m, err := range c.GetDump(ctx(t), nil) {
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("dump after flushing reports %v", m.AddrIPv4)
	}
}
