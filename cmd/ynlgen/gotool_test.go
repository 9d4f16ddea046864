package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoToolExternalModule walks README's path for a user's own family: a
// fresh module adds ynlgen with `go get -tool`, holds a spec of its own
// and a `//go:generate go tool ynlgen` line; `go generate`, `go vet` and
// `go test` then build the generated package and run a test of it
// against its generated typed fake (do, dump, a notification, a kernel
// error with an extended ACK). The checkout stands in for the published
// module through a replace directive. The go command runs offline
// (GOPROXY=off) against the module cache, which building this module
// fills.
func TestGoToolExternalModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command; skipped in -short mode")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	run := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run(mod, "mod", "init", "example.com/widgets")
	run(mod, "mod", "edit", "-replace", "github.com/ynlgo/ynl="+root)
	// The checkout's go.sum vouches for the dependencies ynlgen needs, as
	// the sum database would for a published module.
	copyFile(t, filepath.Join(root, "go.sum"), filepath.Join(mod, "go.sum"))
	run(mod, "get", "-tool", "github.com/ynlgo/ynl/cmd/ynlgen")

	pkg := filepath.Join(mod, "widget")
	writeFile(t, filepath.Join(pkg, "widget.yaml"), widgetSpec)
	writeFile(t, filepath.Join(pkg, "gen.go"), "// Package widget is a client of the widget family.\npackage widget\n\n//go:generate go tool ynlgen -spec widget.yaml -package widget\n")
	writeFile(t, filepath.Join(pkg, "widget_test.go"), widgetTest)
	run(mod, "generate", "./...")
	for _, f := range []string{"zclient.go", "ztypes.go", "widgettest/zfake.go"} {
		if _, err := os.Stat(filepath.Join(pkg, f)); err != nil {
			t.Errorf("go generate did not write %s: %v", f, err)
		}
	}
	run(mod, "vet", "./...")
	out := run(mod, "test", "-count=1", "-v", "-run", "TestWidget", "./widget")
	if !strings.Contains(out, "--- PASS: TestWidget") {
		t.Errorf("the generated package's test did not pass:\n%s", out)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(b))
}

// widgetSpec is a user's own family: an enum, flags, a nest, a
// multi-attr, a do, a dump, a notification on a group.
const widgetSpec = `name: widget
protocol: genetlink
doc: Widgets of a made-up driver.
definitions:
  - {name: state, type: enum, entries: [off, on, broken]}
  - {name: caps, type: flags, entries: [spin, glow]}
attribute-sets:
  - name: widget
    attributes:
      - {name: id, type: u32}
      - {name: name, type: string}
      - {name: state, type: u8, enum: state}
      - {name: caps, type: u32, enum: caps}
      - {name: size, type: nest, nested-attributes: size}
      - {name: tag, type: string, multi-attr: true}
  - name: size
    attributes:
      - {name: width, type: u32}
      - {name: height, type: u32}
operations:
  list:
    - name: get
      doc: Get a widget, or dump them all.
      attribute-set: widget
      do:
        request: {attributes: [id]}
        reply: &all {attributes: [id, name, state, caps, size, tag]}
      dump:
        reply: *all
    - name: changed-ntf
      doc: A widget changed.
      notify: get
      mcgrp: events
mcast-groups:
  list:
    - {name: events}
`

// widgetTest is the user's test of code over the generated client,
// against the generated typed fake.
const widgetTest = `package widget_test

import (
	"context"
	"errors"
	"syscall"
	"testing"

	"example.com/widgets/widget"
	"example.com/widgets/widget/widgettest"
	"github.com/ynlgo/ynl/genl"
	"github.com/ynlgo/ynl/genl/genltest"
)

func TestWidget(t *testing.T) {
	ctx := context.Background()
	fake := widgettest.New(t)
	w1 := &widget.Attrs{
		ID: genl.Some[uint32](1), Name: genl.Some("w1"), State: genl.Some(widget.StateOn),
		Caps: genl.Some(widget.CapsSpin | widget.CapsGlow),
		Size: &widget.Size{Width: genl.Some[uint32](3), Height: genl.Some[uint32](4)},
		Tag:  []string{"red", "round"},
	}
	fake.HandleGet(func(ctx context.Context, req *widget.Attrs) (*widget.Attrs, error) {
		if req.ID.Value != 1 {
			return nil, &genltest.Error{Errno: syscall.ENODEV, Message: "no such widget", AttrPath: []uint16{widget.AttrID}}
		}
		return w1, nil
	})
	fake.HandleGetDump(func(ctx context.Context, req *widget.Attrs) ([]*widget.Attrs, error) {
		return []*widget.Attrs{w1, {ID: genl.Some[uint32](2), State: genl.Some(widget.StateBroken)}}, nil
	})
	c := fake.Client()

	got, err := c.Get(ctx, &widget.Attrs{ID: genl.Some[uint32](1)})
	if err != nil {
		t.Fatal(err)
	}
	if got.State.Value.String() != "on" || got.Caps.Value != widget.CapsSpin|widget.CapsGlow || got.Size.Height.Value != 4 || len(got.Tag) != 2 {
		t.Errorf("get: %+v", got)
	}

	_, err = c.Get(ctx, &widget.Attrs{ID: genl.Some[uint32](9)})
	var ge *genl.Error
	if !errors.Is(err, syscall.ENODEV) || !errors.As(err, &ge) || ge.Message != "no such widget" || ge.AttrPath != ".id" {
		t.Errorf("get of a missing widget: %v (%#v)", err, ge)
	}

	var states []string
	for w, err := range c.GetDump(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		states = append(states, w.State.Value.String())
	}
	if len(states) != 2 || states[1] != "broken" {
		t.Errorf("dump states: %v", states)
	}

	sub, err := c.Subscribe(ctx, widget.GroupEvents)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := fake.NotifyChangedNtf(w1); err != nil {
		t.Fatal(err)
	}
	n, err := sub.Receive(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := n.Msg.(*widget.Attrs); n.Cmd != widget.CmdChangedNtf || !ok || m.Name.Value != "w1" {
		t.Errorf("notification: %+v", n)
	}
}
`
