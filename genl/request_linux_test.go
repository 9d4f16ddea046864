//go:build linux

package genl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ethtoolNames names the attributes of ethtool's linkinfo and channels
// requests, the way generated code does.
var ethtoolNames = &NameTable{
	Names: []string{unix.ETHTOOL_A_LINKINFO_HEADER: "header"},
	Nested: []*NameTable{unix.ETHTOOL_A_LINKINFO_HEADER: {
		Names: []string{unix.ETHTOOL_A_HEADER_DEV_INDEX: "dev-index", unix.ETHTOOL_A_HEADER_DEV_NAME: "dev-name"},
	}},
}

// headerAttrs encodes a request holding only an ethtool header nest (type 1
// in every ethtool request) naming dev, or empty for a dump of all devices.
func headerAttrs(dev string) []byte {
	var e Encoder
	h := e.Nest(unix.ETHTOOL_A_LINKINFO_HEADER)
	if dev != "" {
		e.String(unix.ETHTOOL_A_HEADER_DEV_NAME, dev)
	}
	e.End(h)
	return e.Bytes()
}

func linkinfoReq(dev string, names AttrNamer) *Request {
	return &Request{
		Family: "ethtool", Command: unix.ETHTOOL_MSG_LINKINFO_GET,
		Attrs: headerAttrs(dev), OpName: "linkinfo-get", Names: names,
	}
}

// devName returns the dev-name in the header nest of an ethtool reply.
func devName(t testing.TB, data []byte) string {
	t.Helper()
	w := NewWalker(data, nil)
	for w.Next() {
		if w.Type() != unix.ETHTOOL_A_LINKINFO_HEADER {
			continue
		}
		in := NewWalker(w.Data(), nil)
		for in.Next() {
			if in.Type() == unix.ETHTOOL_A_HEADER_DEV_NAME {
				return in.String()
			}
		}
	}
	if err := w.Err(); err != nil {
		t.Fatalf("decode reply: %v", err)
	}
	return ""
}

func TestDoLinkinfo(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	c := ns.dial(t, nil)
	msgs, err := c.Do(testCtx(t), linkinfoReq("v0", ethtoolNames))
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("got %d replies, want 1", len(msgs))
	}
	m := msgs[0]
	if m.Family != "ethtool" || m.Command != unix.ETHTOOL_MSG_LINKINFO_GET_REPLY {
		t.Errorf("reply %s cmd %d, want ethtool cmd %d", m.Family, m.Command, unix.ETHTOOL_MSG_LINKINFO_GET_REPLY)
	}
	if got := devName(t, m.Data); got != "v0" {
		t.Errorf("reply names device %q, want v0", got)
	}
	// An ACK-only command after a replying one: the socket must be in step.
	for range 3 {
		if _, err := c.Do(testCtx(t), channelsSetReq("v0", 1)); err != nil {
			t.Fatalf("channels-set: %v", err)
		}
		if _, err := c.Do(testCtx(t), linkinfoReq("v1", nil)); err != nil {
			t.Fatalf("linkinfo-get after channels-set: %v", err)
		}
	}
}

func TestDoNoSuchDevice(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	for _, tc := range []struct {
		names AttrNamer
		path  string
	}{
		{ethtoolNames, ".header.dev-name"},
		{nil, ".1.2"},
	} {
		_, err := c.Do(testCtx(t), linkinfoReq("nosuchdev0", tc.names))
		if !errors.Is(err, unix.ENODEV) {
			t.Fatalf("err = %v, want ENODEV", err)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err %T is not an *Error", err)
		}
		// The header nest starts at 0, dev-name is its first attribute.
		if e.Offset != nlaHeaderLen {
			t.Errorf("Offset = %d, want %d (the dev-name attribute)", e.Offset, nlaHeaderLen)
		}
		if e.AttrPath != tc.path {
			t.Errorf("AttrPath = %q, want %q", e.AttrPath, tc.path)
		}
		if e.Message == "" {
			t.Error("no extended ACK message")
		}
		if e.Family != "ethtool" || e.Op != "linkinfo-get" || e.MissingType != -1 {
			t.Errorf("got %+v", e)
		}
		want := "ethtool linkinfo-get: no such device: " + e.Message + " (bad attribute: " + tc.path + ")"
		if err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
	}
}

func TestDoMissingAttribute(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	// netdev dev-get (cmd 1) without its required ifindex (attr 1): the
	// kernel reports the missing attribute (NLMSGERR_ATTR_MISS_TYPE).
	names := &NameTable{Names: []string{1: "ifindex"}}
	for _, tc := range []struct {
		names AttrNamer
		path  string
	}{{names, ".ifindex"}, {nil, ".1"}} {
		_, err := c.Do(testCtx(t), &Request{Family: "netdev", Command: 1, OpName: "dev-get", Names: tc.names})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want an *Error", err)
		}
		if e.Errno != unix.EINVAL || e.MissingType != 1 || e.MissingNest != -1 || e.MissingPath != tc.path {
			t.Errorf("got errno %v missing type %d nest %d path %q, want EINVAL 1 -1 %q",
				e.Errno, e.MissingType, e.MissingNest, e.MissingPath, tc.path)
		}
		if want := " (missing attribute: " + tc.path + ")"; !strings.HasSuffix(err.Error(), want) {
			t.Errorf("Error() = %q, want suffix %q", err, want)
		}
	}
	// linkinfo-get with an empty header: the kernel blames the header.
	_, err := c.Do(testCtx(t), linkinfoReq("", ethtoolNames))
	var e *Error
	if !errors.As(err, &e) || e.Errno != unix.EINVAL || e.AttrPath != ".header" || e.Offset != 0 {
		t.Errorf("empty header: err = %v, want EINVAL at .header", err)
	}
}

func TestDoExpiredContext(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	c := ns.dial(t, nil)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := c.Do(ctx, linkinfoReq("lo", nil)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("expired: err = %v, want DeadlineExceeded", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := c.Do(ctx, linkinfoReq("lo", nil)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want Canceled", err)
	}
	if _, err := c.Do(testCtx(t), linkinfoReq("v0", nil)); err != nil {
		t.Errorf("after: %v", err)
	}
}

func TestDoUnsupportedOp(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	for _, name := range []string{"ethtool", "nlctrl"} {
		if _, err := c.Family(testCtx(t), name); err != nil {
			t.Fatal(err)
		}
	}
	sent := c.sent.Load()
	_, err := c.Do(testCtx(t), &Request{Family: "ethtool", Command: 250, OpName: "foo-get"})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
	want := `genl: ethtool: kernel does not support command 250 (op "foo-get")`
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	// nlctrl's policy dump (CTRL_CMD_GETPOLICY) has no do handler.
	_, err = c.Do(testCtx(t), &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETPOLICY})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("do of a dump-only op: err = %v, want ErrUnsupported", err)
	}
	for _, err := range c.Dump(testCtx(t), &Request{Family: "ethtool", Command: 250}) {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("dump: err = %v, want ErrUnsupported", err)
		}
	}
	if got := c.sent.Load(); got != sent {
		t.Errorf("%d requests were sent for unsupported ops", got-sent)
	}
}

// addVeths creates n veth pairs and returns the names of all devices.
func addVeths(t testing.TB, ns *testNS, pairs int) []string {
	t.Helper()
	var lines []string
	var names []string // not lo: it has no link settings, the dump skips it
	for i := range pairs {
		a, b := fmt.Sprintf("va%d", i), fmt.Sprintf("vb%d", i)
		lines = append(lines, fmt.Sprintf("link add %s type veth peer %s", a, b))
		names = append(names, a, b)
	}
	ns.batch(t, lines)
	slices.Sort(names)
	return names
}

func TestDumpManyInterfaces(t *testing.T) {
	ns := newTestNS(t)
	want := addVeths(t, ns, 60)
	c := ns.dial(t, nil)
	ctx := testCtx(t)

	var got []string
	inner := 0
	for m, err := range c.Dump(ctx, linkinfoReq("", nil)) {
		if err != nil {
			t.Fatal(err)
		}
		name := devName(t, m.Data)
		got = append(got, name)
		// A request from inside the loop must not wait for the dump.
		if len(got)%20 == 1 {
			msgs, err := c.Do(ctx, linkinfoReq(name, nil))
			if err != nil {
				t.Fatalf("Do inside the dump loop: %v", err)
			}
			if devName(t, msgs[0].Data) != name {
				t.Errorf("Do inside the loop answered for another device")
			}
			inner++
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("dump returned %d devices, want %d\n got %v\nwant %v", len(got), len(want), got, want)
	}
	if inner == 0 {
		t.Error("no request ran inside the loop")
	}

	// Break early, then the Conn (and its sockets) must still work.
	for range 3 {
		n := 0
		for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 2 {
				break
			}
		}
		if _, err := c.Do(ctx, linkinfoReq("va7", nil)); err != nil {
			t.Fatalf("Do after an early break: %v", err)
		}
		count := 0
		for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
			if err != nil {
				t.Fatalf("Dump after an early break: %v", err)
			}
			count++
		}
		if count != len(want) {
			t.Errorf("second dump: %d devices, want %d", count, len(want))
		}
	}
}

// TestDumpCancel cancels a dump mid-way: the pending read returns ctx's
// error and the Conn keeps working.
func TestDumpCancel(t *testing.T) {
	ns := newTestNS(t)
	addVeths(t, ns, 60)
	c := ns.dial(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var last error
	for _, err := range c.Dump(ctx, linkinfoReq("", nil)) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 1 {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("err = %v after %d messages, want Canceled", last, n)
	}
	if _, err := c.Do(testCtx(t), linkinfoReq("va1", nil)); err != nil {
		t.Errorf("Do after a cancelled dump: %v", err)
	}
}

func TestDoNoSuchFamily(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	_, err := c.Do(testCtx(t), &Request{Family: "no-such-family", Command: 1})
	if !errors.Is(err, syscall.ENOENT) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist and ENOENT", err)
	}
	if want := `genl: family "no-such-family" not found (is its kernel module loaded?)`; err == nil || err.Error() != want {
		t.Errorf("Error() = %v, want %q", err, want)
	}
}

// channelsSetReq sets a veth's rx channel count (ETHTOOL_MSG_CHANNELS_SET).
func channelsSetReq(dev string, rx uint32) *Request {
	var e Encoder
	h := e.Nest(unix.ETHTOOL_A_CHANNELS_HEADER)
	e.String(unix.ETHTOOL_A_HEADER_DEV_NAME, dev)
	e.End(h)
	e.Uint32(unix.ETHTOOL_A_CHANNELS_RX_COUNT, rx)
	return &Request{Family: "ethtool", Command: unix.ETHTOOL_MSG_CHANNELS_SET, Attrs: e.Bytes(), OpName: "channels-set"}
}

// TestDumpEarlyErrors checks the errors a dump yields before sending.
func TestDumpEarlyErrors(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		ctx  context.Context
		req  *Request
		want func(error) bool
	}{
		{cancelled, linkinfoReq("", nil), func(err error) bool { return errors.Is(err, context.Canceled) }},
		{testCtx(t), nil, func(err error) bool { return err == errNilRequest }},
		{testCtx(t), &Request{Family: "ynl-nosuchfam"}, func(err error) bool { return errors.Is(err, os.ErrNotExist) }},
		{testCtx(t), &Request{Family: "ethtool", Command: unix.ETHTOOL_MSG_LINKINFO_GET, Header: []byte{1}},
			func(err error) bool { return err != nil && strings.Contains(err.Error(), "fixed header") }},
	} {
		n := 0
		for _, err := range c.Dump(tc.ctx, tc.req) {
			n++
			if !tc.want(err) {
				t.Errorf("%+v: err = %v", tc.req, err)
			}
		}
		if n != 1 {
			t.Errorf("%+v: %d results, want 1 error", tc.req, n)
		}
	}
	if _, err := c.Do(testCtx(t), nil); err != errNilRequest {
		t.Errorf("Do(nil) = %v", err)
	}
}
