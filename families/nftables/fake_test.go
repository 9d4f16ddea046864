package nftables_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ynlgo/ynl/families/nftables"
	"github.com/ynlgo/ynl/families/nftables/nftablestest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

// TestFakeBatch drives the generated client and batch builder against the
// generated typed fake, which keeps tables the way nf_tables does: a batch
// stages its requests and applies them only if none failed. A committed
// batch is visible to a later dump; a failing one names its failing
// request and leaves nothing behind; a notification arrives typed.
func TestFakeBatch(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	fake := nftablestest.New(t)
	c := fake.Client()

	var mu sync.Mutex
	var tables, staged []string
	fake.HandleNewtable(func(ctx context.Context, req *nftables.TableAttrs) error {
		mu.Lock()
		defer mu.Unlock()
		if r, _ := genltest.RequestOf(ctx); !r.Batch {
			return &genltest.Error{Errno: syscall.EOPNOTSUPP, Message: "newtable outside a batch"}
		}
		name := req.Name.Value
		if slices.Contains(tables, name) || slices.Contains(staged, name) {
			return &genltest.Error{Errno: syscall.EEXIST, Message: "table exists", AttrPath: []uint16{nftables.AttrTableAttrsName}}
		}
		staged = append(staged, name)
		return nil
	})
	fake.HandleNewchain(func(ctx context.Context, req *nftables.ChainAttrs) error {
		mu.Lock()
		defer mu.Unlock()
		if !slices.Contains(staged, req.Table.Value) && !slices.Contains(tables, req.Table.Value) {
			return &genltest.Error{Errno: syscall.ENOENT, Message: "no such table"}
		}
		return nil
	})
	batches := 0
	fake.OnBatch(func(commit bool) {
		mu.Lock()
		defer mu.Unlock()
		batches++
		if commit {
			tables = append(tables, staged...)
		}
		staged = nil
	})
	fake.HandleGettableDump(func(ctx context.Context, req *nftables.TableAttrs) ([]*nftables.TableAttrs, error) {
		mu.Lock()
		defer mu.Unlock()
		var out []*nftables.TableAttrs
		for _, n := range tables {
			out = append(out, &nftables.TableAttrs{Nfgenmsg: nftables.Nfgenmsg{NfgenFamily: req.Nfgenmsg.NfgenFamily}, Name: genl.Some(n)})
		}
		return out, nil
	})
	dump := func() []string {
		t.Helper()
		var names []string
		for tb, err := range c.GettableDump(ctx, &nftables.TableAttrs{Nfgenmsg: nftables.Nfgenmsg{NfgenFamily: 2}}) {
			if err != nil {
				t.Fatalf("dump: %v", err)
			}
			if tb.Nfgenmsg.NfgenFamily != 2 {
				t.Errorf("table %s of family %d, want 2", tb.Name.Value, tb.Nfgenmsg.NfgenFamily)
			}
			names = append(names, tb.Name.Value)
		}
		return names
	}

	ip := nftables.Nfgenmsg{NfgenFamily: 2}
	res, err := c.NewBatch().
		Newtable(&nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("filter")}, genl.Create).
		Newchain(&nftables.ChainAttrs{Nfgenmsg: ip, Table: genl.Some("filter"), Name: genl.Some("input")}, genl.Create).
		Commit(ctx)
	if err != nil || len(res) != 2 {
		t.Fatalf("batch: %v, %d results", err, len(res))
	}
	if got := dump(); !slices.Equal(got, []string{"filter"}) {
		t.Fatalf("after the batch the dump has %q, want filter", got)
	}

	// The second request fails: the first is not applied either.
	_, err = c.NewBatch().
		Newtable(&nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("nat")}).
		Newtable(&nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("filter")}).
		Commit(ctx)
	var berr *genl.BatchError
	var kerr *genl.Error
	if !errors.As(err, &berr) || berr.Index != 1 || !errors.As(err, &kerr) || kerr.Errno != syscall.EEXIST || kerr.AttrPath != ".name" {
		t.Fatalf("failing batch: %v, want request 1 failing with EEXIST at .name", err)
	}
	if got := dump(); !slices.Equal(got, []string{"filter"}) {
		t.Fatalf("after the failed batch the dump has %q, want filter alone", got)
	}
	if batches != 2 {
		t.Fatalf("OnBatch ran %d times, want 2", batches)
	}

	// Outside a batch the request reaches the handler unbatched.
	err = c.Newtable(ctx, &nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("x")})
	if !errors.Is(err, syscall.EOPNOTSUPP) {
		t.Fatalf("newtable outside a batch: %v", err)
	}

	sub, err := c.Subscribe(ctx, nftables.GroupMgmt)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyNewtable(nftables.GroupMgmt, &nftables.TableAttrs{Nfgenmsg: ip, Name: genl.Some("filter"), Handle: genl.Some[uint64](7)}); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tb, ok := n.Msg.(*nftables.TableAttrs); !ok || n.Type != uint16(nftables.CmdNewtable) || tb.Name.Value != "filter" || tb.Handle.Value != 7 {
		t.Fatalf("notification %d %s: %+v, want newtable filter", n.Type, n.Op, n.Msg)
	}
}
