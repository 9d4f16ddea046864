package genl

import (
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

var capturePolicy = flag.Bool("capture-policy", false, "rewrite testdata/policy/*.hex from the running kernel")

// inNewNetNS runs f on a goroutine whose OS thread has moved to a new
// network namespace. The thread stays locked, so the runtime discards it
// afterwards instead of reusing it in that namespace.
func inNewNetNS(t *testing.T, f func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to create a network namespace")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNET); err != nil {
			t.Errorf("unshare network namespace: %v", err)
			return
		}
		f()
	}()
	<-done
}

// dumpPolicyRaw asks nlctrl for a family's policy (of one op if op >= 0)
// with mdlayher/genetlink, independent of this package's Conn, and returns
// each reply's payload after the genl header.
func dumpPolicyRaw(t *testing.T, family string, op int) [][]byte {
	t.Helper()
	c, err := genetlink.Dial(nil)
	if err != nil {
		t.Fatalf("dial generic netlink: %v", err)
	}
	defer c.Close()
	ae := netlink.NewAttributeEncoder()
	ae.String(unix.CTRL_ATTR_FAMILY_NAME, family)
	if op >= 0 {
		ae.Uint32(unix.CTRL_ATTR_OP, uint32(op))
	}
	attrs, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Execute(genetlink.Message{
		Header: genetlink.Header{Command: unix.CTRL_CMD_GETPOLICY, Version: 1},
		Data:   attrs,
	}, unix.GENL_ID_CTRL, netlink.Request|netlink.Dump)
	if err != nil {
		t.Fatalf("%s policy dump: %v", family, err)
	}
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = m.Data
	}
	return out
}

func writePolicyHex(t *testing.T, name string, msgs [][]byte) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# CTRL_CMD_GETPOLICY dump replies, one per line: the payload after the genl header, in hex.\n")
	for _, m := range msgs {
		b.WriteString(hex.EncodeToString(m))
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Join("testdata", "policy", name), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestPolicyLive(t *testing.T) {
	inNewNetNS(t, func() {
		msgs := dumpPolicyRaw(t, "ethtool", -1)
		fp, err := DecodePolicyDump("ethtool", msgs)
		if err != nil {
			t.Fatal(err)
		}
		checkEthtoolPolicy(t, fp)

		const linkinfoGet = unix.ETHTOOL_MSG_LINKINFO_GET
		one := dumpPolicyRaw(t, "ethtool", linkinfoGet)
		fp1, err := DecodePolicyDump("ethtool", one)
		if err != nil {
			t.Fatal(err)
		}
		if len(fp1.Ops) != 1 || fp1.Ops[0].Cmd != linkinfoGet {
			t.Fatalf("single-op dump has ops %+v", fp1.Ops)
		}
		checkHeaderNest(t, fp1.Ops[0].Do)

		nlctrl := dumpPolicyRaw(t, "nlctrl", -1)
		fpc, err := DecodePolicyDump("nlctrl", nlctrl)
		if err != nil {
			t.Fatal(err)
		}
		checkNlctrlPolicy(t, fpc)

		if *capturePolicy {
			writePolicyHex(t, "ethtool.hex", msgs)
			writePolicyHex(t, "ethtool-linkinfo-get.hex", one)
			writePolicyHex(t, "nlctrl.hex", nlctrl)
		}
	})
}

func TestConnPolicyLive(t *testing.T) {
	inNewNetNS(t, func() {
		ctx := t.Context()
		c, err := Dial(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fp, err := c.Policy(ctx, "ethtool")
		if err != nil {
			t.Fatal(err)
		}
		checkEthtoolPolicy(t, fp)

		one, err := c.OpPolicy(ctx, "ethtool", unix.ETHTOOL_MSG_LINKINFO_GET)
		if err != nil {
			t.Fatal(err)
		}
		if len(one.Ops) != 1 || one.Ops[0].Cmd != unix.ETHTOOL_MSG_LINKINFO_GET {
			t.Fatalf("ops %+v", one.Ops)
		}
		checkHeaderNest(t, one.Ops[0].Do)

		// nlctrl's getpolicy is dump-only: the kernel reports it as command
		// 0, Policy gives it back its command.
		ctrl, err := c.Policy(ctx, "nlctrl")
		if err != nil {
			t.Fatal(err)
		}
		if op, ok := ctrl.Op(unix.CTRL_CMD_GETPOLICY); !ok || op.Dump == nil || op.Dump.Attrs[unix.CTRL_ATTR_OP] == nil {
			t.Errorf("nlctrl getpolicy: %+v", ctrl.Ops)
		}
		op, err := c.OpPolicy(ctx, "nlctrl", unix.CTRL_CMD_GETPOLICY)
		if err != nil || len(op.Ops) != 1 || op.Ops[0].Cmd != unix.CTRL_CMD_GETPOLICY {
			t.Errorf("nlctrl getpolicy op policy: %+v, %v", op, err)
		}

		if _, err := c.OpPolicy(ctx, "ethtool", 250); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("unknown op: %v", err)
		}
		if _, err := c.Policy(ctx, "no-such-family"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("unknown family: %v", err)
		}
	})
}
