package conntrack_test

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/conntrack"
	"github.com/ynlgo/ynl/families/conntrack/conntracktest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// TestFake drives the generated client against the generated typed fake:
// a do with a reply and a kernel error, a dump filtered by its fixed
// header, and the stats dump. The spec names no multicast groups, so the
// family has no notifications to fake.
func TestFake(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake := conntracktest.New(t)
	c := fake.Client()

	entries := []*conntrack.Attrs{
		{Nfgenmsg: conntrack.Nfgenmsg{NfgenFamily: 2}, Mark: genl.Some[uint32](1), Timeout: genl.Some[uint32](120)},
		{Nfgenmsg: conntrack.Nfgenmsg{NfgenFamily: 10}, Mark: genl.Some[uint32](2)},
	}
	fake.HandleGet(func(ctx context.Context, req *conntrack.Attrs) (*conntrack.Attrs, error) {
		for _, e := range entries {
			if e.Mark == req.Mark {
				return e, nil
			}
		}
		return nil, &genltest.Error{Errno: syscall.ENOENT, Message: "no such entry", HeaderOffset: genl.Some(0)}
	})
	got, err := c.Get(ctx, &conntrack.Attrs{Nfgenmsg: conntrack.Nfgenmsg{NfgenFamily: 2}, Mark: genl.Some[uint32](1)})
	if err != nil || got.Timeout.Value != 120 || got.Nfgenmsg.NfgenFamily != 2 {
		t.Fatalf("get: %+v, %v", got, err)
	}
	_, err = c.Get(ctx, &conntrack.Attrs{Mark: genl.Some[uint32](5)})
	var kerr *genl.Error
	if !errors.As(err, &kerr) || kerr.Errno != syscall.ENOENT || kerr.HeaderField != "nfgenmsg.nfgen-family" {
		t.Fatalf("get 5: %v (%+v), want ENOENT naming nfgenmsg.nfgen-family", err, kerr)
	}

	fake.HandleGetDump(func(ctx context.Context, req *conntrack.Attrs) ([]*conntrack.Attrs, error) {
		var out []*conntrack.Attrs
		for _, e := range entries {
			if req.Nfgenmsg.NfgenFamily == 0 || e.Nfgenmsg.NfgenFamily == req.Nfgenmsg.NfgenFamily {
				out = append(out, e)
			}
		}
		return out, nil
	})
	var marks []uint32
	for e, err := range c.GetDump(ctx, &conntrack.Attrs{Nfgenmsg: conntrack.Nfgenmsg{NfgenFamily: 10}}) {
		if err != nil {
			t.Fatal(err)
		}
		marks = append(marks, e.Mark.Value)
	}
	if len(marks) != 1 || marks[0] != 2 {
		t.Fatalf("ipv6 dump: marks %v, want [2]", marks)
	}

	fake.HandleGetStatsDump(func(ctx context.Context, req *conntrack.StatsAttrs) ([]*conntrack.StatsAttrs, error) {
		return []*conntrack.StatsAttrs{{Searched: genl.Some[uint32](3)}, {Searched: genl.Some[uint32](4)}}, nil
	})
	var sum uint32
	for s, err := range c.GetStatsDump(ctx, &conntrack.StatsAttrs{}) {
		if err != nil {
			t.Fatal(err)
		}
		sum += s.Searched.Value
	}
	if sum != 7 {
		t.Fatalf("stats dump: searched %d, want 7", sum)
	}
}
