package genl

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDoBatch sends three requests in one datagram: the replies come back
// per request, a failing one stops the batch with its index and error, and
// the socket is usable afterwards.
func TestDoBatch(t *testing.T) {
	ns := newTestNS(t)
	ns.ip(t, "link", "add", "v0", "type", "veth", "peer", "v1")
	var datagrams, sends int
	c := ns.dial(t, &DialOptions{OnReceive: func([]byte) { datagrams++ }})
	if _, err := c.Family(testCtx(t), "ethtool"); err != nil {
		t.Fatal(err)
	}
	before := c.sent.Load()
	out, err := c.DoBatch(testCtx(t), []*Request{linkinfoReq("v0", nil), channelsSetReq("v0", 1), linkinfoReq("v1", nil)})
	if err != nil {
		t.Fatal(err)
	}
	sends = int(c.sent.Load() - before)
	if len(out) != 3 || len(out[0]) != 1 || len(out[1]) != 0 || len(out[2]) != 1 {
		t.Fatalf("replies per request: %v, want 1, 0, 1", lens(out))
	}
	if devName(t, out[0][0].Data) != "v0" || devName(t, out[2][0].Data) != "v1" {
		t.Errorf("replies out of order")
	}
	if sends != 3 || datagrams == 0 {
		t.Errorf("sent %d requests, read %d datagrams", sends, datagrams)
	}
	out, err = c.DoBatch(testCtx(t), []*Request{linkinfoReq("v0", nil), linkinfoReq("nosuchdev0", ethtoolNames), linkinfoReq("v1", nil)})
	var e *Error
	if !errors.Is(err, unix.ENODEV) || !errors.As(err, &e) || e.AttrPath != ".header.dev-name" {
		t.Fatalf("err = %v, want ENODEV at .header.dev-name", err)
	}
	if len(out) != 1 {
		t.Errorf("got the replies of %d requests before the failing one, want 1", len(out))
	}
	// The third request's reply is still queued; the next request must
	// not read it as its own.
	msgs, err := c.Do(testCtx(t), linkinfoReq("v1", nil))
	if err != nil || len(msgs) != 1 || devName(t, msgs[0].Data) != "v1" {
		t.Fatalf("request after a failed batch: %v, %d replies", err, len(msgs))
	}
}

func lens(out [][]Message) []int {
	n := make([]int, len(out))
	for i, m := range out {
		n[i] = len(m)
	}
	return n
}
