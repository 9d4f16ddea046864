//go:build linux

package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// injector is a netlink socket in the test's namespace that sends
// messages to another socket's port, as the kernel sends unsolicited
// unicast messages (a root process may address any port).
type injector struct{ nc *netlink.Conn }

func newInjector(t *testing.T, ns *testNS) *injector {
	t.Helper()
	f, err := os.Open(ns.path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nc, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: int(f.Fd())})
	if err != nil {
		t.Fatalf("dial injector: %v", err)
	}
	t.Cleanup(func() { nc.Close() })
	return &injector{nc: nc}
}

// send sends a genl message of type typ, command cmd and sequence 0 with
// attrs to port.
func (in *injector) send(t *testing.T, port uint32, typ uint16, cmd uint8, attrs []byte) {
	t.Helper()
	b := make([]byte, nlmsgHdrLen+genlHdrLen, nlmsgHdrLen+genlHdrLen+len(attrs))
	b = append(b, attrs...)
	binary.NativeEndian.PutUint32(b[0:4], uint32(len(b)))
	binary.NativeEndian.PutUint16(b[4:6], typ)
	b[16], b[17] = cmd, 1
	rc, err := in.nc.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var serr error
	err = rc.Write(func(fd uintptr) bool {
		serr = unix.Sendto(int(fd), b, 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Pid: port})
		return true
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		t.Fatalf("sendto port %d: %v", port, err)
	}
}

// ctrlName encodes CTRL_ATTR_FAMILY_NAME.
func ctrlName(v string) []byte {
	e := NewEncoder(nil)
	e.String(unix.CTRL_ATTR_FAMILY_NAME, v)
	return e.Bytes()
}

func nlctrlGetFamily(name string) *Request {
	e := NewEncoder(nil)
	e.String(unix.CTRL_ATTR_FAMILY_NAME, name)
	return &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY, Attrs: e.Bytes(), OpName: "getfamily"}
}

// TestSocketUnsolicited sends requests on a Socket while unsolicited
// messages arrive for it: replies come back from Do, the unsolicited
// messages from Receive, in order, whether they were read during Do or
// after.
func TestSocketUnsolicited(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	u, err := c.OpenSocket(ctx, "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if u.PortID() == 0 || u.Family().ID != unix.GENL_ID_CTRL {
		t.Fatalf("port %d, family %+v", u.PortID(), u.Family())
	}
	in := newInjector(t, ns)
	in.send(t, u.PortID(), unix.GENL_ID_CTRL, 42, ctrlName("first"))
	in.send(t, u.PortID(), unix.GENL_ID_CTRL+1, 43, nil) // another type: skipped
	msgs, err := u.Do(ctx, nlctrlGetFamily("nlctrl"))
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if len(msgs) != 1 || msgs[0].Command != unix.CTRL_CMD_NEWFAMILY || readFamilyName(t, msgs[0].Data) != "nlctrl" {
		t.Fatalf("Do replies %+v, want one newfamily for nlctrl", msgs)
	}
	in.send(t, u.PortID(), unix.GENL_ID_CTRL, 44, ctrlName("second"))
	for _, want := range []struct {
		cmd  uint8
		name string
	}{{42, "first"}, {44, "second"}} {
		m, err := u.Receive(ctx)
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		if m.Command != want.cmd || m.Family != "nlctrl" || readFamilyName(t, m.Data) != want.name {
			t.Errorf("Receive: cmd %d family %s name %q, want cmd %d nlctrl %q", m.Command, m.Family, readFamilyName(t, m.Data), want.cmd, want.name)
		}
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := u.Receive(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Receive with nothing queued: %v, want the deadline", err)
	}
	if _, err := u.Do(ctx, nlctrlGetFamily("no-such-family")); !errors.Is(err, unix.ENOENT) {
		t.Errorf("Do for a missing family: %v, want ENOENT", err)
	}
	if _, err := u.Do(ctx, &Request{Family: "ethtool"}); err == nil {
		t.Error("Do of another family's request: no error")
	}
	u.Close()
	if _, err := u.Receive(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Receive after Close: %v, want ErrClosed", err)
	}
}

// readFamilyName returns CTRL_ATTR_FAMILY_NAME of a message.
func readFamilyName(t *testing.T, b []byte) string {
	t.Helper()
	w := NewWalker(b, nil)
	for w.Next() {
		if w.Type() == unix.CTRL_ATTR_FAMILY_NAME {
			return w.String()
		}
	}
	return ""
}

// TestSocketReceiveUnblockedByClose closes a Socket under a blocked
// Receive.
func TestSocketReceiveUnblockedByClose(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	u, err := c.OpenSocket(testCtx(t), "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := u.Receive(context.Background())
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	u.Close()
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("Receive: %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Receive still blocked 5 s after Close")
	}
}
