//go:build linux

package genl

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"
)

// TestCtrlDirect checks the lookup-free path to nlctrl against the host
// kernel: a request to nlctrl is one round trip with no lookup before it,
// it answers as the resolved path does, and what the lookup would have
// told (version, header size, ops, groups) is still there when asked for.
func TestCtrlDirect(t *testing.T) {
	if ctrlFamily.ID != unix.GENL_ID_CTRL {
		t.Fatalf("ctrlFamily.ID = %#x, want GENL_ID_CTRL %#x", ctrlFamily.ID, unix.GENL_ID_CTRL)
	}
	ns := newTestNS(t)
	var datagrams atomic.Int64
	c := ns.dial(t, &DialOptions{NoWatch: true, OnReceive: func([]byte) { datagrams.Add(1) }})
	ctx := testCtx(t)

	var e Encoder
	e.String(ctrlAttrFamilyName, "nlctrl")
	req := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY, Attrs: e.Bytes(), OpName: "getfamily", Names: ctrlNames}
	msgs, err := c.Do(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if n := c.sent.Load(); n != 1 {
		t.Errorf("a do to nlctrl sent %d requests, want 1 (no lookup first)", n)
	}
	if n := c.res.fetches.Load(); n != 0 {
		t.Errorf("a do to nlctrl looked nlctrl up %d times, want 0", n)
	}
	// The reply and the ACK: one datagram, or two on a kernel that sends
	// the ACK apart; a lookup first would add its own.
	if n := datagrams.Load(); n < 1 || n > 2 {
		t.Errorf("a do to nlctrl read %d datagrams, want 1 or 2", n)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d replies, want 1", len(msgs))
	}
	direct, err := parseFamily(msgs[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if c.res.cached("nlctrl", 0) != nil {
		t.Error("the lookup-free do filled the cache")
	}

	var dumped int
	for m, err := range c.Dump(ctx, &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY, OpName: "getfamily", Names: ctrlNames}) {
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseFamily(m.Data); err != nil {
			t.Fatal(err)
		}
		dumped++
	}
	if n := c.sent.Load(); n != 2 || dumped == 0 {
		t.Errorf("after a dump of %d families: %d requests sent in all, want 2", dumped, n)
	}

	// The resolved path: the same family, and the fixed description
	// agrees with it.
	resolved, err := c.Family(ctx, "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	if n := c.res.fetches.Load(); n != 1 {
		t.Errorf("Family(nlctrl) fetched %d times, want 1", n)
	}
	if d := cmp.Diff(resolved, direct); d != "" {
		t.Errorf("direct getfamily differs from the resolved family (-resolved +direct):\n%s", d)
	}
	if resolved.ID != ctrlFamily.ID || resolved.Version != ctrlFamily.Version || resolved.HeaderSize != ctrlFamily.HeaderSize {
		t.Errorf("kernel's nlctrl id %#x version %d hdrsize %d; built-in %#x %d %d",
			resolved.ID, resolved.Version, resolved.HeaderSize, ctrlFamily.ID, ctrlFamily.Version, ctrlFamily.HeaderSize)
	}
	for _, cmd := range []uint8{unix.CTRL_CMD_GETFAMILY, unix.CTRL_CMD_GETPOLICY} {
		if _, ok := resolved.Op(cmd); !ok {
			t.Errorf("resolved nlctrl lacks op %d", cmd)
		}
	}
	if g, ok := resolved.Group("notify"); !ok || g.ID != ctrlNotifyGroup {
		t.Errorf("resolved nlctrl's notify group: %+v, %v; want id %#x", g, ok, ctrlNotifyGroup)
	}
}

// TestCtrlDirectLazy checks what needs nlctrl's own description on a Conn
// that has only used the lookup-free path: subscribing to its group,
// its policy, and an op the kernel lacks (refused by the kernel before
// the lookup, by the op list after it, both naming nlctrl and the op).
func TestCtrlDirectLazy(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, &DialOptions{NoWatch: true})
	ctx := testCtx(t)
	bad := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_NEWFAMILY, OpName: "newfamily"}

	_, err := c.Do(ctx, bad)
	var ge *Error
	if !errors.As(err, &ge) || ge.Errno != unix.EOPNOTSUPP {
		t.Fatalf("unlisted op before the lookup: err = %v, want the kernel's EOPNOTSUPP", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "nlctrl") || !strings.Contains(msg, "newfamily") {
		t.Errorf("error %q does not name nlctrl and the op", msg)
	}

	sub, err := c.Subscribe(ctx, "nlctrl", "notify")
	if err != nil {
		t.Fatalf("subscribe to nlctrl notify: %v", err)
	}
	sub.Close()
	if c.res.cached("nlctrl", 0) == nil {
		t.Error("Subscribe did not resolve nlctrl")
	}
	if _, err := c.Policy(ctx, "nlctrl"); err != nil {
		t.Errorf("nlctrl policy: %v", err)
	}

	_, err = c.Do(ctx, bad)
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("unlisted op after the lookup: err = %v, want ErrUnsupported", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "nlctrl") || !strings.Contains(msg, "newfamily") {
		t.Errorf("error %q does not name nlctrl and the op", msg)
	}
}

// BenchmarkCtrlFirstDo measures what a one-shot command pays in genl: dial,
// one getfamily do to nlctrl on a fresh Conn (so with an empty cache), close.
func BenchmarkCtrlFirstDo(b *testing.B) {
	ctx := context.Background()
	var e Encoder
	e.String(ctrlAttrFamilyName, "nlctrl")
	req := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY, Attrs: e.Bytes(), OpName: "getfamily", Names: ctrlNames}
	var sent uint64
	for b.Loop() {
		c, err := Dial(ctx, &DialOptions{NoWatch: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Do(ctx, req); err != nil {
			b.Fatal(err)
		}
		sent += c.sent.Load()
		c.Close()
	}
	b.ReportMetric(float64(sent)/float64(b.N), "requests/op")
}
