// Package faketest holds the helpers that the families' tests against
// their generated fake kernels share.
package faketest

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ynlgo/ynl/genl/genltest"
)

// Ctx returns a context that ends with the test, after 10 seconds at the
// most.
func Ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// Diff reports a difference between want and got under what.
func Diff(t testing.TB, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("%s (-want +got):\n%s", what, d)
	}
}

// ServeRaw makes each handler of ops answer both the do and the dumps of
// its op, through the typed fake's HandleRaw.
func ServeRaw[C comparable](handleRaw func(C, bool, genltest.Handler), ops map[C]genltest.Handler) {
	for cmd, h := range ops {
		handleRaw(cmd, false, h)
		handleRaw(cmd, true, h)
	}
}

// OvsAnswer returns a handler for the openvswitch families: it passes
// each request's struct ovs_header (its dp_ifindex) to header and its
// attributes to decode, and replies with one message per attribute
// buffer, each after the ovs_header of datapath dp.
func OvsAnswer(header func(dpIfindex uint32), decode func([]byte) error, dp uint32, replies ...[]byte) genltest.Handler {
	return func(req genltest.Request) ([]genltest.Reply, error) {
		header(binary.NativeEndian.Uint32(req.Header))
		if err := decode(req.Attrs); err != nil {
			return nil, err
		}
		var out []genltest.Reply
		for _, a := range replies {
			out = append(out, genltest.Reply{Header: binary.NativeEndian.AppendUint32(nil, dp), Attrs: a})
		}
		return out, nil
	}
}
