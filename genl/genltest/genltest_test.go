//go:build linux

package genltest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// The demo family: command 1 echoes, command 2 dumps, command 3 fails.
const (
	cmdEcho = 1
	cmdList = 2
	cmdFail = 3

	attrName  = 1
	attrValue = 2
	attrNest  = 3
)

var demoNames = &genl.NameTable{
	Names:  []string{attrName: "name", attrValue: "value", attrNest: "header"},
	Nested: []*genl.NameTable{attrNest: {Names: []string{1: "dev-index", 2: "dev-name"}}},
}

func encode(f func(e *genl.Encoder)) []byte {
	var e genl.Encoder
	f(&e)
	return e.Bytes()
}

// readName returns the name attribute of b.
func readName(t *testing.T, b []byte) string {
	t.Helper()
	w := genl.NewWalker(b, nil)
	var name string
	for w.Next() {
		if w.Type() == attrName {
			name = w.String()
		}
	}
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	return name
}

func newDemo(t *testing.T, ops map[uint8]genltest.Handler) (*genltest.Kernel, *genl.Conn) {
	t.Helper()
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{Name: "demo", ID: 0x20, Version: 3, MaxAttr: 3,
		Groups: []string{"events", "other"}, Ops: ops})
	return k, k.Conn(t)
}

func TestDo(t *testing.T) {
	var got genltest.Request
	_, c := newDemo(t, map[uint8]genltest.Handler{
		cmdEcho: func(req genltest.Request) ([]genltest.Reply, error) {
			got = req
			got.Attrs = bytes.Clone(req.Attrs)
			return []genltest.Reply{{Attrs: encode(func(e *genl.Encoder) { e.String(attrName, "echo:"+readName(t, req.Attrs)) })}}, nil
		},
	})
	msgs, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho,
		Attrs: encode(func(e *genl.Encoder) { e.String(attrName, "hi") })})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || msgs[0].Family != "demo" || msgs[0].Command != cmdEcho || msgs[0].Version != 3 {
		t.Fatalf("replies %+v", msgs)
	}
	if name := readName(t, msgs[0].Data); name != "echo:hi" {
		t.Errorf("reply name %q", name)
	}
	if got.Family != "demo" || got.Command != cmdEcho || got.Dump || got.Version != 3 ||
		got.Flags&netlink.Request == 0 || got.Flags&netlink.Acknowledge == 0 || readName(t, got.Attrs) != "hi" {
		t.Errorf("handler saw %+v", got)
	}
}

func TestDoRequestFlagsAndVersion(t *testing.T) {
	var got genltest.Request
	_, c := newDemo(t, map[uint8]genltest.Handler{
		cmdEcho: func(req genltest.Request) ([]genltest.Reply, error) { got = req; return nil, nil },
	})
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho, Version: 7,
		Flags: netlink.Create | netlink.Excl})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 7 || got.Flags&netlink.Create == 0 || got.Flags&netlink.Excl == 0 {
		t.Errorf("handler saw version %d flags %v", got.Version, got.Flags)
	}
}

func TestResolver(t *testing.T) {
	k, c := newDemo(t, map[uint8]genltest.Handler{cmdEcho: nil, cmdList: nil})
	f, err := c.Family(t.Context(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	_, groups, _ := k.Family("demo")
	if f.ID != 0x20 || f.Version != 3 || f.MaxAttr != 3 || len(f.Ops) != 2 || len(f.Groups) != 2 {
		t.Fatalf("family %+v", f)
	}
	if g, ok := f.Group("events"); !ok || g.ID != groups["events"] {
		t.Errorf("events group %+v, kernel has %d", g, groups["events"])
	}
	if op, ok := f.Op(cmdList); !ok || op.Flags != genl.OpDo|genl.OpDump {
		t.Errorf("op %+v", op)
	}
	byID, err := c.FamilyByID(t.Context(), 0x20)
	if err != nil || byID.Name != "demo" {
		t.Errorf("by id: %+v, %v", byID, err)
	}
	all, err := c.Families(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range all {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"nlctrl", "demo"}) {
		t.Errorf("families %v", names)
	}
	if _, err := c.Family(t.Context(), "nope"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing family: %v", err)
	}
}

func TestUnknownOp(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdEcho: nil})
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: 42, OpName: "foo-get"})
	if !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("err = %v", err)
	}
}

func TestAutoID(t *testing.T) {
	k := genltest.New()
	a := k.MustAddFamily(t, genltest.Family{Name: "a"})
	b := k.MustAddFamily(t, genltest.Family{Name: "b"})
	if a == b || a <= 0x10 || b <= 0x10 {
		t.Errorf("ids %#x %#x", a, b)
	}
	if _, err := k.AddFamily(genltest.Family{Name: "a"}); err == nil {
		t.Error("duplicate name accepted")
	}
	if _, err := k.AddFamily(genltest.Family{Name: "c", ID: a}); err == nil {
		t.Error("duplicate id accepted")
	}
}

func listHandler(n int, split func(i int) bool, flags func(i int) netlink.HeaderFlags) genltest.Handler {
	return func(req genltest.Request) ([]genltest.Reply, error) {
		if !req.Dump {
			return nil, syscall.EINVAL
		}
		var out []genltest.Reply
		for i := range n {
			r := genltest.Reply{Attrs: encode(func(e *genl.Encoder) { e.String(attrName, fmt.Sprint("item", i)) })}
			r.Split = split(i)
			r.Flags = flags(i)
			out = append(out, r)
		}
		return out, nil
	}
}

func collect(t *testing.T, c *genl.Conn, req *genl.Request) ([]string, error) {
	t.Helper()
	var names []string
	for m, err := range c.Dump(t.Context(), req) {
		if err != nil {
			return names, err
		}
		names = append(names, readName(t, m.Data))
	}
	return names, nil
}

func TestDumpMultipart(t *testing.T) {
	none := func(int) netlink.HeaderFlags { return 0 }
	for _, tc := range []struct {
		name  string
		split func(i int) bool
	}{
		{"one datagram", func(int) bool { return false }},
		{"datagram per message", func(int) bool { return true }},
		{"every third", func(i int) bool { return i%3 == 2 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newDemo(t, map[uint8]genltest.Handler{cmdList: listHandler(50, tc.split, none)})
			names, err := collect(t, c, &genl.Request{Family: "demo", Command: cmdList})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 50 || names[0] != "item0" || names[49] != "item49" {
				t.Errorf("got %d: %v", len(names), names)
			}
		})
	}
}

func TestDumpInterrupted(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdList: listHandler(4,
		func(i int) bool { return i == 1 },
		func(i int) netlink.HeaderFlags {
			if i == 2 {
				return netlink.DumpInterrupted
			}
			return 0
		})})
	names, err := collect(t, c, &genl.Request{Family: "demo", Command: cmdList})
	if !errors.Is(err, genl.ErrDumpInterrupted) {
		t.Fatalf("err = %v", err)
	}
	if len(names) != 4 {
		t.Errorf("interrupted dump yielded %v, want all 4 messages first", names)
	}
}

func TestDumpErrorMidway(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdList: func(req genltest.Request) ([]genltest.Reply, error) {
		return []genltest.Reply{{Attrs: encode(func(e *genl.Encoder) { e.String(attrName, "first") })}},
			genltest.Errorf(syscall.EIO, "disk on fire")
	}})
	names, err := collect(t, c, &genl.Request{Family: "demo", Command: cmdList, OpName: "list"})
	var ge *genl.Error
	if !errors.As(err, &ge) || ge.Errno != syscall.EIO || ge.Message != "disk on fire" || len(names) != 1 {
		t.Fatalf("names %v err %v", names, err)
	}
}

func TestDumpStartError(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdList: func(genltest.Request) ([]genltest.Reply, error) {
		return nil, syscall.EPERM
	}})
	_, err := collect(t, c, &genl.Request{Family: "demo", Command: cmdList})
	if !errors.Is(err, syscall.EPERM) {
		t.Fatalf("err = %v", err)
	}
}

func TestExtendedAck(t *testing.T) {
	maxLen := uint32(15)
	var saw int
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdFail: func(req genltest.Request) ([]genltest.Reply, error) {
		// Point at header.dev-name, as the kernel would for a bad name.
		w := genl.NewWalker(req.Attrs, nil)
		for w.Next() {
			if w.Type() != attrNest {
				continue
			}
			in := genl.NewWalker(w.Data(), nil)
			for in.Next() {
				if in.Type() == 2 {
					saw = w.Offset() + 4 + in.Offset()
				}
			}
		}
		return nil, &genltest.Error{
			Errno:       syscall.ENODEV,
			Message:     "no device matches name",
			Offset:      genl.Some(saw),
			MissingType: genl.Some(uint16(1)),
			MissingNest: genl.Some(0),
			Policy:      &genl.AttrPolicy{Type: genl.PolicyNulString, MaxLength: &maxLen},
			Cookie:      []byte{1, 2, 3},
		}
	}})
	attrs := encode(func(e *genl.Encoder) {
		n := e.Nest(attrNest)
		e.String(2, "nosuchdev0")
		e.End(n)
	})
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdFail, OpName: "fail-get", Attrs: attrs, Names: demoNames})
	var ge *genl.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %#v", err)
	}
	if !errors.Is(err, syscall.ENODEV) || ge.Message != "no device matches name" || ge.Offset != saw ||
		ge.AttrPath != ".header.dev-name" || ge.MissingType != 1 || ge.MissingNest != 0 ||
		ge.MissingPath != ".header.dev-index" || !bytes.Equal(ge.Cookie, []byte{1, 2, 3}) {
		t.Errorf("error %+v", ge)
	}
	if ge.Policy == nil || ge.Policy.Type != genl.PolicyNulString || ge.Policy.MaxLength == nil || *ge.Policy.MaxLength != 15 {
		t.Errorf("policy %+v", ge.Policy)
	}
	want := "demo fail-get: no such device: no device matches name (bad attribute: .header.dev-name) (missing attribute: .header.dev-index)"
	if err.Error() != want {
		t.Errorf("got  %s\nwant %s", err, want)
	}
}

func TestPlainErrors(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{
		cmdFail: func(genltest.Request) ([]genltest.Reply, error) { return nil, errors.New("bad things") },
		cmdEcho: func(genltest.Request) ([]genltest.Reply, error) { return nil, syscall.EBUSY },
	})
	_, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdFail})
	var ge *genl.Error
	if !errors.As(err, &ge) || ge.Errno != syscall.EINVAL || ge.Message != "bad things" {
		t.Errorf("plain error: %v", err)
	}
	if _, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho}); !errors.Is(err, syscall.EBUSY) {
		t.Errorf("errno: %v", err)
	}
}

func TestWarning(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{cmdEcho: func(genltest.Request) ([]genltest.Reply, error) {
		return []genltest.Reply{{}}, &genltest.Error{Message: "deprecated attribute"}
	}})
	msgs, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho})
	if err != nil || len(msgs) != 1 {
		t.Errorf("warning failed the request: %v, %d replies", err, len(msgs))
	}
}

func TestFixedHeader(t *testing.T) {
	k := genltest.New()
	var hdr []byte
	k.MustAddFamily(t, genltest.Family{Name: "legacy", HeaderSize: 6, Version: 1,
		Ops: map[uint8]genltest.Handler{1: func(req genltest.Request) ([]genltest.Reply, error) {
			hdr = bytes.Clone(req.Header)
			return []genltest.Reply{{Header: []byte{9, 8, 7, 6, 5, 4}, Attrs: encode(func(e *genl.Encoder) { e.String(attrName, readName(t, req.Attrs)) })}}, nil
		}}})
	c := k.Conn(t)
	msgs, err := c.Do(t.Context(), &genl.Request{Family: "legacy", Command: 1, Header: []byte{1, 2, 3, 4, 5, 6},
		Attrs: encode(func(e *genl.Encoder) { e.String(attrName, "x") })})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(hdr, []byte{1, 2, 3, 4, 5, 6}) {
		t.Errorf("handler header %v", hdr)
	}
	// Data is the fixed header, padded to 4, then the attributes.
	if len(msgs) != 1 || !bytes.Equal(msgs[0].Data[:6], []byte{9, 8, 7, 6, 5, 4}) || readName(t, msgs[0].Data[8:]) != "x" {
		t.Errorf("reply %+v", msgs)
	}
}

func TestSubscribeNotify(t *testing.T) {
	k, c := newDemo(t, nil)
	ctx := t.Context()
	sub, err := c.Subscribe(ctx, "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify("demo", "other", 9, nil); err != nil { // not subscribed
		t.Fatal(err)
	}
	for i := range 3 {
		if err := k.Notify("demo", "events", 5, encode(func(e *genl.Encoder) { e.String(attrName, fmt.Sprint("ev", i)) })); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m.Command != 5 || m.Family != "demo" || readName(t, m.Data) != fmt.Sprint("ev", i) {
			t.Errorf("notification %d: %+v", i, m)
		}
	}
	if err := k.Notify("demo", "nope", 5, nil); err == nil {
		t.Error("unknown group accepted")
	}
}

func TestNotifyWakesBlockedReceive(t *testing.T) {
	k, c := newDemo(t, nil)
	sub, err := c.Subscribe(t.Context(), "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	type result struct {
		m   genl.Message
		err error
	}
	got := make(chan result, 1)
	go func() {
		m, err := sub.Receive(context.Background())
		got <- result{m, err}
	}()
	time.Sleep(20 * time.Millisecond) // let Receive block
	if err := k.Notify("demo", "events", 6, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.err != nil || r.m.Command != 6 {
			t.Errorf("got %+v, %v", r.m, r.err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("blocked Receive never woke")
	}
}

func TestOverrun(t *testing.T) {
	k, c := newDemo(t, nil)
	ctx := t.Context()
	sub, err := c.Subscribe(ctx, "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := k.Notify("demo", "events", 1, nil); err != nil {
		t.Fatal(err)
	}
	if err := k.Overrun("demo", "events"); err != nil {
		t.Fatal(err)
	}
	_, err = sub.Receive(ctx)
	if !errors.Is(err, genl.ErrOverrun) || !errors.Is(err, syscall.ENOBUFS) {
		t.Fatalf("err = %v, want an overrun", err)
	}
	// The subscription keeps going: the queued notification follows.
	m, err := sub.Receive(ctx)
	if err != nil || m.Command != 1 {
		t.Fatalf("after overrun: %+v, %v", m, err)
	}
}

func TestReceiveCancel(t *testing.T) {
	_, c := newDemo(t, nil)
	sub, err := c.Subscribe(t.Context(), "demo", "events")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = sub.Receive(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %v", err, time.Since(start))
	}
}

func TestRemoveAndReAdd(t *testing.T) {
	k := genltest.New()
	echo := func(tag string) genltest.Handler {
		return func(genltest.Request) ([]genltest.Reply, error) {
			return []genltest.Reply{{Attrs: encode(func(e *genl.Encoder) { e.String(attrName, tag) })}}, nil
		}
	}
	k.MustAddFamily(t, genltest.Family{Name: "demo", ID: 0x20, Ops: map[uint8]genltest.Handler{1: echo("old")}})
	c := k.Conn(t)
	ctx := t.Context()
	req := &genl.Request{Family: "demo", Command: 1}
	msgs, err := c.Do(ctx, req)
	if err != nil || readName(t, msgs[0].Data) != "old" {
		t.Fatalf("%v %v", msgs, err)
	}

	if err := k.RemoveFamily("demo"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		_, err := c.Do(ctx, req)
		return errors.Is(err, os.ErrNotExist)
	})

	k.MustAddFamily(t, genltest.Family{Name: "demo", ID: 0x30, Ops: map[uint8]genltest.Handler{1: echo("new")}})
	waitFor(t, func() bool {
		msgs, err := c.Do(ctx, req)
		return err == nil && readName(t, msgs[0].Data) == "new"
	})
	f, err := c.Family(ctx, "demo")
	if err != nil || f.ID != 0x30 {
		t.Errorf("family after re-add: %+v, %v", f, err)
	}
	if err := k.RemoveFamily("nope"); err == nil {
		t.Error("removing an unknown family succeeded")
	}
}

// waitFor polls cond: nlctrl notifications reach the resolver's watcher
// asynchronously.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 5s")
}

func TestCtrlNotifications(t *testing.T) {
	k := genltest.New()
	c := k.Conn(t)
	ctx := t.Context()
	sub, err := c.Subscribe(ctx, "nlctrl", "notify")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	k.MustAddFamily(t, genltest.Family{Name: "demo", Groups: []string{"g"}})
	if err := k.RemoveFamily("demo"); err != nil {
		t.Fatal(err)
	}
	var cmds []uint8
	for range 4 {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if name := familyName(t, m.Data); name != "demo" {
			t.Errorf("notification about %q", name)
		}
		cmds = append(cmds, m.Command)
	}
	// NEWFAMILY, NEWMCAST_GRP, DELMCAST_GRP, DELFAMILY.
	if !slices.Equal(cmds, []uint8{1, 7, 8, 2}) {
		t.Errorf("commands %v", cmds)
	}
}

func familyName(t *testing.T, b []byte) string {
	w := genl.NewWalker(b, nil)
	for w.Next() {
		if w.Type() == 2 {
			return w.String()
		}
	}
	return ""
}

func TestConcurrentDo(t *testing.T) {
	_, c := newDemo(t, map[uint8]genltest.Handler{
		cmdEcho: func(req genltest.Request) ([]genltest.Reply, error) {
			return []genltest.Reply{{Attrs: bytes.Clone(req.Attrs)}}, nil
		},
		cmdList: listHandler(20, func(i int) bool { return i%2 == 0 }, func(int) netlink.HeaderFlags { return 0 }),
	})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				want := fmt.Sprint(g, "-", i)
				msgs, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho,
					Attrs: encode(func(e *genl.Encoder) { e.String(attrName, want) })})
				if err != nil || len(msgs) != 1 || readName(t, msgs[0].Data) != want {
					t.Errorf("%s: %v %v", want, msgs, err)
					return
				}
			}
		})
	}
	// A request from inside a dump loop must not deadlock.
	wg.Go(func() {
		for range c.Dump(t.Context(), &genl.Request{Family: "demo", Command: cmdList}) {
			if _, err := c.Do(t.Context(), &genl.Request{Family: "demo", Command: cmdEcho}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
}

func TestRawNetlinkConn(t *testing.T) {
	k := genltest.New()
	nc, err := k.Dial()
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// CTRL_CMD_GETFAMILY for nlctrl itself, through plain netlink.Conn.
	req := netlink.Message{
		Header: netlink.Header{Type: 0x10, Flags: netlink.Request | netlink.Acknowledge},
		Data:   append([]byte{3, 2, 0, 0}, encode(func(e *genl.Encoder) { e.String(2, "nlctrl") })...),
	}
	msgs, err := nc.Execute(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) == 0 || familyName(t, msgs[0].Data[4:]) != "nlctrl" {
		t.Errorf("replies %+v", msgs)
	}
}

// TestCacheInvalidatedByNotify shows the resolver's cache following nlctrl
// notifications alone: no request fails first.
func TestCacheInvalidatedByNotify(t *testing.T) {
	k := genltest.New()
	k.MustAddFamily(t, genltest.Family{Name: "demo", ID: 0x20})
	c := k.Conn(t)
	ctx := t.Context()
	if f, err := c.Family(ctx, "demo"); err != nil || f.ID != 0x20 {
		t.Fatalf("%+v %v", f, err)
	}
	if err := k.RemoveFamily("demo"); err != nil {
		t.Fatal(err)
	}
	k.MustAddFamily(t, genltest.Family{Name: "demo", ID: 0x30})
	waitFor(t, func() bool {
		f, err := c.Family(ctx, "demo")
		return err == nil && f.ID == 0x30
	})
}
