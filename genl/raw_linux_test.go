//go:build linux

package genl

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rtnetlink numbers (linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h)
// for the tests; the generated families carry their own.
const (
	rtmNewlink = 16
	rtmGetlink = 18
	rtmGetaddr = 22
	iflaIfname = 3
	iflaMTU    = 4
	ifaAddress = 1
	rtnlgrpLnk = 1
)

func dialRawNS(t *testing.T, ns *testNS, opts *DialOptions) *RawConn {
	t.Helper()
	var o DialOptions
	if opts != nil {
		o = *opts
	}
	o.NetNSPath = ns.path()
	c, err := DialRaw(context.Background(), ProtoRoute, &o)
	if err != nil {
		t.Fatalf("DialRaw: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// linkNames dumps the links through c and returns their names by index.
func linkNames(t *testing.T, c *RawConn) map[uint32]string {
	t.Helper()
	out := map[uint32]string{}
	req := &RawRequest{Family: "rt-link", Type: rtmGetlink, Header: make([]byte, 16), OpName: "getlink"}
	for m, err := range c.Dump(testCtx(t), req) {
		if err != nil {
			t.Fatal(err)
		}
		if m.Type != rtmNewlink || len(m.Data) < 16 {
			t.Fatalf("dump message of type %d, %d bytes", m.Type, len(m.Data))
		}
		idx := binary.NativeEndian.Uint32(m.Data[4:8])
		w := NewWalker(m.Data[16:], nil)
		for w.Next() {
			if w.Type() == iflaIfname {
				out[idx] = w.String()
			}
		}
		if err := w.Err(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestRawDumpLinks(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "ra", "type", "veth", "peer", "name", "rb")
	c := dialRawNS(t, ns, nil)
	got := linkNames(t, c)
	want := map[string]bool{"lo": true, "ra": true, "rb": true}
	if len(got) != len(want) {
		t.Fatalf("links %v, want %v", got, want)
	}
	for _, n := range got {
		if !want[n] {
			t.Errorf("unexpected link %q in %v", n, got)
		}
	}
}

// TestRawStrictFilter shows strict checking at work: an address dump
// filtered by ifa_index returns only that device's addresses, and without
// strict checking the kernel ignores the filter.
func TestRawStrictFilter(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "ra", "type", "veth", "peer", "name", "rb")
	ns.ip(t, "addr", "add", "10.9.0.1/24", "dev", "ra")
	ns.ip(t, "addr", "add", "10.9.1.1/24", "dev", "rb")
	ns.ip(t, "link", "set", "lo", "up")
	var ra uint32
	for i, n := range linkNames(t, dialRawNS(t, ns, nil)) {
		if n == "ra" {
			ra = i
		}
	}
	count := func(c *RawConn) (n int, addrs []string) {
		hdr := make([]byte, 8)
		hdr[0] = syscall.AF_INET
		binary.NativeEndian.PutUint32(hdr[4:], ra)
		for m, err := range c.Dump(testCtx(t), &RawRequest{Type: rtmGetaddr, Header: hdr}) {
			if err != nil {
				t.Fatal(err)
			}
			w := NewWalker(m.Data[8:], nil)
			for w.Next() {
				if w.Type() == ifaAddress {
					d := w.Data()
					addrs = append(addrs, strings.Join([]string{itoa(int(d[0])), itoa(int(d[1])), itoa(int(d[2])), itoa(int(d[3]))}, "."))
				}
			}
			n++
		}
		return n, addrs
	}
	if n, addrs := count(dialRawNS(t, ns, nil)); n != 1 || addrs[0] != "10.9.0.1" {
		t.Errorf("strict dump for ifindex %d: %d messages %v, want only 10.9.0.1", ra, n, addrs)
	}
	if n, addrs := count(dialRawNS(t, ns, &DialOptions{NoStrict: true})); n != 3 {
		t.Errorf("non-strict dump: %d messages %v, want all 3 (lo, ra, rb): the kernel ignores the filter", n, addrs)
	}
}

// TestRawDoError checks that a kernel error names the attribute the
// extended ACK points at, past the fixed header.
func TestRawDoError(t *testing.T) {
	ns := newTestNS(t)
	c := dialRawNS(t, ns, nil)
	e := NewEncoder(nil)
	e.String(iflaIfname, "lo")
	e.Uint16(iflaMTU, 1500) // IFLA_MTU is a u32: the policy rejects 2 bytes
	req := &RawRequest{Family: "rt-link", Type: rtmNewlink, Header: make([]byte, 16), Attrs: e.Bytes(),
		OpName: "newlink", Names: &NameTable{Names: []string{iflaIfname: "ifname", iflaMTU: "mtu"}}}
	_, err := c.Do(testCtx(t), req)
	var ke *Error
	if !errors.As(err, &ke) || !errors.Is(err, syscall.ERANGE) {
		t.Fatalf("Do: %v, want an ERANGE *Error", err)
	}
	if ke.AttrPath != ".mtu" || ke.Family != "rt-link" || ke.Op != "newlink" {
		t.Errorf("error %q: path %q, want .mtu", err, ke.AttrPath)
	}
	// The socket is in step for the next request.
	if len(linkNames(t, c)) != 1 {
		t.Error("dump after the error did not list lo alone")
	}
}

// TestRawSubscribe receives the RTM_NEWLINK a link change multicasts to
// RTNLGRP_LINK.
func TestRawSubscribe(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "ra", "type", "veth", "peer", "name", "rb")
	c := dialRawNS(t, ns, nil)
	sub, err := c.Subscribe(testCtx(t), "rt-link", RawGroup{Name: "rtnlgrp-link", ID: rtnlgrpLnk})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	ns.ip(t, "link", "set", "ra", "mtu", "1400")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		m, err := sub.Receive(ctx)
		if err != nil {
			t.Fatalf("Receive: %v", err)
		}
		if m.Type != rtmNewlink || m.PID != 0 {
			continue
		}
		w := NewWalker(m.Data[16:], nil)
		for w.Next() {
			if w.Type() == iflaMTU && w.Uint32() == 1400 {
				return
			}
		}
	}
}

func TestRawErrorHeaderField(t *testing.T) {
	l := &HeaderLayout{Name: "ifaddrmsg", Fields: []HeaderField{{"ifa-family", 0, 1}, {"ifa-prefixlen", 1, 1}, {"ifa-index", 4, 4}}}
	req := &RawRequest{Family: "rt-addr", Type: rtmGetaddr, Header: make([]byte, 8), Layout: l}
	e := newRawError(req, &ackInfo{errno: syscall.EINVAL, offs: nlmsgHdrLen + 5, missType: -1, missNest: -1})
	if e.HeaderField != "ifaddrmsg.ifa-index" || e.Offset != -3 || e.Op != "type 22" {
		t.Errorf("error %q: header field %q, offset %d", e, e.HeaderField, e.Offset)
	}
	if !strings.Contains(e.Error(), "(bad header field: ifaddrmsg.ifa-index)") {
		t.Errorf("error text %q", e)
	}
	if s := (Create | Excl).String(); s != "excl|create" && s != "create|excl" {
		t.Errorf("flags %q", s)
	}
}
