//go:build linux

package genl

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

var (
	reCtrlName   = regexp.MustCompile(`^Name: (\S+)`)
	reCtrlHeader = regexp.MustCompile(`ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)`)
	reCtrlOp     = regexp.MustCompile(`^#\d+:\s+ID-0x([0-9a-f]+)\s*$`)
	reCtrlCaps   = regexp.MustCompile(`^Capabilities \(0x([0-9a-f]+)\)`)
	reCtrlGroup  = regexp.MustCompile(`^#\d+:\s+ID-0x([0-9a-f]+)\s+name: (\S+)`)
)

// parseGenlCtrlList parses the output of iproute2's `genl ctrl list`.
func parseGenlCtrlList(t *testing.T, out string) map[string]*Family {
	t.Helper()
	hex := func(s string) uint64 {
		v, err := strconv.ParseUint(s, 16, 32)
		if err != nil {
			t.Fatalf("genl ctrl list: %v", err)
		}
		return v
	}
	fams := map[string]*Family{}
	var f *Family
	inGroups := false
	for line := range strings.Lines(out) {
		line = strings.TrimSpace(line)
		if m := reCtrlName.FindStringSubmatch(line); m != nil {
			f = &Family{Name: m[1]}
			fams[f.Name] = f
			inGroups = false
			continue
		}
		if f == nil {
			continue
		}
		switch {
		case line == "multicast groups:":
			inGroups = true
		case reCtrlHeader.MatchString(line):
			m := reCtrlHeader.FindStringSubmatch(line)
			f.ID, f.Version = uint16(hex(m[1])), uint8(hex(m[2]))
			hs, _ := strconv.ParseUint(m[3], 10, 32)
			ma, _ := strconv.ParseUint(m[4], 10, 32)
			f.HeaderSize, f.MaxAttr = uint32(hs), uint32(ma)
		case inGroups && reCtrlGroup.MatchString(line):
			m := reCtrlGroup.FindStringSubmatch(line)
			f.Groups = append(f.Groups, Group{Name: m[2], ID: uint32(hex(m[1]))})
		case !inGroups && reCtrlOp.MatchString(line):
			f.Ops = append(f.Ops, Op{ID: uint32(hex(reCtrlOp.FindStringSubmatch(line)[1]))})
		case reCtrlCaps.MatchString(line):
			f.Ops[len(f.Ops)-1].Flags = OpFlags(hex(reCtrlCaps.FindStringSubmatch(line)[1]))
		}
	}
	return fams
}

// comparable returns f as `genl ctrl list` shows it: iproute2 prints op
// flags only for families of version 2 or later (it checks the family's
// version where it means nlctrl's).
func comparable(f *Family) *Family {
	if f.Version >= 2 {
		return f
	}
	g := *f
	g.Ops = make([]Op, len(f.Ops))
	for i, op := range f.Ops {
		g.Ops[i] = Op{ID: op.ID}
	}
	return &g
}

func TestFamiliesMatchGenlCtrlList(t *testing.T) {
	ns := newTestNS(t)
	if _, err := exec.LookPath("genl"); err != nil {
		t.Skip("needs iproute2's genl")
	}
	want := parseGenlCtrlList(t, ns.exec(t, "genl", "ctrl", "list"))
	if len(want) < 2 || want["nlctrl"] == nil {
		t.Fatalf("parsed only %d families from genl ctrl list", len(want))
	}
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	all, err := c.Families(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*Family{}
	for _, f := range all {
		got[f.Name] = comparable(f)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Families differ from genl ctrl list (-genl +ours):\n%s", diff)
	}
	// The same, one family at a time by name and by id, from a fresh Conn
	// so nothing comes from the dump's cache.
	c2 := ns.dial(t, nil)
	for name, w := range want {
		f, err := c2.Family(ctx, name)
		if err != nil {
			t.Errorf("Family(%q): %v", name, err)
			continue
		}
		if diff := cmp.Diff(w, comparable(f)); diff != "" {
			t.Errorf("Family(%q) (-genl +ours):\n%s", name, diff)
		}
		c2.res.forgetAll()
		byID, err := c2.FamilyByID(ctx, w.ID)
		if err != nil || byID.Name != name {
			t.Errorf("FamilyByID(%#x) = %v, %v; want %s", w.ID, byID, err, name)
		}
	}
}

func TestFamilyCached(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	f1, err := c.Family(ctx, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	fetches, sent := c.res.fetches.Load(), c.sent.Load()
	for range 100 {
		f2, err := c.Family(ctx, "ethtool")
		if err != nil || f2 != f1 {
			t.Fatalf("cached lookup: %v, %v", f2, err)
		}
		if _, err := c.FamilyByID(ctx, f1.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := c.res.fetches.Load() - fetches; n != 0 {
		t.Errorf("cached lookups asked the kernel %d times", n)
	}
	if n := c.sent.Load() - sent; n != 0 {
		t.Errorf("cached lookups sent %d requests", n)
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _ = c.Family(ctx, "ethtool") }); allocs != 0 {
		t.Errorf("cached lookup allocates %v times", allocs)
	}
}

func TestFamilyNotFound(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	_, err := c.Family(testCtx(t), "ynl-nosuchfam")
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v, want ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), `"ynl-nosuchfam"`) || !strings.Contains(err.Error(), "kernel module") {
		t.Errorf("error %q does not name the family and its module", err)
	}
	// Names too long for the kernel cannot exist: no need to ask.
	if _, err := c.Family(testCtx(t), "a-name-longer-than-15-bytes"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("long name: err = %v, want ErrNotExist", err)
	}
	if _, err := c.FamilyByID(testCtx(t), 0xfff0); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("FamilyByID: err = %v, want ErrNotExist", err)
	}
}

// TestErrorPolicy sends nlctrl a family name longer than its policy allows:
// the kernel quotes the policy in the extended ACK.
func TestErrorPolicy(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	var e Encoder
	e.String(ctrlAttrFamilyName, "a-name-longer-than-15-bytes")
	_, err := c.Do(testCtx(t), &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY,
		Attrs: e.Bytes(), OpName: "getfamily", Names: ctrlNames})
	var ge *Error
	if !errors.As(err, &ge) || ge.Errno != unix.EINVAL {
		t.Fatalf("err = %v, want an EINVAL *Error", err)
	}
	if ge.AttrPath != ".family-name" || ge.Offset != 0 {
		t.Errorf("AttrPath %q offset %d, want .family-name at 0", ge.AttrPath, ge.Offset)
	}
	if ge.Policy == nil {
		t.Fatal("no policy in the extended ACK")
	}
	if ge.Policy.Type != PolicyNulString || ge.Policy.MaxLength == nil || *ge.Policy.MaxLength != genlNameSize-1 {
		t.Errorf("policy %+v, want a nul-string of at most %d bytes", ge.Policy, genlNameSize-1)
	}
}

// TestNoWatch checks that DialOptions.NoWatch keeps a Conn to its one
// socket: a lookup and a request start no watcher.
func TestNoWatch(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, &DialOptions{NoWatch: true})
	ctx := testCtx(t)
	if _, err := c.Family(ctx, "ethtool"); err != nil {
		t.Fatal(err)
	}
	c.res.watchMu.Lock()
	running := c.res.watch != nil
	c.res.watchMu.Unlock()
	if running {
		t.Error("a lookup with NoWatch started the watcher")
	}
	c.mu.Lock()
	n := len(c.all)
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("the Conn has %d sockets after a lookup, want 1", n)
	}
}

// TestWatcherInvalidates feeds nlctrl notifications to the cache: the
// kernel here has no modules to load, so no family can come or go for
// real.
func TestWatcherInvalidates(t *testing.T) {
	ns := newTestNS(t)
	c := ns.dial(t, nil)
	ctx := testCtx(t)
	eth, err := c.Family(ctx, "ethtool")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Family(ctx, "netdev"); err != nil {
		t.Fatal(err)
	}
	c.res.watchMu.Lock()
	running := c.res.watch != nil
	c.res.watchMu.Unlock()
	if !running {
		t.Fatal("the first lookup did not start the watcher")
	}
	var e Encoder
	e.String(ctrlAttrFamilyName, "ethtool")
	e.Uint16(ctrlAttrFamilyID, eth.ID)
	c.res.onNotify(Message{Family: "nlctrl", Command: ctrlCmdDelFamily, Data: e.Bytes()})
	if c.res.cached("ethtool", 0) != nil || c.res.cached("", eth.ID) != nil {
		t.Error("DELFAMILY left ethtool in the cache")
	}
	if c.res.cached("netdev", 0) == nil {
		t.Error("DELFAMILY of ethtool dropped netdev")
	}
	fetches := c.res.fetches.Load()
	if _, err := c.Family(ctx, "ethtool"); err != nil {
		t.Fatal(err)
	}
	if c.res.fetches.Load() != fetches+1 {
		t.Error("lookup after DELFAMILY did not ask the kernel")
	}
}

// TestCloseStopsGoroutines checks that the watcher and subscriptions leave
// no goroutine behind.
func TestCloseStopsGoroutines(t *testing.T) {
	ns := newTestNS(t)
	before := runtime.NumGoroutine()
	c, err := Dial(context.Background(), &DialOptions{NetNSPath: ns.path()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	if _, err := c.Family(ctx, "ethtool"); err != nil {
		t.Fatal(err)
	}
	sub, err := c.Subscribe(ctx, "ethtool", "monitor")
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	_, _ = sub.Receive(rctx)
	cancel()
	if err := sub.Close(); err != nil {
		t.Error(err)
	}
	if err := c.Close(); err != nil {
		t.Error(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
	if _, err := c.Do(ctx, linkinfoReq("lo", nil)); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close: %v, want ErrClosed", err)
	}
}

// BenchmarkFamilyCached measures a cached lookup: no system call, no
// allocation.
func BenchmarkFamilyCached(b *testing.B) {
	ns := newTestNS(b)
	c := ns.dial(b, nil)
	ctx := context.Background()
	if _, err := c.Family(ctx, "ethtool"); err != nil {
		b.Fatal(err)
	}
	sent := c.sent.Load()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Family(ctx, "ethtool"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.sent.Load()-sent)/float64(b.N), "requests/op")
}

// BenchmarkFamilyCachedParallel measures cached lookups from all CPUs: the
// cache is read without locks.
func BenchmarkFamilyCachedParallel(b *testing.B) {
	ns := newTestNS(b)
	c := ns.dial(b, nil)
	ctx := context.Background()
	if _, err := c.Family(ctx, "ethtool"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Family(ctx, "ethtool"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkGetFamily compares a Do of nlctrl's getfamily with
// mdlayher/genetlink's Execute of the same request, in the same run. Execute
// is sent without NLM_F_ACK: with it, Execute leaves the ACK unread and the
// next request reads it as its reply. Do always asks for, and reads, the
// ACK: one datagram more per round trip.
func BenchmarkGetFamily(b *testing.B) {
	ns := newTestNS(b)
	c := ns.dial(b, nil)
	ctx := context.Background()
	var e Encoder
	e.String(ctrlAttrFamilyName, "ethtool")
	req := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY, Attrs: e.Bytes()}
	b.Run("ynl-genl", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Do(ctx, req); err != nil {
				b.Fatal(err)
			}
		}
	})
	// With a cancellable context: a read deadline and a cancellation
	// callback per request.
	b.Run("ynl-genl-timeout", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			tctx, cancel := context.WithTimeout(ctx, time.Minute)
			if _, err := c.Do(tctx, req); err != nil {
				b.Fatal(err)
			}
			cancel()
		}
	})
	b.Run("mdlayher-genetlink", func(b *testing.B) {
		nsfd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(nsfd)
		gc, err := genetlink.Dial(&netlink.Config{NetNS: nsfd})
		if err != nil {
			b.Fatal(err)
		}
		defer gc.Close()
		msg := genetlink.Message{Header: genetlink.Header{Command: unix.CTRL_CMD_GETFAMILY, Version: 1}, Data: e.Bytes()}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := gc.Execute(msg, unix.GENL_ID_CTRL, netlink.Request); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDumpFamilies compares a Dump of every family with
// mdlayher/genetlink's Execute of the same dump, in the same run.
func BenchmarkDumpFamilies(b *testing.B) {
	ns := newTestNS(b)
	c := ns.dial(b, nil)
	ctx := context.Background()
	req := &Request{Family: "nlctrl", Command: unix.CTRL_CMD_GETFAMILY}
	want := 0
	for range c.Dump(ctx, req) {
		want++
	}
	b.Run("ynl-genl", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range c.Dump(ctx, req) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != want {
				b.Fatalf("%d families, want %d", n, want)
			}
		}
	})
	b.Run("mdlayher-genetlink", func(b *testing.B) {
		nsfd, err := unix.Open(ns.path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer unix.Close(nsfd)
		gc, err := genetlink.Dial(&netlink.Config{NetNS: nsfd})
		if err != nil {
			b.Fatal(err)
		}
		defer gc.Close()
		msg := genetlink.Message{Header: genetlink.Header{Command: unix.CTRL_CMD_GETFAMILY, Version: 1}}
		b.ReportAllocs()
		for b.Loop() {
			msgs, err := gc.Execute(msg, unix.GENL_ID_CTRL, netlink.Request|netlink.Dump)
			if err != nil {
				b.Fatal(err)
			}
			if len(msgs) != want {
				b.Fatalf("%d families, want %d", len(msgs), want)
			}
		}
	})
}
