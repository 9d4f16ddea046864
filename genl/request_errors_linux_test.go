//go:build linux

package genl

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTransportErrorsNameFamilyAndOp: a request the kernel cannot take in
// (larger than the socket's send buffer) fails with an error that names
// the family and op it was for, and still matches the errno.
func TestTransportErrorsNameFamilyAndOp(t *testing.T) {
	ctx := testCtx(t)
	c, err := Dial(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e Encoder
	for range 64 {
		e.Binary(1, make([]byte, 60000))
	}
	_, err = c.Do(ctx, &Request{Family: "nlctrl", Command: ctrlCmdGetFamily, OpName: "getfamily", Attrs: e.Bytes()})
	const want = "genl: nlctrl getfamily: send: message too long"
	if !errors.Is(err, unix.EMSGSIZE) || err.Error() != want {
		t.Fatalf("got %v, want %q matching EMSGSIZE", err, want)
	}
}

// TestResolveErrorsNameFamilyAndOp: with a receive buffer too small for
// nlctrl's answer, resolving the family of a request fails, and the error
// says which request it was resolving for.
func TestResolveErrorsNameFamilyAndOp(t *testing.T) {
	ctx := testCtx(t)
	c, err := Dial(ctx, &DialOptions{ReceiveBuffer: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Do(ctx, &Request{Family: "ethtool", Command: 1, OpName: "strset-get"})
	if err == nil {
		t.Skip("the kernel delivered nlctrl's answer into the smallest receive buffer")
	}
	const want = "genl: ethtool strset-get (resolving the family: nlctrl getfamily): receive: no buffer space available"
	if !errors.Is(err, unix.ENOBUFS) || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("got %v, want %q matching ENOBUFS", err, want)
	}
}

// TestRawTransportErrorsNameFamilyAndOp: the same on the classic netlink
// side: a getlink too large to send names rt-link and the op.
func TestRawTransportErrorsNameFamilyAndOp(t *testing.T) {
	ctx := testCtx(t)
	c, err := DialRaw(ctx, ProtoRoute, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var e Encoder
	for range 64 {
		e.Binary(1, make([]byte, 60000))
	}
	_, err = c.Do(ctx, &RawRequest{Family: "rt-link", Type: rtmGetlink, Header: make([]byte, 16), OpName: "getlink", Attrs: e.Bytes()})
	const want = "genl: rt-link getlink: send: message too long"
	if !errors.Is(err, unix.EMSGSIZE) || err.Error() != want {
		t.Fatalf("got %v, want %q matching EMSGSIZE", err, want)
	}
}
