package dynamic

import (
	"context"
	"errors"
	"testing"

	"github.com/ynlgo/ynl/families/nlctrl"
	"github.com/ynlgo/ynl/genl"
	"golang.org/x/sys/unix"
)

func openNlctrl(t *testing.T) *Family {
	t.Helper()
	conn, err := genl.Dial(context.Background(), nil)
	if err != nil {
		t.Skipf("no generic netlink socket: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	f, err := OpenDescriptor(conn, "nlctrl", nlctrl.Descriptor(), &Options{ProcessUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestFamilyLive runs do, dump, a batch and the error paths of a family
// opened from its descriptor against the running kernel's nlctrl.
func TestFamilyLive(t *testing.T) {
	ctx := context.Background()
	f := openNlctrl(t)
	r, err := f.Do(ctx, "getfamily", map[string]any{"family-name": "nlctrl"})
	if err != nil || len(r) != 1 {
		t.Fatalf("do: %v, %d replies", err, len(r))
	}
	if id, _ := r[0].Get("family-id"); id != uint64(16) {
		t.Errorf("nlctrl family-id = %v, want 16", id)
	}
	ops, _ := r[0].Get("ops")
	if list, ok := ops.([]any); !ok || len(list) == 0 {
		t.Errorf("ops = %v, want a list", ops)
	} else if m, ok := list[0].(*Map); !ok || m.Len() != 1 || m.Fields[0].Key != "1" {
		t.Errorf("ops[0] = %v, want {\"1\": {...}} as pyynl prints indexed arrays", list[0])
	}

	n := 0
	for m, err := range f.Dump(ctx, "getfamily", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := m.Get("family-name"); ok {
			n++
		}
	}
	if n < 2 {
		t.Errorf("dump returned %d families", n)
	}

	res, err := f.DoMulti(ctx, []Call{
		{Op: "getfamily", Attrs: map[string]any{"family-name": "nlctrl"}},
		{Op: "getfamily", Attrs: map[string]any{"family-name": "no-such-family"}},
		{Op: "getfamily", Attrs: map[string]any{"family-name": "nlctrl"}},
	})
	var ge *genl.Error
	if !errors.As(err, &ge) || !errors.Is(err, unix.ENOENT) || len(res) != 1 {
		t.Errorf("batch with a failing second call: %d results, err %v; want 1 and ENOENT", len(res), err)
	}

	var pe *PathError
	if _, err := f.Do(ctx, "getfamily", map[string]any{"family-nam": "x"}); !errors.As(err, &pe) || pe.Path != ".family-nam" {
		t.Errorf("unknown attribute: %v, want a PathError at .family-nam", err)
	}
	var oe *OpError
	if _, err := f.Do(ctx, "getpolicy", nil); !errors.As(err, &oe) || oe.Missing {
		t.Errorf("do of a dump-only op: %v, want an OpError", err)
	}
}
